using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using IoTEdgeTroubleshoot.Edge.KnownIssues;
using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Edge.Remote;
using IoTEdgeTroubleshoot.LoopbackAzure;
using IoTEdgeTroubleshoot.Platform;
using IoTEdgeTroubleshoot.Tests.Hub.Cloud;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Remote
{
    /// <summary>edgeAgent's direct methods through IoT Hub against the loopback server: online, offline, slow, cut, refused, throttled devices.</summary>
    public sealed class RemoteEdgeTests : IDisposable
    {
        private const string AgentLog =
            "<6> 2026-11-20 10:00:00.000 +00:00 [INF] - Starting module management agent.\n"
            + "<3> 2026-11-20 10:00:05.123 +00:00 [ERR] - Error starting module edgeHub\n"
            + "Docker.DotNet.DockerApiException: Docker API responded with status code=InternalServerError, response={\"message\":\"driver failed programming external connectivity on endpoint edgeHub: Bind for 0.0.0.0:443 failed: port is already allocated\"}\n"
            + "   at Docker.DotNet.DockerClient.HandleIfErrorResponseAsync()\n"
            + "<4> 2026-11-20 10:00:10.000 +00:00 [WRN] - Module edgeHub is not running.\n";

        private readonly CloudTestServer _cloud = new CloudTestServer();
        private readonly CollectingReporter _reporter = new CollectingReporter();

        public void Dispose() => _cloud.Dispose();

        private EdgeDevice Device(string id, string state = "online", string? agentLog = AgentLog)
        {
            var device = new EdgeDevice { DeviceId = id, State = state };
            if (agentLog != null) device.Modules["edgeAgent"] = agentLog;
            device.Modules["edgeHub"] = "<6> 2026-11-20 10:01:00.000 +00:00 [INF] - Starting Edge Hub\n";
            _cloud.Server.EdgeDevices[id] = device;
            return device;
        }

        private RemoteEdgeFleet Fleet(int maxRetries = 3, int throttle = 8) =>
            new RemoteEdgeFleet(new EdgeAgentConnection { HubName = "contoso-iot-prod", HubEndpoint = _cloud.Server.Endpoint, Settings = _cloud.Settings(maxRetries) }, _reporter) { ThrottleLimit = throttle };

        private static void WriteAll<T>(DeviceOutcome<T> outcome, CollectingReporter into)
        {
            into.Verbose.AddRange(outcome.Verbose);
            into.Warnings.AddRange(outcome.Warnings);
        }

        private List<DeviceOutcome<IoTEdgeLogEntry>> Logs(ModuleLogQuery query, params string[] devices)
        {
            var outcomes = Fleet().GetModuleLogs(devices, query, default).ToList();
            foreach (var outcome in outcomes) WriteAll(outcome, _reporter);
            return outcomes;
        }

        [Fact]
        public void GetModuleLogs_sends_the_documented_request_and_returns_the_local_commands_entries()
        {
            Device("edge-01");
            var since = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

            var outcome = Assert.Single(Logs(new ModuleLogQuery { Names = new[] { "edgeAgent" }, Tail = 100, Since = since }, "edge-01"));

            Assert.Null(outcome.Failure);
            var request = Assert.Single(_cloud.Server.Requests);
            Assert.Equal("POST", request.Method);
            Assert.Equal("/twins/edge-01/modules/%24edgeAgent/methods", request.Path);
            Assert.Equal("2021-04-12", request.QueryValue("api-version"));
            Assert.Equal("Bearer " + _cloud.Token, request.Header("Authorization"));
            var body = JsonNode.Parse(request.Body)!;
            Assert.Equal("GetModuleLogs", (string)body["methodName"]!);
            Assert.Equal(30, (int)body["responseTimeoutInSeconds"]!);
            Assert.Equal(0, (int)body["connectTimeoutInSeconds"]!);
            Assert.Equal("1.0", (string)body["payload"]!["schemaVersion"]!);
            Assert.Equal("text", (string)body["payload"]!["contentType"]!);
            Assert.Equal("none", (string)body["payload"]!["encoding"]!);
            var item = body["payload"]!["items"]![0]!;
            Assert.Equal("^edgeAgent$", (string)item["id"]!);
            Assert.Equal(100, (int)item["filter"]!["tail"]!);
            Assert.Equal("2026-11-20T09:00:00Z", (string)item["filter"]!["since"]!);

            Assert.Equal(3, outcome.Results.Count);
            Assert.All(outcome.Results, e => Assert.Equal("edge-01", e.DeviceId));
            Assert.All(outcome.Results, e => Assert.Equal("edgeAgent", e.Source));
            var error = outcome.Results[1];
            Assert.Equal(IoTEdgeLogLevel.Error, error.Level);
            Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 5, 123, TimeSpan.Zero), error.TimeCreated);
            Assert.Contains("port is already allocated", error.Message); // the stack trace is folded into its entry
            Assert.Contains("HandleIfErrorResponseAsync", error.Message);
            Assert.Empty(_reporter.Warnings);
        }

        [Fact]
        public void Remote_entries_feed_the_known_issue_catalog_as_local_ones_do()
        {
            Device("edge-01");
            var matcher = new KnownIssueMatcher();
            foreach (var entry in Logs(new ModuleLogQuery(), "edge-01").SelectMany(o => o.Results)) matcher.Observe(entry);

            var issue = Assert.Single(matcher.Complete());
            Assert.Equal("edgehub-port-in-use", issue.IssueId);
            Assert.Contains("443", issue.Title);
        }

        [Fact]
        public void Without_names_all_modules_are_asked_for_in_one_call()
        {
            Device("edge-01");
            var entries = Logs(new ModuleLogQuery(), "edge-01").Single().Results;
            Assert.Equal(".*", (string)JsonNode.Parse(Assert.Single(_cloud.Server.Requests).Body)!["payload"]!["items"]![0]!["id"]!);
            Assert.Equal(new[] { "edgeAgent", "edgeHub" }, entries.Select(e => e.Source).Distinct().OrderBy(s => s, StringComparer.Ordinal));
        }

        [Fact]
        public void A_module_named_twice_is_asked_for_and_returned_once()
        {
            Device("edge-01");
            var entries = Logs(new ModuleLogQuery { Names = new[] { "edgeHub", "edgeAgent", "edgeHub" } }, "edge-01").Single().Results;
            Assert.Equal(2, _cloud.Server.Requests.Count);
            Assert.Single(entries, e => e.Source == "edgeHub");
            Assert.Equal(3, entries.Count(e => e.Source == "edgeAgent"));
        }

        [Fact]
        public void A_module_the_device_does_not_run_is_that_devices_error_naming_it_and_the_other_modules_come()
        {
            Device("edge-01");
            var outcome = Logs(new ModuleLogQuery { Names = new[] { "EdgeHub", "edgeAgent" } }, "edge-01").Single();

            Assert.Null(outcome.Failure);
            Assert.Equal(3, outcome.Results.Count);
            var problem = Assert.Single(outcome.Problems);
            Assert.Equal(ErrorIds.EdgeAgentMethodFailed, problem.ErrorId);
            Assert.Equal(ProblemKind.ObjectNotFound, problem.Kind);
            Assert.Equal("edge-01", problem.Target);
            Assert.Contains("'EdgeHub'", problem.Message);
            Assert.Contains("edge-01", problem.Message);
        }

        [Fact]
        public void A_module_name_is_sent_as_an_exact_regex_never_a_pattern()
        {
            Device("edge-01");
            Logs(new ModuleLogQuery { Names = new[] { "temp.sensor(1)" } }, "edge-01");
            Assert.Equal(@"^temp\.sensor\(1\)$", (string)JsonNode.Parse(Assert.Single(_cloud.Server.Requests).Body)!["payload"]!["items"]![0]!["id"]!);
        }

        [Fact]
        public void An_offline_device_is_404103_for_that_device_only_and_the_others_answer()
        {
            Device("edge-01");
            Device("edge-off", "offline");
            Device("edge-03");

            var outcomes = Logs(new ModuleLogQuery { Names = new[] { "edgeAgent" } }, "edge-01", "edge-off", "edge-03").ToDictionary(o => o.DeviceId);

            Assert.Equal(3, outcomes.Count);
            var failure = outcomes["edge-off"].Failure!;
            Assert.Equal(ErrorIds.EdgeDeviceNotOnline, failure.ErrorId);
            Assert.Equal(ProblemKind.ConnectionError, failure.Kind);
            Assert.Equal("edge-off", failure.Target);
            Assert.Contains("404103", failure.Message);
            Assert.Contains("edge-off", failure.Message);
            Assert.Empty(outcomes["edge-off"].Results);
            Assert.Equal(3, outcomes["edge-01"].Results.Count);
            Assert.Equal(3, outcomes["edge-03"].Results.Count);
            Assert.All(outcomes["edge-03"].Results, e => Assert.Equal("edge-03", e.DeviceId));
        }

        [Fact]
        public void A_slow_device_times_out_504101_and_the_method_is_not_sent_again()
        {
            Device("edge-slow", "slow");

            var outcome = Assert.Single(Logs(new ModuleLogQuery { Names = new[] { "edgeAgent" } }, "edge-slow"));

            Assert.Equal(ErrorIds.EdgeMethodTimedOut, outcome.Failure!.ErrorId);
            Assert.Equal(ProblemKind.OperationTimeout, outcome.Failure.Kind);
            Assert.Contains("504101", outcome.Failure.Message);
            Assert.Single(_cloud.Server.Requests); // a timed-out method may have run: never twice
        }

        [Fact]
        public void A_503_from_the_hub_is_not_retried_for_a_method()
        {
            Device("edge-01");
            _cloud.Server.AddFault(new Fault { Status = 503, Body = "{\"Message\":\"busy\"}", PathContains = "/twins/" });
            var outcome = Fleet().RestartModules(new[] { "edge-01" }, new[] { "edgeHub" }, default).Single();
            Assert.Equal(ErrorIds.AzureServiceUnavailable, outcome.Failure!.ErrorId);
            Assert.DoesNotContain("retries", outcome.Failure.Message); // it was sent once: the message must not say it was retried
            Assert.Contains("not sent again", outcome.Failure.Message);
            Assert.Single(_cloud.Server.Requests);
            Assert.Empty(_cloud.Server.EdgeDevices["edge-01"].Restarted);
        }

        [Theory]
        [InlineData("{\"status\":\"200\",\"payload\":[]}")]
        [InlineData("{\"status\":null,\"payload\":[]}")]
        [InlineData("{\"status\":[200],\"payload\":[]}")]
        [InlineData("{\"status\":2e9999,\"payload\":[]}")]
        public void A_method_status_that_is_not_a_number_is_that_devices_malformed_answer_not_a_crash(string answer)
        {
            Device("edge-01");
            Device("edge-02");
            _cloud.Server.AddFault(new Fault { Status = 200, Body = answer, PathContains = "/twins/edge-01/" });

            var outcomes = Logs(new ModuleLogQuery { Names = new[] { "edgeAgent" } }, "edge-01", "edge-02");

            Assert.Equal(ErrorIds.AzureResponseMalformed, outcomes.Single(o => o.DeviceId == "edge-01").Failure!.ErrorId);
            Assert.Equal(3, outcomes.Single(o => o.DeviceId == "edge-02").Results.Count);
        }

        [Fact]
        public void A_429_is_waited_out_and_the_logs_then_come()
        {
            Device("edge-01");
            _cloud.Server.AddFault(new Fault { Status = 429, Headers = { ["Retry-After"] = "0" }, Body = "{\"Message\":\"{\\\"errorCode\\\":429001,\\\"message\\\":\\\"Throttled\\\"}\"}", PathContains = "/twins/" });

            var outcome = Assert.Single(Logs(new ModuleLogQuery { Names = new[] { "edgeAgent" } }, "edge-01"));

            Assert.Null(outcome.Failure);
            Assert.Equal(3, outcome.Results.Count);
            Assert.Equal(2, _cloud.Server.Requests.Count);
            Assert.Contains(_reporter.Verbose, v => v.Contains("answered 429"));
        }

        [Theory]
        [InlineData(401, "token was not accepted")]
        [InlineData(403, "Give it the role")]
        public void Refused_access_names_the_role_that_invokes_direct_methods(int status, string said)
        {
            Device("edge-01");
            _cloud.Server.AddFault(new Fault { Status = status, Body = "{\"Message\":\"{\\\"errorCode\\\":401002,\\\"message\\\":\\\"IotHubUnauthorizedAccess\\\"}\"}", PathContains = "/twins/" });

            var outcome = Assert.Single(Logs(new ModuleLogQuery(), "edge-01"));

            Assert.Equal(ErrorIds.AzureAccessDenied, outcome.Failure!.ErrorId);
            Assert.Contains("IoT Hub Data Contributor", outcome.Failure.Message);
            Assert.Contains(said, outcome.Failure.Message);
            Assert.DoesNotContain(_cloud.Token, outcome.Failure.Message);
        }

        [Fact]
        public void An_unknown_device_is_404001_DeviceNotFound()
        {
            var outcome = Assert.Single(Logs(new ModuleLogQuery(), "ghost"));
            Assert.Equal(ErrorIds.DeviceNotFound, outcome.Failure!.ErrorId);
            Assert.Contains("404001", outcome.Failure.Message);
            Assert.Equal("ghost", outcome.Failure.Target);
        }

        [Theory]
        [InlineData("plant/line-1", "/twins/plant%2Fline-1/modules/%24edgeAgent/methods")]
        [InlineData("a#b", "/twins/a%23b/modules/%24edgeAgent/methods")]
        [InlineData("what?x=1", "/twins/what%3Fx%3D1/modules/%24edgeAgent/methods")]
        [InlineData("..edge", "/twins/..edge/modules/%24edgeAgent/methods")]
        public void A_device_id_is_one_escaped_path_segment_and_reaches_only_that_device(string hostile, string path)
        {
            Device(hostile);
            Device("plant", agentLog: "<6> 2026-11-20 10:00:00.000 +00:00 [INF] - the wrong device\n");

            var outcome = Assert.Single(Logs(new ModuleLogQuery { Names = new[] { "edgeAgent" } }, hostile));

            Assert.Null(outcome.Failure);
            Assert.Equal(path, Assert.Single(_cloud.Server.Requests).Path);
            Assert.DoesNotContain(outcome.Results, e => e.Message.Contains("wrong device"));
            Assert.All(outcome.Results, e => Assert.Equal(hostile, e.DeviceId));
        }

        [Theory]
        [InlineData("..")]
        [InlineData(".")]
        public void A_dot_segment_device_id_is_refused_before_any_request(string hostile)
        {
            var outcome = Assert.Single(Logs(new ModuleLogQuery(), hostile));
            Assert.Equal(ErrorIds.InvalidAzureName, outcome.Failure!.ErrorId);
            Assert.Empty(_cloud.Server.Requests);
        }

        // About 200 KB of module log, one entry a second from 2026-11-20 00:00 UTC.
        private static string ChattyLog()
        {
            var log = new StringBuilder();
            var start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
            for (int i = 0; log.Length < 200 * 1024; i++)
            {
                log.Append("<6> ").Append(start.AddSeconds(i).ToString("yyyy-MM-dd HH:mm:ss.fff zzz", System.Globalization.CultureInfo.InvariantCulture))
                   .Append(" [INF] - Message ").Append(i).Append(" sent upstream with a long enough body to fill the answer\n");
            }

            return log.ToString();
        }

        [Fact]
        public void With_all_modules_in_one_answer_only_the_last_one_is_called_cut()
        {
            Device("edge-01").Modules["edgeHub"] = ChattyLog();

            var outcome = Assert.Single(Logs(new ModuleLogQuery(), "edge-01"));

            Assert.Equal(3, outcome.Results.Count(e => e.Source == "edgeAgent"));
            var warning = Assert.Single(_reporter.Warnings);
            Assert.Contains("The log of edgeHub on edge-01 was cut", warning);
        }

        [Fact]
        public void A_log_cut_at_the_cap_says_so_and_how_to_page()
        {
            Device("edge-chatty", agentLog: ChattyLog());

            var outcome = Assert.Single(Logs(new ModuleLogQuery { Names = new[] { "edgeAgent" } }, "edge-chatty"));

            Assert.Null(outcome.Failure);
            Assert.True(outcome.Results.Count > 1000);
            var warning = Assert.Single(_reporter.Warnings);
            Assert.Contains("cut at about 128 KB", warning);
            Assert.Contains("edge-chatty", warning);
            Assert.Contains("-Until '2026-11-20T00:00:00Z'", warning);
            var last = outcome.Results.Where(e => e.TimeCreated != null).Max(e => e.TimeCreated!.Value);
            Assert.Contains($"-Since '{last.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}'", warning);
        }

        [Fact]
        public void A_small_log_is_not_called_cut()
        {
            Device("edge-01");
            Logs(new ModuleLogQuery(), "edge-01");
            Assert.Empty(_reporter.Warnings);
            Assert.False(RemoteModuleLogs.IsCut(64 * 1024));
            Assert.True(RemoteModuleLogs.IsCut(127 * 1024));
        }

        [Fact]
        public void Many_devices_run_throttled_and_every_one_comes_back_once()
        {
            var ids = Enumerable.Range(1, 7).Select(i => $"edge-{i:00}").ToArray();
            foreach (var id in ids) Device(id);

            var outcomes = Fleet(throttle: 2).GetModuleLogs(ids, new ModuleLogQuery { Names = new[] { "edgeHub" } }, default).ToList();

            Assert.Equal(ids.OrderBy(i => i), outcomes.Select(o => o.DeviceId).OrderBy(i => i));
            Assert.All(outcomes, o => Assert.Equal(o.DeviceId, Assert.Single(o.Results).DeviceId));
            Assert.Contains(_reporter.Progress, p => p.Completed);
        }

        [Fact]
        public void RestartModule_sends_the_module_id_and_an_unknown_module_is_the_devices_answer()
        {
            var device = Device("edge-01");

            var outcome = Fleet().RestartModules(new[] { "edge-01" }, new[] { "edgeHub", "nosuchmodule" }, default).Single();

            Assert.Equal(new[] { "edgeHub" }, device.Restarted);
            var first = JsonNode.Parse(_cloud.Server.Requests[0].Body)!;
            Assert.Equal("RestartModule", (string)first["methodName"]!);
            Assert.Equal("1.0", (string)first["payload"]!["schemaVersion"]!);
            Assert.Equal("edgeHub", (string)first["payload"]!["id"]!);
            Assert.Equal(ErrorIds.EdgeAgentMethodFailed, outcome.Failure!.ErrorId);
            Assert.Contains("status 400", outcome.Failure.Message);
            Assert.Contains("nosuchmodule not found", outcome.Failure.Message);
        }

        private const string SasUrl = "https://contosodiag.blob.core.windows.net/bundles?sv=2022-11-02&se=2026-12-02T00%3A00%3A00Z&sp=w&sig=c2VjcmV0U2lnbmF0dXJl%2Bx%3D";

        private SupportBundleUploadRequest Bundle(bool noWait = false) => new SupportBundleUploadRequest
        {
            SasUrl = CloudTestServer.Secure(SasUrl),
            Since = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero),
            EdgeRuntimeOnly = true,
            NoWait = noWait,
            FirstPoll = TimeSpan.FromMilliseconds(10),
            PollInterval = TimeSpan.FromMilliseconds(20),
        };

        [Fact]
        public void UploadSupportBundle_polls_GetTaskStatus_until_Completed_and_never_shows_the_sas()
        {
            Device("edge-01");

            var outcome = Fleet().ExportSupportBundle(new[] { "edge-01" }, Bundle(), default).Single();

            Assert.Null(outcome.Failure);
            var upload = Assert.Single(outcome.Results);
            Assert.Equal("Completed", upload.Status);
            Assert.Equal("https://contosodiag.blob.core.windows.net/bundles", upload.Destination);
            Assert.Equal("contoso-iot-prod", upload.HubName);
            var requests = _cloud.Server.Requests;
            var first = JsonNode.Parse(requests[0].Body)!;
            Assert.Equal("UploadSupportBundle", (string)first["methodName"]!);
            Assert.Equal(SasUrl, (string)first["payload"]!["sasUrl"]!); // sent as given: its escapes intact
            Assert.True((bool)first["payload"]!["edgeRuntimeOnly"]!);
            Assert.Equal("2026-11-20T00:00:00Z", (string)first["payload"]!["since"]!);
            var poll = JsonNode.Parse(requests[1].Body)!;
            Assert.Equal("GetTaskStatus", (string)poll["methodName"]!);
            Assert.Equal(upload.CorrelationId, (string)poll["payload"]!["correlationId"]!);
            Assert.Equal(3, requests.Count); // NotStarted, Running, Completed
            Assert.All(outcome.Verbose, v => Assert.DoesNotContain("c2VjcmV0", v));
            Assert.All(outcome.Verbose, v => Assert.DoesNotContain("sp=w", v));
            Assert.DoesNotContain("sig", upload.ToString() + upload.Destination);
        }

        [Fact]
        public void NoWait_returns_the_started_task_without_polling()
        {
            Device("edge-01");
            var upload = Fleet().ExportSupportBundle(new[] { "edge-01" }, Bundle(noWait: true), default).Single().Results.Single();
            Assert.Equal("NotStarted", upload.Status);
            Assert.Single(_cloud.Server.Requests);
        }

        [Fact]
        public void A_failed_upload_is_SupportBundleUploadFailed_with_the_devices_reason()
        {
            Device("edge-01").BundleFails = true;
            var outcome = Fleet().ExportSupportBundle(new[] { "edge-01" }, Bundle(), default).Single();
            Assert.Equal(ErrorIds.SupportBundleUploadFailed, outcome.Failure!.ErrorId);
            Assert.Contains("AuthorizationPermissionMismatch", outcome.Failure.Message);
        }

        [Fact]
        public void An_upload_that_does_not_end_in_time_is_SupportBundleUploadTimedOut()
        {
            Device("edge-01");
            var request = Bundle();
            request.PollTimeout = TimeSpan.Zero;
            var outcome = Fleet().ExportSupportBundle(new[] { "edge-01" }, request, default).Single();
            Assert.Equal(ErrorIds.SupportBundleUploadTimedOut, outcome.Failure!.ErrorId);
            Assert.Contains("still NotStarted", outcome.Failure.Message);
        }

        [Theory]
        [InlineData("http://contosodiag.blob.core.windows.net/bundles?sv=1&sig=plainHttpSig")]
        [InlineData("https://contosodiag.blob.core.windows.net/bundles?sv=1&sp=w")]
        [InlineData("not a url sig=looseSig")]
        [InlineData("https://ops:passwordSig@contosodiag.blob.core.windows.net/bundles?sv=1&sp=w&sig=abc")]
        [InlineData("https://contosodiag.blob.core.windows.net/bundles?sv=1&sp=w&xsig=looseSig")]
        [InlineData("https://contosodiag.blob.core.windows.net/bundles?sv=1&sp=w&sig=&Sig")]
        [InlineData("https://contosodiag.blob.core.windows.net/bundles?sv=1&sp=w#sig=fragmentSig")]
        public void A_sas_url_that_cannot_work_is_refused_without_echoing_it(string bad)
        {
            var request = Bundle();
            request.SasUrl = CloudTestServer.Secure(bad);
            var ex = Assert.Throws<TroubleshootException>(() => Fleet().ExportSupportBundle(new[] { "edge-01" }, request, default).ToList());
            Assert.Equal(ErrorIds.InvalidSasUrl, ex.ErrorId);
            Assert.DoesNotContain("Sig", ex.Message);
            Assert.DoesNotContain("sv=1", ex.Message);
            Assert.DoesNotContain("***", ex.Message); // its example is not eaten by the masking of messages
            Assert.Empty(_cloud.Server.Requests);
        }

        [Fact]
        public async System.Threading.Tasks.Task Ctrl_C_ends_the_wait_for_an_upload_at_once()
        {
            Device("edge-01");
            var request = Bundle();
            request.FirstPoll = TimeSpan.FromMinutes(5);
            request.PollInterval = TimeSpan.FromMinutes(5);

            // Ctrl+C once the upload has been asked for (a fixed half second was too short for a loaded machine's first
            // HTTPS request, and the test then saw no request at all).
            using var cancel = new System.Threading.CancellationTokenSource();
            var sinceCancel = new System.Diagnostics.Stopwatch();
            var pressCtrlC = System.Threading.Tasks.Task.Run(async () =>
            {
                var waited = System.Diagnostics.Stopwatch.StartNew();
                while (_cloud.Server.Requests.Count == 0 && waited.Elapsed < TimeSpan.FromMinutes(1)) await System.Threading.Tasks.Task.Delay(20);
                sinceCancel.Start();
                cancel.Cancel();
            });

            Assert.ThrowsAny<OperationCanceledException>(() => Fleet().ExportSupportBundle(new[] { "edge-01" }, request, cancel.Token).ToList());
            var afterCtrlC = sinceCancel.Elapsed;
            await pressCtrlC;

            Assert.True(afterCtrlC < TimeSpan.FromSeconds(30), $"took {afterCtrlC} after Ctrl+C"); // not the 5 minutes to the first poll
            Assert.Single(_cloud.Server.Requests); // the upload was asked for; no status poll came after Ctrl+C
        }

        [Fact]
        public void A_hub_name_that_is_no_name_is_refused_once_before_any_request()
        {
            var fleet = new RemoteEdgeFleet(new EdgeAgentConnection { HubName = "contoso/evil", HubEndpoint = _cloud.Server.Endpoint, Settings = _cloud.Settings() }, _reporter);
            var ex = Assert.Throws<TroubleshootException>(() => fleet.GetModuleLogs(new[] { "edge-01", "edge-02" }, new ModuleLogQuery(), default).ToList());
            Assert.Equal(ErrorIds.InvalidResourceId, ex.ErrorId);
            Assert.Empty(_cloud.Server.Requests);
        }

        [Theory]
        [InlineData("contoso-iot-test")]
        [InlineData("contoso-iot-prod.azure-devices.net.evil")]
        public void A_connection_string_of_another_hub_than_HubName_is_refused_before_any_request(string hubName)
        {
            Device("edge-01");
            var key = Convert.ToBase64String(Encoding.UTF8.GetBytes("service-policy-key-0123456789"));
            var connection = new EdgeAgentConnection
            {
                HubName = hubName,
                ConnectionString = CloudTestServer.Secure($"HostName=contoso-iot-prod.azure-devices.net;SharedAccessKeyName=service;SharedAccessKey={key}"),
                HubEndpoint = _cloud.Server.Endpoint,
                Settings = _cloud.Settings(),
            };

            var ex = Assert.Throws<TroubleshootException>(() => new RemoteEdgeFleet(connection, _reporter).RestartModules(new[] { "edge-01" }, new[] { "edgeHub" }, default).ToList());

            Assert.Equal(ErrorIds.InvalidHubConnectionString, ex.ErrorId);
            Assert.Contains("contoso-iot-prod.azure-devices.net", ex.Message);
            Assert.Contains(hubName, ex.Message);
            Assert.DoesNotContain(key, ex.Message);
            Assert.Empty(_cloud.Server.Requests);
        }

        [Theory]
        [InlineData("contoso-iot-prod")]
        [InlineData("CONTOSO-IOT-PROD")]
        [InlineData("contoso-iot-prod.azure-devices.net")]
        public void A_HubName_that_names_the_connection_strings_hub_is_taken(string hubName)
        {
            Device("edge-01");
            var key = Convert.ToBase64String(Encoding.UTF8.GetBytes("service-policy-key-0123456789"));
            var connection = new EdgeAgentConnection
            {
                HubName = hubName,
                ConnectionString = CloudTestServer.Secure($"HostName=contoso-iot-prod.azure-devices.net;SharedAccessKeyName=service;SharedAccessKey={key}"),
                HubEndpoint = _cloud.Server.Endpoint,
                Settings = _cloud.Settings(),
            };

            var outcome = new RemoteEdgeFleet(connection, _reporter).RestartModules(new[] { "edge-01" }, new[] { "edgeHub" }, default).Single();

            Assert.Null(outcome.Failure);
            Assert.Single(_cloud.Server.Requests);
        }

        [Fact]
        public void A_service_connection_string_signs_the_method_call_and_is_never_shown()
        {
            Device("edge-01");
            var key = Convert.ToBase64String(Encoding.UTF8.GetBytes("service-policy-key-0123456789"));
            var connection = new EdgeAgentConnection
            {
                HubName = "contoso-iot-prod",
                ConnectionString = CloudTestServer.Secure($"HostName=contoso-iot-prod.azure-devices.net;SharedAccessKeyName=service;SharedAccessKey={key}"),
                HubEndpoint = _cloud.Server.Endpoint,
                Settings = _cloud.Settings(),
            };

            var outcome = new RemoteEdgeFleet(connection, _reporter).RestartModules(new[] { "edge-01" }, new[] { "edgeHub" }, default).Single();

            Assert.Null(outcome.Failure);
            string authorization = Assert.Single(_cloud.Server.Requests).Header("Authorization")!;
            Assert.StartsWith("SharedAccessSignature sr=contoso-iot-prod.azure-devices.net&sig=", authorization);
            Assert.Contains("&skn=service", authorization);
            Assert.All(outcome.Verbose, v => Assert.DoesNotContain(key, v));
        }
    }
}
