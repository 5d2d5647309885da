using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IoTEdgeTroubleshoot.Hub.Cloud;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using IoTEdgeTroubleshoot.LoopbackAzure;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub.Cloud
{
    /// <summary>Metrics, device status, diagnostic settings and the alert rule against the loopback server.</summary>
    public sealed class HubCloudCommandsTests : IDisposable
    {
        private const string WorkspaceResourceId = "/subscriptions/0f3c2a5e-7d41-4b8e-9a6c-2d5b8e1f4a70/resourceGroups/monitor-rg/providers/Microsoft.OperationalInsights/workspaces/contoso-logs";
        private const string ActionGroupId = "/subscriptions/0f3c2a5e-7d41-4b8e-9a6c-2d5b8e1f4a70/resourceGroups/monitor-rg/providers/Microsoft.Insights/actionGroups/oncall";
        private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        private readonly CloudTestServer _cloud = new CloudTestServer();
        private readonly CollectingReporter _reporter = new CollectingReporter();

        public void Dispose() => _cloud.Dispose();

        // ---- connectedDeviceCount

        [Fact]
        public void Metric_request_has_the_documented_shape_and_drops_are_flagged()
        {
            double[] minimums = { 1000, 1002, 998, 1001, 940, 1000, 999 };
            for (int i = 0; i < minimums.Length; i++)
            {
                _cloud.Server.MetricPoints.Add(new JsonObject { ["timeStamp"] = Start.AddMinutes(5 * i).UtcDateTime.ToString("o"), ["minimum"] = minimums[i], ["average"] = minimums[i] + 2, ["maximum"] = minimums[i] + 5 });
            }

            _cloud.Server.MetricPoints.Add(new JsonObject { ["timeStamp"] = Start.AddMinutes(35).UtcDateTime.ToString("o") }); // an empty grain
            var points = new ConnectedDeviceMetricRequest { ResourceId = CloudTestServer.HubId, StartTime = Start, EndTime = Start.AddHours(1), Interval = TimeSpan.FromMinutes(5) }
                .Run(_cloud.Settings(), _reporter, default);

            var request = Assert.Single(_cloud.Server.Requests);
            Assert.Equal("GET", request.Method);
            Assert.Equal(CloudTestServer.HubId + "/providers/Microsoft.Insights/metrics", request.Path);
            Assert.Equal("2023-10-01", request.QueryValue("api-version"));
            Assert.Equal("connectedDeviceCount", request.QueryValue("metricnames"));
            Assert.Equal("minimum,average,maximum", request.QueryValue("aggregation"));
            Assert.Equal("PT5M", request.QueryValue("interval"));
            Assert.Equal("2026-11-20T00:00:00.0000000Z/2026-11-20T01:00:00.0000000Z", request.QueryValue("timespan"));
            Assert.Equal(7, points.Count);
            Assert.Equal(new[] { false, false, false, false, true, false, false }, points.Select(p => p.IsDrop));
            Assert.Equal(6.0, points[4].DropPercent);
            Assert.Equal(942, points[4].Average);
            Assert.Equal(945, points[4].Maximum);
            Assert.All(points, p => Assert.Equal(CloudTestServer.HubId, p.ResourceId));
        }

        [Fact]
        public void Drop_threshold_decides_what_is_a_drop()
        {
            var points = new[] { 100.0, 100, 100, 97 }.Select((m, i) => new ConnectedDeviceMetricPoint(Start.AddMinutes(i), m)).ToList();
            ConnectedDeviceMetricRequest.FlagDrops(points, 5);
            Assert.False(points[3].IsDrop);
            Assert.Equal(3.0, points[3].DropPercent);
            ConnectedDeviceMetricRequest.FlagDrops(points, 2.5);
            Assert.True(points[3].IsDrop);
        }

        [Fact]
        public void Metric_on_a_resource_id_that_is_not_a_hub_is_refused_before_any_request()
        {
            var ex = Assert.Throws<TroubleshootException>(() => new ConnectedDeviceMetricRequest { ResourceId = WorkspaceResourceId, StartTime = Start, EndTime = Start.AddHours(1) }.Run(_cloud.Settings(), _reporter, default));
            Assert.Equal(ErrorIds.InvalidResourceId, ex.ErrorId);
            Assert.Empty(_cloud.Server.Requests);
        }

        [Fact]
        public void Metric_403_asks_for_Monitoring_Reader()
        {
            _cloud.Server.AddFault(new Fault { Status = 403, Body = "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"The client does not have authorization to perform action 'microsoft.insights/metrics/read'.\"}}" });
            var ex = Assert.Throws<TroubleshootException>(() => new ConnectedDeviceMetricRequest { ResourceId = CloudTestServer.HubId, StartTime = Start, EndTime = Start.AddHours(1) }.Run(_cloud.Settings(), _reporter, default));
            Assert.Equal(ErrorIds.AzureAccessDenied, ex.ErrorId);
            Assert.Contains("'Monitoring Reader'", ex.Message);
            Assert.Contains("AuthorizationFailed", ex.Message);
        }

        // ---- device status

        private DeviceStatusRequest Device() => new DeviceStatusRequest { HubName = "contoso-iot-prod", HubEndpoint = _cloud.Server.Endpoint };

        [Fact]
        public void Device_status_reads_the_registry_identity()
        {
            _cloud.Server.Devices["thermostat 17/a#b"] = JsonNode.Parse("{\"deviceId\":\"thermostat 17/a#b\",\"status\":\"disabled\",\"statusReason\":\"stolen\",\"connectionState\":\"Disconnected\","
                + "\"lastActivityTime\":\"2026-11-20T03:04:05.123Z\",\"connectionStateUpdatedTime\":\"0001-01-01T00:00:00Z\",\"authentication\":{\"type\":\"sas\"},\"capabilities\":{\"iotEdge\":true}}")!.AsObject();

            var status = Device().Get("thermostat 17/a#b", _cloud.Settings(), _reporter, default);

            var request = Assert.Single(_cloud.Server.Requests);
            Assert.Equal("/devices/thermostat%2017%2Fa%23b", request.Path);
            Assert.Equal("2021-04-12", request.QueryValue("api-version"));
            Assert.Equal("Bearer " + _cloud.Token, request.Header("Authorization"));
            Assert.Equal("Disabled", status.Status);
            Assert.Equal("stolen", status.StatusReason);
            Assert.Equal("Disconnected", status.ConnectionState);
            Assert.Equal(new DateTimeOffset(2026, 11, 20, 3, 4, 5, 123, TimeSpan.Zero), status.LastActivityTime);
            Assert.Null(status.ConnectionStateUpdatedTime);
            Assert.Equal("sas", status.AuthenticationType);
            Assert.True(status.IsEdgeDevice);
        }

        [Fact]
        public void Unknown_device_is_404001_DeviceNotFound()
        {
            var ex = Assert.Throws<TroubleshootException>(() => Device().Get("ghost", _cloud.Settings(), _reporter, default));
            Assert.Equal(ErrorIds.DeviceNotFound, ex.ErrorId);
            Assert.Equal(ProblemKind.ObjectNotFound, ex.Kind);
            Assert.Contains("404001", ex.Message);
            Assert.Equal("ghost", ex.Target);
        }

        [Fact]
        public void A_service_connection_string_signs_with_a_valid_sas_token_and_the_key_is_never_shown()
        {
            _cloud.Server.Devices["d1"] = JsonNode.Parse("{\"deviceId\":\"d1\",\"status\":\"enabled\",\"connectionState\":\"Connected\",\"authentication\":{\"type\":\"selfSigned\"}}")!.AsObject();
            var key = Convert.ToBase64String(Encoding.UTF8.GetBytes("the-policy-key-0123456789abcdef"));
            var request = Device();
            request.ConnectionString = CloudTestServer.Secure($"HostName=contoso-iot-prod.azure-devices.net;SharedAccessKeyName=registryRead;SharedAccessKey={key}");

            var status = request.Get("d1", _cloud.Settings(), _reporter, default);

            Assert.Equal("Enabled", status.Status);
            string authorization = Assert.Single(_cloud.Server.Requests).Header("Authorization")!;
            var fields = authorization.Substring("SharedAccessSignature ".Length).Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
            Assert.Equal("contoso-iot-prod.azure-devices.net", fields["sr"]);
            Assert.Equal("registryRead", fields["skn"]);
            using var hmac = new HMACSHA256(Convert.FromBase64String(key));
            Assert.Equal(Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes("contoso-iot-prod.azure-devices.net\n" + fields["se"]))), fields["sig"]);
            Assert.All(_reporter.Verbose, v => Assert.DoesNotContain(key, v));
        }

        [Theory]
        [InlineData("HostName=h.azure-devices.net;DeviceId=d;SharedAccessKey=AAAA", "device's connection string")]
        [InlineData("HostName=h.azure-devices.net;SharedAccessKeyName=p", "HostName=<hub>")]
        [InlineData("HostName=h.azure-devices.net;SharedAccessKeyName=p;SharedAccessKey=not*base64", "not base64")]
        public void A_connection_string_that_cannot_sign_is_refused_without_echoing_it(string connectionString, string said)
        {
            var request = Device();
            request.ConnectionString = CloudTestServer.Secure(connectionString);
            var ex = Assert.Throws<TroubleshootException>(() => request.Get("d1", _cloud.Settings(), _reporter, default));
            Assert.Equal(ErrorIds.InvalidHubConnectionString, ex.ErrorId);
            Assert.Contains(said, ex.Message);
            Assert.DoesNotContain("not*base64", ex.Message);
            Assert.Empty(_cloud.Server.Requests);
        }

        // ---- diagnostic settings

        private DiagnosticSettingsClient Settings() => new DiagnosticSettingsClient(CloudTestServer.HubId, _cloud.Settings(), _reporter);

        private void PutSetting(string name, string propertiesJson) =>
            _cloud.Server.DiagnosticSettings[CloudTestServer.HubId + "|" + name] = JsonNode.Parse($"{{\"id\":\"{CloudTestServer.HubId}/providers/microsoft.insights/diagnosticSettings/{name}\",\"name\":\"{name}\",\"properties\":{propertiesJson}}}")!.AsObject();

        [Fact]
        public void Settings_say_whether_Connections_reaches_a_workspace()
        {
            PutSetting("to-storage", "{\"storageAccountId\":\"/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/logs\",\"logs\":[{\"category\":\"Connections\",\"enabled\":true}]}");
            PutSetting("all-to-la", $"{{\"workspaceId\":\"{WorkspaceResourceId}\",\"logs\":[{{\"categoryGroup\":\"allLogs\",\"enabled\":true}}]}}");

            var list = Settings().List(default).OrderBy(s => s.Name).ToList();

            Assert.Equal("/" + CloudTestServer.HubId.TrimStart('/') + "/providers/Microsoft.Insights/diagnosticSettings", Assert.Single(_cloud.Server.Requests).Path);
            Assert.Equal("2021-05-01-preview", _cloud.Server.Requests[0].QueryValue("api-version"));
            Assert.True(list[0].ConnectionsToWorkspace);
            Assert.Equal(new[] { "allLogs" }, list[0].Categories);
            Assert.True(list[1].ConnectionsEnabled);
            Assert.False(list[1].ConnectionsToWorkspace);
        }

        [Fact]
        public void Enable_creates_a_setting_with_Connections_to_the_workspace()
        {
            var info = Settings().EnableConnections("connections-to-la", WorkspaceResourceId, (_, _) => true, _reporter, default);

            var put = _cloud.Server.Requests.Single(r => r.Method == "PUT");
            Assert.EndsWith("/providers/Microsoft.Insights/diagnosticSettings/connections-to-la", put.Path);
            var body = JsonNode.Parse(put.Body)!;
            Assert.Equal(WorkspaceResourceId, (string?)body["properties"]!["workspaceId"]);
            Assert.Equal("[{\"category\":\"Connections\",\"enabled\":true}]", body["properties"]!["logs"]!.ToJsonString());
            Assert.True(info!.Changed);
            Assert.True(info.ConnectionsToWorkspace);
        }

        [Fact]
        public void Enable_keeps_the_categories_and_destinations_a_setting_has_and_a_second_run_changes_nothing()
        {
            PutSetting("main", $"{{\"storageAccountId\":\"/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/logs\",\"eventHubName\":\"hub-logs\",\"logs\":[{{\"category\":\"Routes\",\"enabled\":true}},{{\"category\":\"Connections\",\"enabled\":false}}],\"metrics\":[{{\"category\":\"AllMetrics\",\"enabled\":true}}]}}");

            var first = Settings().EnableConnections("main", WorkspaceResourceId, (_, _) => true, _reporter, default);
            var body = JsonNode.Parse(_cloud.Server.Requests.Single(r => r.Method == "PUT").Body)!["properties"]!;
            Assert.Equal("/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/logs", (string?)body["storageAccountId"]);
            Assert.Equal("hub-logs", (string?)body["eventHubName"]);
            Assert.Equal("[{\"category\":\"Routes\",\"enabled\":true},{\"category\":\"Connections\",\"enabled\":true}]", body["logs"]!.ToJsonString());
            Assert.Equal("[{\"category\":\"AllMetrics\",\"enabled\":true}]", body["metrics"]!.ToJsonString());
            Assert.True(first!.Changed);

            _cloud.Server.ClearRequests();
            var second = Settings().EnableConnections("main", WorkspaceResourceId, (_, _) => throw new InvalidOperationException("no change expected"), _reporter, default);
            Assert.DoesNotContain(_cloud.Server.Requests, r => r.Method == "PUT");
            Assert.False(second!.Changed);
            Assert.True(second.ConnectionsToWorkspace);
        }

        [Fact]
        public void Enable_with_WhatIf_sends_nothing()
        {
            string? said = null;
            var info = Settings().EnableConnections("new", WorkspaceResourceId, (target, action) => { said = target + " | " + action; return false; }, _reporter, default);
            Assert.Null(info);
            Assert.DoesNotContain(_cloud.Server.Requests, r => r.Method == "PUT");
            Assert.Equal(CloudTestServer.HubId + " | Create diagnostic setting 'new' sending Connections logs to workspace contoso-logs", said);
        }

        [Fact]
        public void Enable_refuses_a_setting_that_sends_to_another_workspace()
        {
            PutSetting("main", "{\"workspaceId\":\"/subscriptions/s/resourceGroups/g/providers/Microsoft.OperationalInsights/workspaces/other\",\"logs\":[]}");
            var ex = Assert.Throws<TroubleshootException>(() => Settings().EnableConnections("main", WorkspaceResourceId, (_, _) => true, _reporter, default));
            Assert.Equal(ErrorIds.DiagnosticSettingConflict, ex.ErrorId);
            Assert.DoesNotContain(_cloud.Server.Requests, r => r.Method == "PUT");
        }

        // ---- metric alert

        [Fact]
        public void Alert_rule_is_put_on_connectedDeviceCount_Minimum()
        {
            var created = new ConnectedDeviceAlertRequest { ResourceId = CloudTestServer.HubId, Threshold = 950, ActionGroupId = new[] { ActionGroupId }, Severity = 1, WindowSize = TimeSpan.FromMinutes(30), Frequency = TimeSpan.FromMinutes(15) }
                .Create(_cloud.Settings(), (_, _) => true, _reporter, default);

            var put = Assert.Single(_cloud.Server.Requests);
            Assert.Equal("PUT", put.Method);
            Assert.Equal("/subscriptions/0f3c2a5e-7d41-4b8e-9a6c-2d5b8e1f4a70/resourceGroups/iot-prod-rg/providers/Microsoft.Insights/metricAlerts/contoso-iot-prod%20connected%20devices%20below%20950", put.Path);
            Assert.Equal("2018-03-01", put.QueryValue("api-version"));
            var body = JsonNode.Parse(put.Body)!;
            Assert.Equal("global", (string?)body["location"]);
            var properties = body["properties"]!;
            Assert.Equal(1, (int)properties["severity"]!);
            Assert.Equal("PT30M", (string?)properties["windowSize"]);
            Assert.Equal("PT15M", (string?)properties["evaluationFrequency"]);
            Assert.Equal(CloudTestServer.HubId, (string?)properties["scopes"]![0]);
            var criterion = properties["criteria"]!["allOf"]![0]!;
            Assert.Equal("Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria", (string?)properties["criteria"]!["odata.type"]);
            Assert.Equal("connectedDeviceCount", (string?)criterion["metricName"]);
            Assert.Equal("Minimum", (string?)criterion["timeAggregation"]);
            Assert.Equal("LessThan", (string?)criterion["operator"]);
            Assert.Equal(950, (double)criterion["threshold"]!);
            Assert.Equal(ActionGroupId, (string?)properties["actions"]![0]!["actionGroupId"]);
            Assert.Equal("contoso-iot-prod connected devices below 950", created!.Name);
        }

        [Theory]
        [InlineData(7, 5)]
        [InlineData(15, 30)]
        [InlineData(15, 2)]
        public void Alert_timing_the_service_would_refuse_is_refused_first(int windowMinutes, int frequencyMinutes)
        {
            var ex = Assert.Throws<TroubleshootException>(() => new ConnectedDeviceAlertRequest { ResourceId = CloudTestServer.HubId, Threshold = 1, ActionGroupId = new[] { ActionGroupId }, WindowSize = TimeSpan.FromMinutes(windowMinutes), Frequency = TimeSpan.FromMinutes(frequencyMinutes) }
                .Create(_cloud.Settings(), (_, _) => true, _reporter, default));
            Assert.Equal(ErrorIds.InvalidAlertTiming, ex.ErrorId);
            Assert.Empty(_cloud.Server.Requests);
        }

        [Fact]
        public void Alert_with_WhatIf_sends_nothing()
        {
            var created = new ConnectedDeviceAlertRequest { ResourceId = CloudTestServer.HubId, Threshold = 5, ActionGroupId = new[] { ActionGroupId } }.Create(_cloud.Settings(), (_, _) => false, _reporter, default);
            Assert.Null(created);
            Assert.Empty(_cloud.Server.Requests);
        }
    }
}
