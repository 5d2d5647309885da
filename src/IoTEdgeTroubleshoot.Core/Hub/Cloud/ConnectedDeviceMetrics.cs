using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Xml;
using Azure.Core;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Cloud
{
    /// <summary>
    /// The hub's connectedDeviceCount metric from Azure Monitor (Minimum, Average and Maximum: the only
    /// aggregations it supports), with drops flagged: a point whose minimum falls at least the threshold
    /// below the median of the points before it.
    /// </summary>
    public sealed class ConnectedDeviceMetricRequest
    {
        /// <summary>Points before a point whose median it is compared with.</summary>
        internal const int TrailingPoints = 12;

        public string ResourceId { get; set; } = string.Empty;

        public DateTimeOffset StartTime { get; set; }

        public DateTimeOffset EndTime { get; set; }

        public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>Percent below the trailing median that counts as a drop.</summary>
        public double DropThreshold { get; set; } = 5;

        public IReadOnlyList<ConnectedDeviceMetricPoint> Run(AzureConnectionSettings settings, IReporter reporter, CancellationToken cancellationToken)
        {
            var hub = AzureResourceId.Parse(ResourceId, "Microsoft.Devices/IotHubs", "-ResourceId");
            var rest = new AzureRestClient(settings, reporter);
            var query = "api-version=2023-10-01&metricnames=connectedDeviceCount"
                + "&timespan=" + Uri.EscapeDataString(LogAnalyticsClient.Timespan(StartTime, EndTime))
                + "&interval=" + Uri.EscapeDataString(XmlConvert.ToString(Interval))
                + "&aggregation=minimum,average,maximum";
            var uri = new Uri(rest.Endpoints.ResourceManager, hub.ToPath().TrimStart('/') + "/providers/Microsoft.Insights/metrics?" + query);
            var access = new ServiceAccess("Azure Monitor metrics", rest.Endpoints.ResourceManagerScope, "'Monitoring Reader' on the hub (or its resource group)");
            using var document = rest.Send(RequestMethod.Get, uri, null, access, hub.Id, cancellationToken);
            var points = document == null ? new List<ConnectedDeviceMetricPoint>() : Read(document.RootElement, hub.Id);
            FlagDrops(points, DropThreshold);
            reporter.Verbose($"{points.Count} connectedDeviceCount point(s) of {hub.Name}; {points.Count(p => p.IsDrop)} drop(s) of at least {DropThreshold.ToString(CultureInfo.InvariantCulture)} %.");
            return points;
        }

        internal static List<ConnectedDeviceMetricPoint> Read(JsonElement root, string resourceId)
        {
            var points = new List<ConnectedDeviceMetricPoint>();
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("value", out var metrics) || metrics.ValueKind != JsonValueKind.Array)
            {
                throw new TroubleshootException(ErrorIds.AzureResponseMalformed, ProblemKind.InvalidData, resourceId,
                    "The metrics answer has no \"value\" array. Check -ResourceManagerEndpoint.");
            }

            foreach (var metric in metrics.EnumerateArray())
            {
                if (!JsonValues.Array(metric, "timeseries", out var series)) continue;
                foreach (var one in series.EnumerateArray())
                {
                    if (!JsonValues.Array(one, "data", out var data)) continue;
                    foreach (var point in data.EnumerateArray())
                    {
                        // A time grain with no value has only timeStamp: no point, not a zero.
                        if (!(JsonValues.String(point, "timeStamp") is string stamp)
                            || !DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                            || Number(point, "minimum") is not double minimum)
                        {
                            continue;
                        }

                        points.Add(new ConnectedDeviceMetricPoint(time.ToUniversalTime(), minimum)
                        {
                            Average = Number(point, "average"),
                            Maximum = Number(point, "maximum"),
                            ResourceId = resourceId,
                        });
                    }
                }
            }

            points.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
            return points;
        }

        /// <summary>A drop: the minimum at least <paramref name="threshold"/> percent below the median of the points before it.</summary>
        internal static void FlagDrops(IList<ConnectedDeviceMetricPoint> points, double threshold)
        {
            for (int i = 0; i < points.Count; i++)
            {
                if (i == 0) continue;
                var before = points.Skip(Math.Max(0, i - TrailingPoints)).Take(Math.Min(i, TrailingPoints)).Select(p => p.Minimum).OrderBy(v => v).ToList();
                double median = before.Count % 2 == 1 ? before[before.Count / 2] : (before[before.Count / 2 - 1] + before[before.Count / 2]) / 2;
                if (median <= 0) continue;
                double percent = (median - points[i].Minimum) * 100 / median;
                points[i].DropPercent = Math.Round(Math.Max(0, percent), 1);
                points[i].IsDrop = percent >= threshold;
            }
        }

        private static double? Number(JsonElement point, string name) =>
            JsonValues.Member(point, name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : (double?)null;
    }
}
