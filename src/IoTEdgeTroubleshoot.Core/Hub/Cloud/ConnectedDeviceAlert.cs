using System;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Xml;
using Azure.Core;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Cloud
{
    /// <summary>A metric alert rule on a hub's connectedDeviceCount, as created.</summary>
    public sealed class ConnectedDeviceAlertInfo
    {
        public string Name { get; set; } = string.Empty;

        public string Id { get; set; } = string.Empty;

        /// <summary>The hub the rule watches.</summary>
        public string ResourceId { get; set; } = string.Empty;

        public double Threshold { get; set; }

        public int Severity { get; set; }

        public TimeSpan WindowSize { get; set; }

        public TimeSpan Frequency { get; set; }

        public string[] ActionGroupId { get; set; } = Array.Empty<string>();

        public override string ToString() => $"{Name}: connectedDeviceCount minimum < {Threshold} over {WindowSize}";
    }

    /// <summary>
    /// The guide's alert: a metric alert rule (Microsoft.Insights/metricAlerts, api-version 2018-03-01) that fires
    /// when the hub's connectedDeviceCount Minimum falls below a threshold. Minimum is the aggregation that shows a
    /// drop inside the window (the metric accepts only Minimum, Maximum and Average).
    /// </summary>
    public sealed class ConnectedDeviceAlertRequest
    {
        internal const string ApiVersion = "2018-03-01";
        private static readonly TimeSpan[] Windows = { TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromDays(1) };
        private static readonly TimeSpan[] Frequencies = { TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1) };

        public string ResourceId { get; set; } = string.Empty;

        public double Threshold { get; set; }

        public string[] ActionGroupId { get; set; } = Array.Empty<string>();

        /// <summary>0 (critical) to 4 (verbose).</summary>
        public int Severity { get; set; } = 2;

        public TimeSpan WindowSize { get; set; } = TimeSpan.FromMinutes(15);

        public TimeSpan Frequency { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>Null: "{hub} connected devices below {threshold}".</summary>
        public string? Name { get; set; }

        public string RuleName(AzureResourceId hub) => Name ?? $"{hub.Name} connected devices below {Threshold.ToString(CultureInfo.InvariantCulture)}";

        /// <summary>The PUT body, for the request and for the tests.</summary>
        internal JsonObject Body(AzureResourceId hub) => new JsonObject
        {
            ["location"] = "global",
            ["properties"] = new JsonObject
            {
                ["description"] = $"Fewer than {Threshold.ToString(CultureInfo.InvariantCulture)} devices connected to {hub.Name} (connectedDeviceCount, Minimum). Created by New-IoTHubConnectedDeviceAlert.",
                ["severity"] = Severity,
                ["enabled"] = true,
                ["scopes"] = new JsonArray(hub.Id),
                ["evaluationFrequency"] = XmlConvert.ToString(Frequency),
                ["windowSize"] = XmlConvert.ToString(WindowSize),
                ["targetResourceType"] = "Microsoft.Devices/IotHubs",
                ["criteria"] = new JsonObject
                {
                    ["odata.type"] = "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
                    ["allOf"] = new JsonArray(new JsonObject
                    {
                        ["criterionType"] = "StaticThresholdCriterion",
                        ["name"] = "ConnectedDevicesBelowThreshold",
                        ["metricNamespace"] = "Microsoft.Devices/IotHubs",
                        ["metricName"] = "connectedDeviceCount",
                        ["operator"] = "LessThan",
                        ["threshold"] = Threshold,
                        ["timeAggregation"] = "Minimum",
                    }),
                },
                ["autoMitigate"] = true,
                ["actions"] = new JsonArray(ActionGroupId.Select(id => (JsonNode)new JsonObject { ["actionGroupId"] = id }).ToArray()),
            },
        };

        /// <summary>Creates or replaces the rule (a PUT: running it again changes nothing); null when <paramref name="shouldProcess"/> says no.</summary>
        public ConnectedDeviceAlertInfo? Create(AzureConnectionSettings settings, Func<string, string, bool> shouldProcess, IReporter reporter, CancellationToken cancellationToken)
        {
            var hub = AzureResourceId.Parse(ResourceId, "Microsoft.Devices/IotHubs", "-ResourceId");
            var groups = ActionGroupId.Select(id => AzureResourceId.Parse(id, "Microsoft.Insights/actionGroups", "-ActionGroupId").Id).ToArray();
            ActionGroupId = groups;
            if (!Windows.Contains(WindowSize) || !Frequencies.Contains(Frequency) || Frequency > WindowSize)
            {
                throw new TroubleshootException(ErrorIds.InvalidAlertTiming, ProblemKind.InvalidArgument, $"{WindowSize}/{Frequency}",
                    $"A metric alert takes -WindowSize 1, 5, 15 or 30 minutes, 1, 6 or 12 hours or 1 day, and -Frequency 1, 5, 15 or 30 minutes or 1 hour, "
                    + $"no longer than the window; got -WindowSize {WindowSize} and -Frequency {Frequency}.");
            }

            string name = RuleName(hub);
            var rest = new AzureRestClient(settings, reporter);
            string id = $"/subscriptions/{hub.SubscriptionId}/resourceGroups/{hub.ResourceGroup}/providers/Microsoft.Insights/metricAlerts/{name}";
            var uri = new Uri(rest.Endpoints.ResourceManager,
                $"subscriptions/{Uri.EscapeDataString(hub.SubscriptionId)}/resourceGroups/{Uri.EscapeDataString(hub.ResourceGroup)}/providers/Microsoft.Insights/metricAlerts/{AzureResourceId.Segment(name, "-Name")}?api-version={ApiVersion}");
            if (!shouldProcess(id, $"Create or replace the metric alert rule '{name}': connectedDeviceCount Minimum below {Threshold.ToString(CultureInfo.InvariantCulture)} over {WindowSize}, checked every {Frequency}")) return null;

            var access = new ServiceAccess("Azure Resource Manager", rest.Endpoints.ResourceManagerScope, "'Monitoring Contributor' on the resource group (and 'Reader' on the action group)");
            using var answer = rest.Send(RequestMethod.Put, uri, Body(hub).ToJsonString(), access, hub.Id, cancellationToken);
            return new ConnectedDeviceAlertInfo
            {
                Name = name,
                Id = (answer == null ? null : JsonValues.String(answer.RootElement, "id")) ?? id,
                ResourceId = hub.Id,
                Threshold = Threshold,
                Severity = Severity,
                WindowSize = WindowSize,
                Frequency = Frequency,
                ActionGroupId = groups,
            };
        }
    }
}
