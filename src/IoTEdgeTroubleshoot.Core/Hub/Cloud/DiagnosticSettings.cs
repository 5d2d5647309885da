using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using Azure.Core;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Cloud
{
    /// <summary>One diagnostic setting of a hub: where its logs go, and whether Connections reaches a workspace.</summary>
    public sealed class DiagnosticSettingInfo
    {
        public string Name { get; set; } = string.Empty;

        /// <summary>The hub's resource id.</summary>
        public string ResourceId { get; set; } = string.Empty;

        /// <summary>The Log Analytics workspace's resource id, when the setting sends to one.</summary>
        public string? WorkspaceId { get; set; }

        public string? StorageAccountId { get; set; }

        public string? EventHubAuthorizationRuleId { get; set; }

        public string? EventHubName { get; set; }

        /// <summary>The enabled log categories and category groups (allLogs, audit).</summary>
        public string[] Categories { get; set; } = Array.Empty<string>();

        /// <summary>The Connections category is on (by name, or through the allLogs group).</summary>
        public bool ConnectionsEnabled { get; set; }

        /// <summary>Connections is on and goes to a workspace: what the guide's query needs.</summary>
        public bool ConnectionsToWorkspace => ConnectionsEnabled && !string.IsNullOrEmpty(WorkspaceId);

        /// <summary>Enable-IoTHubConnectionLog: whether this run changed the setting.</summary>
        public bool Changed { get; set; }

        public override string ToString() => $"{Name}: Connections {(ConnectionsToWorkspace ? "to " + WorkspaceId : ConnectionsEnabled ? "on, no workspace" : "off")}";
    }

    /// <summary>
    /// Diagnostic settings of a hub (Microsoft.Insights/diagnosticSettings, api-version 2021-05-01-preview):
    /// read them, and turn on Connections to a workspace keeping what a setting already sends.
    /// </summary>
    public sealed class DiagnosticSettingsClient
    {
        internal const string ApiVersion = "2021-05-01-preview";
        private const string Connections = "Connections";

        private readonly AzureRestClient _rest;
        private readonly AzureResourceId _hub;
        private readonly ServiceAccess _reader;
        private readonly ServiceAccess _writer;

        public DiagnosticSettingsClient(string hubResourceId, AzureConnectionSettings settings, IReporter reporter)
        {
            _hub = AzureResourceId.Parse(hubResourceId, "Microsoft.Devices/IotHubs", "-ResourceId");
            _rest = new AzureRestClient(settings, reporter);
            _reader = new ServiceAccess("Azure Resource Manager", _rest.Endpoints.ResourceManagerScope, "'Monitoring Reader' on the hub");
            _writer = new ServiceAccess("Azure Resource Manager", _rest.Endpoints.ResourceManagerScope,
                "'Monitoring Contributor' on the hub, and 'Log Analytics Contributor' (or a role with Microsoft.OperationalInsights/workspaces/sharedKeys/action) on the workspace");
        }

        public IReadOnlyList<DiagnosticSettingInfo> List(CancellationToken cancellationToken)
        {
            using var document = _rest.Send(RequestMethod.Get, SettingUri(null), null, _reader, _hub.Id, cancellationToken);
            var result = new List<DiagnosticSettingInfo>();
            if (document == null) return result;
            if (!JsonValues.Array(document.RootElement, "value", out var list))
            {
                throw new TroubleshootException(ErrorIds.AzureResponseMalformed, ProblemKind.InvalidData, _hub.Id, "The diagnostic settings answer has no \"value\" array.");
            }

            foreach (var item in list.EnumerateArray())
            {
                if (JsonNode.Parse(item.GetRawText()) is JsonObject setting) result.Add(ToInfo(setting));
            }

            return result;
        }

        /// <summary>
        /// Creates the setting <paramref name="name"/> or updates it so that Connections goes to the workspace,
        /// keeping its other categories, metrics and destinations. Nothing is sent when it already does, or when
        /// <paramref name="shouldProcess"/> (target, action) says no; then the current state (or null) is returned.
        /// </summary>
        public DiagnosticSettingInfo? EnableConnections(string name, string workspaceResourceId, Func<string, string, bool> shouldProcess, IReporter reporter, CancellationToken cancellationToken)
        {
            var workspace = AzureResourceId.Parse(workspaceResourceId, "Microsoft.OperationalInsights/workspaces", "-WorkspaceResourceId");
            JsonObject? existing = null;
            try
            {
                // Read with the role the change needs: a refusal here names Monitoring Contributor, not Reader.
                using var document = _rest.Send(RequestMethod.Get, SettingUri(name), null, _writer, _hub.Id, cancellationToken);
                if (document != null) existing = JsonNode.Parse(document.RootElement.GetRawText()) as JsonObject;
            }
            catch (TroubleshootException ex) when (ex.ErrorId == ErrorIds.AzureResourceNotFound)
            {
                reporter.Verbose($"The hub has no diagnostic setting '{name}': it will be created.");
            }

            var properties = existing?["properties"] is JsonObject current ? (JsonObject)current.DeepClone() : new JsonObject();
            string before = properties.ToJsonString();
            string? otherWorkspace = JsonValues.String(properties["workspaceId"]);
            if (!string.IsNullOrEmpty(otherWorkspace) && !string.Equals(otherWorkspace!.TrimEnd('/'), workspace.Id, StringComparison.OrdinalIgnoreCase))
            {
                throw new TroubleshootException(ErrorIds.DiagnosticSettingConflict, ProblemKind.InvalidOperation, name,
                    $"The diagnostic setting '{name}' already sends to the workspace {otherWorkspace}; a setting has one workspace. Nothing was changed: "
                    + "give another -Name to add a setting for this workspace, or change that setting's workspace in the portal.");
            }

            if (string.IsNullOrEmpty(otherWorkspace)) properties["workspaceId"] = workspace.Id;
            var logs = properties["logs"] as JsonArray ?? new JsonArray();
            properties["logs"] = logs;
            if (!CoversConnections(logs))
            {
                var named = logs.OfType<JsonObject>().FirstOrDefault(l => string.Equals(JsonValues.String(l["category"]), Connections, StringComparison.OrdinalIgnoreCase));
                if (named != null) named["enabled"] = true;
                else logs.Add(new JsonObject { ["category"] = Connections, ["enabled"] = true });
            }

            var after = new JsonObject { ["properties"] = properties };
            if (existing != null && properties.ToJsonString() == before)
            {
                reporter.Verbose($"The diagnostic setting '{name}' already sends Connections to {workspace.Name}: nothing to change.");
                return ToInfo(existing);
            }

            string action = existing == null
                ? $"Create diagnostic setting '{name}' sending Connections logs to workspace {workspace.Name}"
                : $"Update diagnostic setting '{name}': send Connections logs to workspace {workspace.Name}, keeping its other categories and destinations";
            if (!shouldProcess(_hub.Id, action)) return existing == null ? null : ToInfo(existing);

            using var written = _rest.Send(RequestMethod.Put, SettingUri(name), after.ToJsonString(), _writer, _hub.Id, cancellationToken);
            var info = written != null && JsonNode.Parse(written.RootElement.GetRawText()) is JsonObject saved ? ToInfo(saved) : ToInfo(after);
            info.Name = name;
            info.Changed = true;
            return info;
        }

        private Uri SettingUri(string? name) =>
            new Uri(_rest.Endpoints.ResourceManager, _hub.ToPath().TrimStart('/') + "/providers/Microsoft.Insights/diagnosticSettings"
                + (name == null ? string.Empty : "/" + AzureResourceId.Segment(name, "-Name")) + "?api-version=" + ApiVersion);

        // Connections is on by name, or through the enabled allLogs group (which holds every category).
        private static bool CoversConnections(JsonArray logs) => logs.OfType<JsonObject>().Any(l =>
            JsonValues.IsTrue(l["enabled"])
            && (string.Equals(JsonValues.String(l["category"]), Connections, StringComparison.OrdinalIgnoreCase)
                || string.Equals(JsonValues.String(l["categoryGroup"]), "allLogs", StringComparison.OrdinalIgnoreCase)));

        private DiagnosticSettingInfo ToInfo(JsonObject setting)
        {
            var properties = setting["properties"] as JsonObject ?? new JsonObject();
            var logs = properties["logs"] as JsonArray ?? new JsonArray();
            return new DiagnosticSettingInfo
            {
                Name = JsonValues.String(setting["name"]) ?? string.Empty,
                ResourceId = _hub.Id,
                WorkspaceId = Text(properties, "workspaceId"),
                StorageAccountId = Text(properties, "storageAccountId"),
                EventHubAuthorizationRuleId = Text(properties, "eventHubAuthorizationRuleId"),
                EventHubName = Text(properties, "eventHubName"),
                Categories = logs.OfType<JsonObject>().Where(l => JsonValues.IsTrue(l["enabled"]))
                    .Select(l => JsonValues.String(l["category"]) ?? JsonValues.String(l["categoryGroup"])).Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).ToArray(),
                ConnectionsEnabled = CoversConnections(logs),
            };
        }

        private static string? Text(JsonObject properties, string name) => JsonValues.String(properties[name]) is string text && text.Length > 0 ? text : null;
    }
}
