using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Hub.Cloud;
using IoTEdgeTroubleshoot.LoopbackAzure;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub.Cloud
{
    /// <summary>
    /// Answers a broken or hostile server could give, and values a user could type: each is a
    /// TroubleshootException with a stable id (never another exception), and no key or token is in any
    /// event, warning, verbose line or message.
    /// </summary>
    public sealed class HostileCloudAnswerTests : IDisposable
    {
        private const string WorkspaceResourceId = "/subscriptions/0f3c2a5e-7d41-4b8e-9a6c-2d5b8e1f4a70/resourceGroups/monitor-rg/providers/Microsoft.OperationalInsights/workspaces/contoso-logs";
        private const string ActionGroupId = "/subscriptions/0f3c2a5e-7d41-4b8e-9a6c-2d5b8e1f4a70/resourceGroups/monitor-rg/providers/Microsoft.Insights/actionGroups/oncall";
        private const string PolicyKey = "c2VjcmV0LXBvbGljeS1rZXktdGhhdC1tdXN0LW5vdC1sZWFr";
        private const string Signature = "c2lnLXRoYXQtbXVzdC1ub3QtbGVhaw";
        private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        private readonly CloudTestServer _cloud = new CloudTestServer();
        private readonly CollectingReporter _reporter = new CollectingReporter();

        public void Dispose() => _cloud.Dispose();

        private ConnectionWorkspaceQuery Query(TimeSpan? length = null) => new ConnectionWorkspaceQuery
        {
            WorkspaceId = CloudTestServer.WorkspaceId,
            StartTime = Start,
            EndTime = Start + (length ?? TimeSpan.FromHours(1)),
        };

        private List<IoTHubConnectionEvent> Run(ConnectionWorkspaceQuery query, AzureConnectionSettings? settings = null, CancellationToken token = default) =>
            query.Run(settings ?? _cloud.Settings(), new ConnectionEventFilter(), _reporter, token).ToList();

        private static string Table(string columns, string rows) => "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":" + columns + ",\"rows\":" + rows + "}]}";

        private const string FullColumns = "[{\"name\":\"TimeGenerated\",\"type\":\"datetime\"},{\"name\":\"OperationName\",\"type\":\"string\"},{\"name\":\"Level\",\"type\":\"string\"},{\"name\":\"ResultDescription\",\"type\":\"string\"},{\"name\":\"properties_s\",\"type\":\"string\"}]";

        // ---- the Logs query API's answer

        [Theory]
        [InlineData("{\"tables\":[1]}", "a table")]
        [InlineData("{\"tables\":[{\"columns\":[{\"name\":\"TimeGenerated\"}],\"rows\":[null]}]}", "a row is not an array")]
        [InlineData("{\"tables\":[{\"columns\":[{\"name\":\"Level\"}],\"rows\":[[\"Error\"]]}]}", "TimeGenerated")]
        [InlineData("[]", "no \"tables\" array")]
        [InlineData("<html><body>Gateway</body></html>", "not valid JSON")]
        public void A_logs_answer_of_the_wrong_shape_is_AzureResponseMalformed(string body, string said)
        {
            _cloud.Server.AddFault(new Fault { Status = 200, Body = body });

            var ex = Assert.Throws<TroubleshootException>(() => Run(Query()));

            Assert.Equal(ErrorIds.AzureResponseMalformed, ex.ErrorId);
            Assert.Contains(said, ex.Message);
        }

        [Fact]
        public void A_200_with_an_error_and_no_rows_is_an_error_not_an_empty_answer()
        {
            _cloud.Server.AddFault(new Fault { Status = 200, Body = "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"The query engine failed.\"}}" });

            var ex = Assert.Throws<TroubleshootException>(() => Run(Query()));

            Assert.Equal(ErrorIds.AzureRequestFailed, ex.ErrorId);
            Assert.Contains("InternalServerError: The query engine failed.", ex.Message);
        }

        [Fact]
        public void Cells_of_the_wrong_type_skip_the_row_with_one_warning_and_keep_the_others()
        {
            _cloud.Server.AddFault(new Fault
            {
                Status = 200,
                Body = Table(FullColumns, "[[12345,\"deviceDisconnect\",\"Error\",\"x\",\"{}\"],[\"2026-11-20T00:10:00Z\",7,null,{\"a\":1},[1,2]],[\"2026-11-20T00:11:00Z\"]]"),
            });

            var events = Run(Query());

            Assert.Equal(2, events.Count);
            Assert.Equal("7", events[0].OperationName);
            Assert.Equal(string.Empty, events[1].OperationName); // a short row: the missing cells are empty
            Assert.Contains(_reporter.Warnings, w => w.Contains("no readable TimeGenerated ('12345')", StringComparison.Ordinal));
        }

        [Fact]
        public void Keys_and_tokens_in_rows_are_masked_in_the_events_and_the_warnings()
        {
            string sas = $"SharedAccessSignature sr=contoso-iot-prod.azure-devices.net%2Fdevices%2Fd1&sig={Signature}&se=1800000000";
            var properties = new JsonObject { ["deviceId"] = "d1", ["errorMessage"] = "token " + sas + " refused", ["statusCode"] = "401003" }.ToJsonString();
            var notJson = $"HostName=h.azure-devices.net;DeviceId=d1;SharedAccessKey={PolicyKey}";
            var rows = new JsonArray(
                new JsonArray("2026-11-20T00:01:00Z", "deviceConnect", "Error", "HostName=h;SharedAccessKey=" + PolicyKey, properties),
                new JsonArray("2026-11-20T00:02:00Z", "deviceConnect", "Error", "x", notJson),
                new JsonArray("Bearer " + _cloud.Token, "deviceConnect", "Error", "x", "{}"));
            _cloud.Server.AddFault(new Fault
            {
                Status = 200,
                Body = "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":" + FullColumns + ",\"rows\":" + rows.ToJsonString() + "}],"
                    + "\"error\":{\"code\":\"PartialError\",\"message\":\"A cross-workspace part failed: SharedAccessKey=" + PolicyKey + "\"}}",
            });

            var events = Run(Query());

            Assert.Equal(2, events.Count);
            Assert.Contains(SecretMasker.Masked, events[0].ErrorMessage);
            Assert.Contains(SecretMasker.Masked, events[0].ResultDescription);
            string everything = string.Join("\n", events.Select(e => JsonSerializer.Serialize(e)).Concat(_reporter.Warnings).Concat(_reporter.Verbose));
            Assert.DoesNotContain(PolicyKey, everything);
            Assert.DoesNotContain(Signature, everything);
            Assert.DoesNotContain(_cloud.Token.Split('.')[1], everything);
            Assert.Contains(_reporter.Warnings, w => w.Contains("PartialError", StringComparison.Ordinal));
        }

        [Fact]
        public void An_error_page_in_html_is_said_by_its_title_not_dumped()
        {
            _cloud.Server.AddFault(new Fault { Status = 400, Body = "<!DOCTYPE html><html><head><title>400 Bad Request</title><style>body{}</style></head><body><h1>Bad</h1>" + new string('x', 5000) + "</body></html>" });

            var ex = Assert.Throws<TroubleshootException>(() => Run(Query()));

            Assert.Equal(ErrorIds.AzureRequestRejected, ex.ErrorId);
            Assert.Contains("an HTML page titled '400 Bad Request'", ex.Message);
            Assert.DoesNotContain("<style>", ex.Message);
        }

        [Fact]
        public void A_huge_row_is_read()
        {
            string big = new string('e', 2_000_000);
            var rows = new JsonArray(new JsonArray("2026-11-20T00:01:00Z", "deviceDisconnect", "Error", big, new JsonObject { ["deviceId"] = "d1", ["errorMessage"] = big }.ToJsonString()));
            _cloud.Server.AddFault(new Fault { Status = 200, Body = Table(FullColumns, rows.ToJsonString()) });

            var e = Assert.Single(Run(Query()));

            Assert.Equal(big.Length, e.ErrorMessage!.Length);
        }

        [Fact]
        public void A_tls_failure_says_why_not_see_inner_exception()
        {
            var settings = _cloud.Settings(maxRetries: 0);
            settings.Transport = null; // the system's trust store: the test certificate is not in it

            var ex = Assert.Throws<TroubleshootException>(() => Run(Query(), settings));

            Assert.Equal(ErrorIds.AzureConnectionFailed, ex.ErrorId);
            Assert.DoesNotContain("see inner exception", ex.Message);
            Assert.Contains("certificate", ex.Message, StringComparison.OrdinalIgnoreCase);
        }

        // ---- time ranges

        [Fact]
        public void Ten_years_are_read_in_few_requests_pages_growing_while_they_are_sparse()
        {
            _cloud.AddRow(Start.AddDays(10), "early");
            _cloud.AddRow(Start.AddDays(3000), "late");

            var events = Run(Query(TimeSpan.FromDays(3653)));

            Assert.Equal(new[] { "early", "late" }, events.Select(e => e.DeviceId));
            Assert.True(_cloud.Server.Requests.Count < 40, $"{_cloud.Server.Requests.Count} requests for ten years");
            var spans = _cloud.Server.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("timespan").GetString()!.Split('/'))
                .Select(s => (Start: DateTimeOffset.Parse(s[0]), End: DateTimeOffset.Parse(s[1]))).ToList();
            Assert.Equal(Start, spans[0].Start);
            Assert.Equal(Start.AddDays(3653), spans[^1].End);
            for (int i = 1; i < spans.Count; i++) Assert.Equal(spans[i - 1].End, spans[i].Start); // no gap, no overlap
        }

        [Fact]
        public void A_range_in_the_future_is_queried_and_finds_nothing()
        {
            var query = Query();
            query.StartTime = DateTimeOffset.UtcNow.AddYears(5);
            query.EndTime = query.StartTime.AddDays(1);

            Assert.Empty(Run(query));
            Assert.Single(_cloud.Server.Requests);
        }

        // ---- retries

        [Fact]
        public void Retry_after_as_an_http_date_is_waited_for()
        {
            _cloud.AddRow(Start.AddMinutes(5), "d1");
            // An HTTP date has whole seconds: 4 s ahead is 3 to 4 s ahead, so a slow first answer on a loaded machine
            // still arrives before the date (and the date stays under the 5 s the test settings honour).
            var when = DateTimeOffset.UtcNow.AddSeconds(4);
            string header = when.ToString("r", System.Globalization.CultureInfo.InvariantCulture);
            var date = DateTimeOffset.Parse(header, System.Globalization.CultureInfo.InvariantCulture);
            _cloud.Server.AddFault(new Fault { Status = 503, Headers = { ["Retry-After"] = header } });

            Assert.Single(Run(Query()));

            Assert.Equal(2, _cloud.Server.Requests.Count);
            // Load only makes the retry later: it came no earlier than the date the service named.
            var finished = DateTimeOffset.UtcNow;
            Assert.True(finished >= date, $"finished at {finished:O}, before the Retry-After date {date:O}");
            Assert.Contains(_reporter.Verbose, v => v.Contains("answered 503 with Retry-After", StringComparison.Ordinal));
        }

        // ---- -AccessToken

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("eyJ0eXAi.eyJ1cG4i.c2ln\r\nX-Injected: 1")]
        public void An_empty_or_broken_access_token_is_refused_before_any_request(string token)
        {
            var settings = _cloud.Settings();
            settings.AccessToken = CloudTestServer.Secure(token);

            var ex = Assert.Throws<TroubleshootException>(() => Run(Query(), settings));

            Assert.Equal(ErrorIds.InvalidAccessToken, ex.ErrorId);
            Assert.DoesNotContain("eyJ", ex.Message);
            Assert.Empty(_cloud.Server.Requests);
        }

        [Theory]
        [InlineData("{\"exp\":99999999999999999999}")]
        [InlineData("{\"exp\":\"tomorrow\",\"upn\":42}")]
        [InlineData("[1,2,3]")]
        [InlineData("{\"upn\":\"eve@contoso.com Bearer abc.def.ghi SharedAccessKey=ZZZZ\"}")]
        [InlineData("not json at all")]
        public void A_token_with_a_weird_payload_is_sent_and_a_refusal_is_said_without_it(string payload)
        {
            string part = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(payload)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            string token = "eyJhbGciOiJub25lIn0." + part + ".c2lnbmF0dXJl";
            var settings = _cloud.Settings();
            settings.AccessToken = CloudTestServer.Secure(token);

            var ex = Assert.Throws<TroubleshootException>(() => Run(Query(), settings));

            Assert.Equal(ErrorIds.AzureAccessDenied, ex.ErrorId);
            Assert.Equal("Bearer " + token, Assert.Single(_cloud.Server.Requests).Header("Authorization"));
            Assert.DoesNotContain(part, ex.ToString());
            Assert.DoesNotContain("ZZZZ", ex.Message);
        }

        // ---- Resource Manager answers

        [Theory]
        [InlineData("[]")]
        [InlineData("{\"value\":[1,\"x\",{\"timeseries\":[7,{\"data\":[1,{\"timeStamp\":5},{\"timeStamp\":\"2026-11-20T00:00:00Z\",\"minimum\":\"9\"}]}]}]}")]
        [InlineData("{\"value\":[{\"timeseries\":{\"data\":[]}}]}")]
        public void A_metrics_answer_of_the_wrong_shape_is_no_crash(string body)
        {
            _cloud.Server.AddFault(new Fault { Status = 200, Body = body });

            var request = new ConnectedDeviceMetricRequest { ResourceId = CloudTestServer.HubId, StartTime = Start, EndTime = Start.AddHours(1) };
            try
            {
                Assert.Empty(request.Run(_cloud.Settings(), _reporter, default));
            }
            catch (TroubleshootException ex)
            {
                Assert.Equal(ErrorIds.AzureResponseMalformed, ex.ErrorId);
            }
        }

        [Theory]
        [InlineData("[]")]
        [InlineData("{\"value\":[1,{\"name\":5,\"properties\":{\"workspaceId\":7,\"logs\":[{\"category\":9,\"enabled\":\"yes\"},3]}}]}")]
        [InlineData("{\"value\":[{\"properties\":[]}]}")]
        public void A_settings_list_of_the_wrong_shape_is_no_crash(string body)
        {
            _cloud.Server.AddFault(new Fault { Status = 200, Body = body });

            try
            {
                var list = new DiagnosticSettingsClient(CloudTestServer.HubId, _cloud.Settings(), _reporter).List(default);
                Assert.All(list, s => Assert.False(s.ConnectionsToWorkspace));
            }
            catch (TroubleshootException ex)
            {
                Assert.Equal(ErrorIds.AzureResponseMalformed, ex.ErrorId);
            }
        }

        [Theory]
        [InlineData("{\"name\":\"main\",\"properties\":{\"workspaceId\":7,\"logs\":[{\"category\":\"Connections\",\"enabled\":\"true\"}]}}")]
        [InlineData("{\"name\":\"main\",\"properties\":{\"logs\":{\"category\":\"Connections\"}}}")]
        [InlineData("[\"main\"]")]
        public void Enable_over_a_setting_of_the_wrong_shape_is_no_crash(string existing)
        {
            _cloud.Server.AddFault(new Fault { Status = 200, Body = existing, PathContains = "diagnosticSettings/main" });

            try
            {
                var info = new DiagnosticSettingsClient(CloudTestServer.HubId, _cloud.Settings(), _reporter).EnableConnections("main", WorkspaceResourceId, (_, _) => true, _reporter, default);
                Assert.True(info!.ConnectionsToWorkspace);
            }
            catch (TroubleshootException ex)
            {
                Assert.Contains(ex.ErrorId, new[] { ErrorIds.AzureResponseMalformed, ErrorIds.DiagnosticSettingConflict });
            }
        }

        [Theory]
        [InlineData("[]")]
        [InlineData("{\"id\":5}")]
        public void An_alert_answer_of_the_wrong_shape_is_no_crash(string body)
        {
            _cloud.Server.AddFault(new Fault { Status = 200, Body = body });

            var created = new ConnectedDeviceAlertRequest { ResourceId = CloudTestServer.HubId, Threshold = 5, ActionGroupId = new[] { ActionGroupId } }
                .Create(_cloud.Settings(), (_, _) => true, _reporter, default);

            Assert.StartsWith("/subscriptions/", created!.Id);
        }

        // ---- values that would change the request's path

        [Theory]
        [InlineData(".")]
        [InlineData("..")]
        public void A_device_id_that_is_a_dot_segment_is_refused_before_any_request(string deviceId)
        {
            var request = new DeviceStatusRequest { HubName = "contoso-iot-prod", HubEndpoint = _cloud.Server.Endpoint };

            var ex = Assert.Throws<TroubleshootException>(() => request.Get(deviceId, _cloud.Settings(), _reporter, default));

            Assert.Equal(ErrorIds.InvalidAzureName, ex.ErrorId);
            Assert.Empty(_cloud.Server.Requests);
        }

        [Theory]
        [InlineData(".")]
        [InlineData("..")]
        public void A_setting_or_rule_name_that_is_a_dot_segment_is_refused_before_any_request(string name)
        {
            var settingError = Assert.Throws<TroubleshootException>(() =>
                new DiagnosticSettingsClient(CloudTestServer.HubId, _cloud.Settings(), _reporter).EnableConnections(name, WorkspaceResourceId, (_, _) => true, _reporter, default));
            var ruleError = Assert.Throws<TroubleshootException>(() =>
                new ConnectedDeviceAlertRequest { ResourceId = CloudTestServer.HubId, Threshold = 5, ActionGroupId = new[] { ActionGroupId }, Name = name }.Create(_cloud.Settings(), (_, _) => true, _reporter, default));

            Assert.Equal(ErrorIds.InvalidAzureName, settingError.ErrorId);
            Assert.Equal(ErrorIds.InvalidAzureName, ruleError.ErrorId);
            Assert.Empty(_cloud.Server.Requests);
        }

        [Theory]
        [InlineData("/subscriptions/s/resourceGroups/g/providers/Microsoft.Devices/IotHubs/.")]
        [InlineData("/subscriptions/s/resourceGroups/./providers/Microsoft.Devices/IotHubs/h")]
        [InlineData("/subscriptions/s/resourceGroups/g/providers/Microsoft.Devices/IotHubs/h\nx")]
        public void A_resource_id_with_a_dot_segment_or_a_control_character_is_refused(string id)
        {
            var ex = Assert.Throws<TroubleshootException>(() => AzureResourceId.Parse(id, "Microsoft.Devices/IotHubs", "-ResourceId"));
            Assert.Equal(ErrorIds.InvalidResourceId, ex.ErrorId);
        }

        // ---- 401 and 403: the identity and the role each command needs

        [Theory]
        [InlineData("query", 403, "'Log Analytics Reader' on the workspace")]
        [InlineData("metric", 403, "'Monitoring Reader' on the hub")]
        [InlineData("settings", 403, "'Monitoring Reader' on the hub")]
        [InlineData("enable", 403, "'Monitoring Contributor' on the hub")]
        [InlineData("alert", 403, "'Monitoring Contributor' on the resource group")]
        [InlineData("device", 403, "'IoT Hub Data Reader' on the hub")]
        [InlineData("enable", 401, "'Monitoring Contributor' on the hub")]
        [InlineData("device", 401, "'IoT Hub Data Reader' on the hub")]
        public void A_refusal_names_the_identity_and_the_role_the_command_needs(string which, int status, string role)
        {
            _cloud.Server.AddFault(new Fault { Status = status, Body = "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"no\"}}" });

            var ex = Assert.Throws<TroubleshootException>(() => Request(which, _cloud.Settings(), default)());

            Assert.Equal(ErrorIds.AzureAccessDenied, ex.ErrorId);
            Assert.Contains("user 'ana@contoso.com' (object id 11111111-2222-3333-4444-555555555555) from the -AccessToken token", ex.Message);
            Assert.Contains(role, ex.Message);
            Assert.DoesNotContain(_cloud.Token.Split('.')[1], ex.ToString());
        }

        private Action Request(string which, AzureConnectionSettings settings, CancellationToken token) => which switch
        {
            "metric" => () => new ConnectedDeviceMetricRequest { ResourceId = CloudTestServer.HubId, StartTime = Start, EndTime = Start.AddHours(1) }.Run(settings, _reporter, token),
            "settings" => () => new DiagnosticSettingsClient(CloudTestServer.HubId, settings, _reporter).List(token),
            "enable" => () => new DiagnosticSettingsClient(CloudTestServer.HubId, settings, _reporter).EnableConnections("n", WorkspaceResourceId, (_, _) => true, _reporter, token),
            "alert" => () => new ConnectedDeviceAlertRequest { ResourceId = CloudTestServer.HubId, Threshold = 1, ActionGroupId = new[] { ActionGroupId } }.Create(settings, (_, _) => true, _reporter, token),
            "device" => () => new DeviceStatusRequest { HubName = "h", HubEndpoint = _cloud.Server.Endpoint }.Get("d1", settings, _reporter, token),
            _ => () => Run(Query(), settings, token),
        };

        // ---- Ctrl+C in every request

        public static IEnumerable<object[]> EveryRequest() => new[]
        {
            // The Logs query is WorkspaceQueryTests.A_slow_answer_is_cancelled.
            new object[] { "metric" }, new object[] { "settings" }, new object[] { "enable" }, new object[] { "alert" }, new object[] { "device" },
        };

        [Theory]
        [MemberData(nameof(EveryRequest))]
        public void Every_request_ends_on_cancel(string which)
        {
            _cloud.Server.AddFault(new Fault { Status = 200, DelayMilliseconds = 30_000, Body = "{}" });
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var run = Request(which, _cloud.Settings(), cancel.Token);

            var clock = Stopwatch.StartNew();
            Assert.ThrowsAny<OperationCanceledException>(run);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"cancelled after {clock.Elapsed}");
        }
    }
}
