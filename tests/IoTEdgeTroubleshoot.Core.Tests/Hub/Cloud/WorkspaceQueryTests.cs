using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Threading;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Hub.Cloud;
using IoTEdgeTroubleshoot.LoopbackAzure;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub.Cloud
{
    /// <summary>The Logs query path end to end against the loopback server: requests, paging, and every fault.</summary>
    public sealed class WorkspaceQueryTests : IDisposable
    {
        private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        private readonly CloudTestServer _cloud = new CloudTestServer();
        private readonly CollectingReporter _reporter = new CollectingReporter();

        public void Dispose() => _cloud.Dispose();

        private ConnectionWorkspaceQuery Query(bool errorsOnly = true, int hours = 24) => new ConnectionWorkspaceQuery
        {
            WorkspaceId = CloudTestServer.WorkspaceId,
            StartTime = Start,
            EndTime = Start.AddHours(hours),
            ErrorsOnly = errorsOnly,
            ResourceId = CloudTestServer.HubId,
        };

        private List<IoTHubConnectionEvent> Run(ConnectionWorkspaceQuery query, AzureConnectionSettings? settings = null, CancellationToken token = default) =>
            query.Run(settings ?? _cloud.Settings(), new ConnectionEventFilter { ErrorsOnly = query.ErrorsOnly }, _reporter, token).ToList();

        [Fact]
        public void Query_is_posted_with_bearer_token_wait_and_timespan_and_rows_become_events()
        {
            _cloud.AddRow(Start.AddMinutes(5), "thermostat-17");
            _cloud.AddRow(Start.AddMinutes(6), "thermostat-17", "deviceConnect", "Information", "", "");

            var events = Run(Query(errorsOnly: true));

            var request = Assert.Single(_cloud.Server.Requests);
            Assert.Equal("POST", request.Method);
            Assert.Equal($"/v1/workspaces/{CloudTestServer.WorkspaceId:D}/query", request.Path);
            Assert.Equal("Bearer " + _cloud.Token, request.Header("Authorization"));
            Assert.Equal("wait=600", request.Header("Prefer"));
            using var body = JsonDocument.Parse(request.Body);
            Assert.Equal("2026-11-20T00:00:00.0000000Z/2026-11-21T00:00:00.0000000Z", body.RootElement.GetProperty("timespan").GetString());
            string kql = body.RootElement.GetProperty("query").GetString()!;
            Assert.Contains("| where ResourceProvider == \"MICROSOFT.DEVICES\" and ResourceType == \"IOTHUBS\"", kql);
            Assert.Contains("| where Category == \"Connections\" and Level == \"Error\"", kql);
            Assert.Contains("| where _ResourceId =~ \"" + CloudTestServer.HubId + "\"", kql);

            var e = Assert.Single(events); // the Information row is the server's, the filter keeps errors only
            Assert.Equal("thermostat-17", e.DeviceId);
            Assert.Equal("404104", e.ResultType);
            Assert.Equal("Mqtt", e.Protocol);
            Assert.Equal("sas", e.AuthType);
            Assert.Equal("CONTOSO-IOT-PROD", e.HubName);
            Assert.Equal(Start.AddMinutes(5), e.TimeGenerated);
        }

        [Fact]
        public void Hostile_device_ids_and_result_types_enter_the_query_only_as_escaped_literals()
        {
            var query = Query();
            query.DeviceIds = new[] { "a\"b", "x\\\" | take 1 //", "line\nbreak", "dev*`[1`]" };
            query.ResultTypes = new[] { "404104\" or 1==1 or \"" };
            string kql = query.ToKql();

            Assert.Contains("DeviceId =~ \"a\\\"b\"", kql);
            Assert.Contains("DeviceId =~ \"x\\\\\\\" | take 1 //\"", kql);
            Assert.Contains("DeviceId =~ \"line\\nbreak\"", kql);
            Assert.Contains("DeviceId matches regex \"(?i)^dev.*\\\\[1\\\\]$\"", kql);
            Assert.Contains("| where ResultType in (\"404104\\\" or 1==1 or \\\"\")", kql);
            Assert.DoesNotContain("take 1 //\n", kql.Replace("\\\"", string.Empty));
            Assert.Equal(kql.Split('\n').Length, query.ToKql().Split('\n').Length); // no user value adds a line
        }

        [Fact]
        public void In_a_shared_workspace_ResourceId_and_HubName_pick_one_hub_whatever_their_case()
        {
            // Log Analytics keeps _ResourceId and Resource upper-case; users paste ids in the portal's case.
            const string other = "/SUBSCRIPTIONS/0F3C2A5E-7D41-4B8E-9A6C-2D5B8E1F4A70/RESOURCEGROUPS/IOT-PROD-RG/PROVIDERS/MICROSOFT.DEVICES/IOTHUBS/CONTOSO-IOT-PROD2";
            _cloud.AddRow(Start.AddMinutes(5), "ours");
            _cloud.AddRow(Start.AddMinutes(6), "theirs");
            _cloud.Server.ConnectionRows[0]["_ResourceId"] = CloudTestServer.HubId.ToUpperInvariant();
            _cloud.Server.ConnectionRows[1]["_ResourceId"] = other;
            _cloud.Server.ConnectionRows[1]["Resource"] = "CONTOSO-IOT-PROD2";

            var byId = Query();
            byId.ResourceId = CloudTestServer.HubId + "/";
            var byName = Query();
            byName.ResourceId = null;
            byName.HubName = "Contoso-IoT-Prod";
            var everything = Query();
            everything.ResourceId = null;

            Assert.Equal(new[] { "ours" }, Run(byId).Select(e => e.DeviceId));
            Assert.Equal(new[] { "ours" }, Run(byName).Select(e => e.DeviceId));
            Assert.Equal(new[] { "ours", "theirs" }, Run(everything).Select(e => e.DeviceId));
            Assert.Equal(new[] { "CONTOSO-IOT-PROD", "CONTOSO-IOT-PROD2" }, Run(everything).Select(e => e.HubName));
        }

        [Fact]
        public void Too_many_requests_with_retry_after_is_retried_after_the_wait()
        {
            _cloud.AddRow(Start.AddMinutes(5), "d1");
            _cloud.Server.AddFault(new Fault { Status = 429, Headers = { ["Retry-After"] = "1" }, Body = "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"slow down\"}}" });

            var clock = Stopwatch.StartNew();
            var events = Run(Query());

            Assert.Single(events);
            Assert.Equal(2, _cloud.Server.Requests.Count);
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {clock.Elapsed}");
            Assert.Contains(_reporter.Verbose, v => v.Contains("answered 429 with Retry-After: retry 1 of 3 in 1 s", StringComparison.Ordinal));
        }

        [Fact]
        public void Unavailable_service_is_retried_a_bounded_number_of_times_then_said()
        {
            for (int i = 0; i < 10; i++) _cloud.Server.AddFault(new Fault { Status = 503, Body = "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"The service is down for maintenance.\"}}" });

            var ex = Assert.Throws<TroubleshootException>(() => Run(Query(), _cloud.Settings(maxRetries: 2)));

            Assert.Equal(ErrorIds.AzureServiceUnavailable, ex.ErrorId);
            Assert.Equal(3, _cloud.Server.Requests.Count);
            Assert.Contains("503 after 2 retries", ex.Message);
            Assert.Contains("The service is down for maintenance.", ex.Message);
        }

        [Fact]
        public void A_retry_after_longer_than_the_bound_is_not_waited_for()
        {
            _cloud.Server.AddFault(new Fault { Status = 429, Headers = { ["Retry-After"] = "3600" } });

            var clock = Stopwatch.StartNew();
            var ex = Assert.Throws<TroubleshootException>(() => Run(Query()));

            Assert.Equal(ErrorIds.AzureServiceUnavailable, ex.ErrorId);
            Assert.Single(_cloud.Server.Requests);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
            Assert.Contains(_reporter.Verbose, v => v.Contains("asks to wait 3600 s", StringComparison.Ordinal));
        }

        [Fact]
        public void Forbidden_names_the_identity_and_the_role_and_never_the_token()
        {
            _cloud.Server.AddFault(new Fault { Status = 403, Body = "{\"error\":{\"message\":\"The provided credentials have insufficient access to perform the requested operation\",\"code\":\"InsufficientAccessError\"}}" });

            var ex = Assert.Throws<TroubleshootException>(() => Run(Query()));

            Assert.Equal(ErrorIds.AzureAccessDenied, ex.ErrorId);
            Assert.Equal(ProblemKind.PermissionDenied, ex.Kind);
            Assert.Contains("user 'ana@contoso.com' (object id 11111111-2222-3333-4444-555555555555)", ex.Message);
            Assert.Contains("'Log Analytics Reader'", ex.Message);
            Assert.Contains("InsufficientAccessError", ex.Message);
            AssertNoToken(ex);
        }

        [Fact]
        public void Unauthorized_says_the_token_was_refused()
        {
            var settings = _cloud.Settings();
            settings.AccessToken = CloudTestServer.Secure(CloudTestServer.FakeJwt("old@contoso.com", "oid", DateTimeOffset.UtcNow.AddHours(1)));

            var ex = Assert.Throws<TroubleshootException>(() => Run(Query(), settings));

            Assert.Equal(ErrorIds.AzureAccessDenied, ex.ErrorId);
            Assert.Contains("(401)", ex.Message);
            Assert.Contains("user 'old@contoso.com'", ex.Message);
            Assert.True(ex.Message.Contains("get a new -AccessToken", StringComparison.Ordinal), ex.Message);
        }

        [Fact]
        public void No_credential_is_AzureSignInFailed_saying_how_to_sign_in_and_nothing_is_sent()
        {
            var settings = _cloud.Settings();
            settings.AccessToken = null;
            settings.DefaultCredential = new UnavailableCredential();

            var ex = Assert.Throws<TroubleshootException>(() => Run(Query(), settings));

            Assert.Equal(ErrorIds.AzureSignInFailed, ex.ErrorId);
            Assert.Contains("EnvironmentCredential authentication unavailable.", ex.Message);
            Assert.Contains("Connect-AzAccount", ex.Message);
            Assert.Contains("-AccessToken", ex.Message);
            Assert.Contains("(Get-AzAccessToken -ResourceUrl https://api.loganalytics.io).Token", ex.Message); // the cloud's audience, not the override's
            Assert.Empty(_cloud.Server.Requests);
        }

        private sealed class UnavailableCredential : Azure.Core.TokenCredential
        {
            public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
                throw new Azure.Identity.CredentialUnavailableException("EnvironmentCredential authentication unavailable. Environment variables are not fully configured.");

            public override System.Threading.Tasks.ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
                new System.Threading.Tasks.ValueTask<Azure.Core.AccessToken>(GetToken(requestContext, cancellationToken));
        }

        [Fact]
        public void An_expired_token_is_said_with_its_expiry()
        {
            var expired = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
            var settings = _cloud.Settings();
            settings.AccessToken = CloudTestServer.Secure(CloudTestServer.FakeJwt("ana@contoso.com", "oid", expired));

            var ex = Assert.Throws<TroubleshootException>(() => Run(Query(), settings));

            Assert.Equal(ErrorIds.AzureAccessDenied, ex.ErrorId);
            Assert.True(ex.Message.Contains("The token expired at 2026-01-02 03:04:05Z", StringComparison.Ordinal), ex.Message);
        }

        [Fact]
        public void Bad_request_shows_the_services_own_error()
        {
            _cloud.Server.AddFault(new Fault
            {
                Status = 400,
                Body = "{\"error\":{\"message\":\"The request had some invalid properties\",\"code\":\"BadArgumentError\",\"innererror\":{\"code\":\"SyntaxError\",\"message\":\"A recognition error occurred in the query.\",\"innererror\":{\"code\":\"SYN0002\",\"message\":\"Query could not be parsed at 'x' on line [2,3]\"}}}}",
            });

            var ex = Assert.Throws<TroubleshootException>(() => Run(Query()));

            Assert.Equal(ErrorIds.AzureRequestRejected, ex.ErrorId);
            Assert.Contains("BadArgumentError: The request had some invalid properties A recognition error occurred in the query. Query could not be parsed at 'x' on line [2,3]", ex.Message);
        }

        [Fact]
        public void No_content_is_no_data()
        {
            _cloud.Server.AddFault(new Fault { Status = 204 });

            Assert.Empty(Run(Query()));
            Assert.Empty(_reporter.Warnings);
        }

        [Fact]
        public void Partial_error_returns_the_rows_and_warns_with_the_services_message()
        {
            _cloud.Server.AddFault(new Fault
            {
                Status = 200,
                Body = "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"TimeGenerated\",\"type\":\"datetime\"},{\"name\":\"Level\",\"type\":\"string\"},{\"name\":\"Category\",\"type\":\"string\"},{\"name\":\"properties_s\",\"type\":\"string\"}],"
                    + "\"rows\":[[\"2026-11-20T01:00:00Z\",\"Error\",\"Connections\",\"{\\\"deviceId\\\":\\\"d9\\\"}\"]]}],"
                    + "\"error\":{\"code\":\"PartialError\",\"message\":\"There were some errors when processing your query.\",\"details\":[{\"code\":\"EngineError\",\"message\":\"Workspace 'west' could not be reached.\"}]}}",
            });

            var events = Run(Query());

            Assert.Equal("d9", Assert.Single(events).DeviceId);
            var warning = Assert.Single(_reporter.Warnings);
            Assert.Contains("PartialError: There were some errors when processing your query. Workspace 'west' could not be reached.", warning);
        }

        [Fact]
        public void Malformed_json_is_a_clear_error()
        {
            _cloud.Server.AddFault(new Fault { Status = 200, Body = "{\"tables\":[{\"name\":" });

            var ex = Assert.Throws<TroubleshootException>(() => Run(Query()));

            Assert.Equal(ErrorIds.AzureResponseMalformed, ex.ErrorId);
            Assert.Contains("not valid JSON", ex.Message);
        }

        [Fact]
        public void A_slow_answer_is_cancelled()
        {
            _cloud.Server.AddFault(new Fault { Status = 200, DelayMilliseconds = 30_000, Body = "{\"tables\":[]}" });
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

            var clock = Stopwatch.StartNew();
            Assert.ThrowsAny<OperationCanceledException>(() => Run(Query(), token: cancel.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"cancelled after {clock.Elapsed}");
        }

        [Fact]
        public void Long_ranges_are_paged_and_a_full_page_is_split_so_nothing_is_cut()
        {
            for (int i = 0; i < 30; i++) _cloud.AddRow(Start.AddHours(1).AddMinutes(i), "d" + i);
            for (int i = 0; i < 3; i++) _cloud.AddRow(Start.AddDays(2).AddMinutes(i), "late" + i);
            var query = Query(hours: 72);
            query.PageRowLimit = 10;

            var events = Run(query);

            Assert.Equal(33, events.Count);
            Assert.Equal(events.OrderBy(e => e.TimeGenerated).Select(e => e.DeviceId), events.Select(e => e.DeviceId));
            Assert.Equal(33, events.Select(e => e.DeviceId).Distinct().Count());
            Assert.Contains(_reporter.Verbose, v => v.Contains("one page at a time", StringComparison.Ordinal));
            Assert.Contains(_reporter.Verbose, v => v.Contains("Read ", StringComparison.Ordinal) && v.Contains(" page(s) of workspace", StringComparison.Ordinal));
            Assert.Contains(_reporter.Verbose, v => v.Contains("over the limit (11 rows): split in two", StringComparison.Ordinal));
            Assert.All(_cloud.Server.Requests, r => Assert.EndsWith("| take 11", JsonDocument.Parse(r.Body).RootElement.GetProperty("query").GetString()));
        }

        [Fact]
        public void A_page_the_service_truncated_is_split_and_read_again()
        {
            for (int i = 0; i < 12; i++) _cloud.AddRow(Start.AddHours(i), "d" + i);
            _cloud.Server.ServiceRowLimit = 5;

            var events = Run(Query());

            Assert.Equal(12, events.Count);
            Assert.Contains(_reporter.Verbose, v => v.Contains("truncated by the service", StringComparison.Ordinal));
            Assert.Empty(_reporter.Warnings);
        }

        [Fact]
        public void Too_many_rows_in_the_shortest_page_is_an_error_not_a_cut_answer()
        {
            for (int i = 0; i < 5; i++) _cloud.AddRow(Start.AddSeconds(10 + i), "d" + i);
            var query = Query();
            query.PageRowLimit = 3;

            var ex = Assert.Throws<TroubleshootException>(() => Run(query));

            Assert.Equal(ErrorIds.QueryResultTooLarge, ex.ErrorId);
            Assert.Contains("-DeviceId", ex.Message);
        }

        [Fact]
        public void The_token_appears_in_no_verbose_line_warning_or_error()
        {
            _cloud.AddRow(Start.AddMinutes(5), "d1");
            _cloud.Server.AddFault(new Fault { Status = 503 });
            Run(Query());
            _cloud.Server.AddFault(new Fault { Status = 403, Body = "{}" });
            var ex = Assert.Throws<TroubleshootException>(() => Run(Query()));

            Assert.NotEmpty(_reporter.Verbose);
            Assert.All(_reporter.Verbose.Concat(_reporter.Warnings), line => Assert.DoesNotContain(_cloud.Token.Split('.')[1], line));
            AssertNoToken(ex);
        }

        [Fact]
        public void An_http_endpoint_is_refused_before_any_request()
        {
            var settings = _cloud.Settings();
            settings.LogAnalyticsEndpoint = new Uri("http://127.0.0.1:1/");

            var ex = Assert.Throws<TroubleshootException>(() => Run(Query(), settings));

            Assert.Equal(ErrorIds.InvalidAzureEndpoint, ex.ErrorId);
            Assert.Empty(_cloud.Server.Requests);
        }

        [Fact]
        public void No_listener_is_a_connection_error()
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var settings = _cloud.Settings(maxRetries: 0);
            settings.LogAnalyticsEndpoint = new Uri($"https://127.0.0.1:{port}/");

            var ex = Assert.Throws<TroubleshootException>(() => Run(Query(), settings));

            Assert.Equal(ErrorIds.AzureConnectionFailed, ex.ErrorId);
        }

        private void AssertNoToken(Exception ex)
        {
            for (var e = ex; e != null; e = e.InnerException)
            {
                Assert.DoesNotContain(_cloud.Token, e.ToString());
                Assert.DoesNotContain(_cloud.Token.Split('.')[2], e.ToString());
            }
        }
    }

    public sealed class AzureEnvironmentTests
    {
        [Theory]
        [InlineData(AzureEnvironment.AzureCloud, "https://api.loganalytics.io/", "https://management.azure.com/.default")]
        [InlineData(AzureEnvironment.AzureUSGovernment, "https://api.loganalytics.us/", "https://management.usgovcloudapi.net/.default")]
        [InlineData(AzureEnvironment.AzureChinaCloud, "https://api.loganalytics.azure.cn/", "https://management.chinacloudapi.cn/.default")]
        public void Each_cloud_has_its_endpoints_and_scopes(AzureEnvironment environment, string logAnalytics, string armScope)
        {
            var endpoints = AzureEndpoints.For(environment);
            Assert.Equal(logAnalytics, endpoints.LogAnalytics.ToString());
            Assert.Equal(logAnalytics.TrimEnd('/') + "/.default", endpoints.LogAnalyticsScope);
            Assert.Equal(armScope, endpoints.ResourceManagerScope);
        }

        [Theory]
        [InlineData(AzureEnvironment.AzureCloud, ".azure-devices.net", "https://login.microsoftonline.com/")]
        [InlineData(AzureEnvironment.AzureUSGovernment, ".azure-devices.us", "https://login.microsoftonline.us/")]
        [InlineData(AzureEnvironment.AzureChinaCloud, ".azure-devices.cn", "https://login.chinacloudapi.cn/")]
        public void Each_cloud_has_its_hub_host_suffix_and_sign_in_authority(AzureEnvironment environment, string hubSuffix, string authority)
        {
            var endpoints = AzureEndpoints.For(environment);
            Assert.Equal(hubSuffix, endpoints.HubHostSuffix);
            Assert.Equal(authority, endpoints.AuthorityHost.ToString());
            Assert.Equal("https://iothubs.azure.net/.default", endpoints.HubScope); // the IoT Hub data-plane audience
        }

        [Fact]
        public void An_endpoint_override_keeps_the_clouds_scope()
        {
            var endpoints = AzureEndpoints.For(AzureEnvironment.AzureUSGovernment).WithOverrides(new Uri("https://la.privatelink.example"), null);
            Assert.Equal("https://la.privatelink.example/", endpoints.LogAnalytics.ToString());
            Assert.Equal("https://api.loganalytics.us/.default", endpoints.LogAnalyticsScope);
        }

        [Fact]
        public void Without_a_token_the_credential_is_DefaultAzureCredential_and_with_one_it_is_that_token()
        {
            Assert.Equal(typeof(Azure.Identity.DefaultAzureCredential), new AzureConnectionSettings { TenantId = "contoso.onmicrosoft.com" }.CreateCredential().InnerType);
            Assert.Equal(typeof(StaticTokenCredential), new AzureConnectionSettings { AccessToken = CloudTestServer.Secure("t") }.CreateCredential().InnerType);
        }
    }
}
