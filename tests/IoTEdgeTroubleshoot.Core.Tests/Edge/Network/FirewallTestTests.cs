using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Network;
using IoTEdgeTroubleshoot.Edge.Network.Probing;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Network
{
    /// <summary>A whole Test-IoTEdgeFirewall run: which probes, all at once, and how their outcomes are judged.</summary>
    public class FirewallTestTests
    {
        private const string Key = "q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c=";

        private static FirewallRequest Request(string? hub, IEnumerable<int> ports, EdgeNetworkSettings? settings = null, double seconds = 5, CertificateTrust? trust = null) => new FirewallRequest
        {
            HubHostName = hub,
            Ports = ports.ToArray(),
            Settings = settings,
            Probe = new ProbeSettings
            {
                Timeout = TimeSpan.FromSeconds(seconds),
                Resolve = (host, _) => Task.FromResult(new[] { IPAddress.Loopback }), // every name is 127.0.0.1 here
                Trust = trust ?? CertificateTrust.SystemOnly,
            },
        };

        private static async Task<IReadOnlyList<IoTEdgeNetworkCheckResult>> Run(FirewallRequest request, CollectingReporter? reporter = null) =>
            await FirewallTest.RunAsync(FirewallTest.Prepare(request, reporter ?? new CollectingReporter()), CancellationToken.None);

        private static EdgeNetworkSettings Settings(string toml)
        {
            using var folder = new TempFolder();
            return EdgeNetworkSettings.Load(folder.Write("config.toml", toml));
        }

        [Fact]
        public async Task Three_silent_ports_are_probed_at_the_same_time_not_one_after_another()
        {
            using var a = LoopbackServer.Silent();
            using var b = LoopbackServer.Silent();
            using var c = LoopbackServer.Silent();
            var results = await Run(Request("127.0.0.1", new[] { a.Port, b.Port, c.Port }, seconds: 2));

            Assert.Equal(3, results.Count);
            Assert.All(results, r => Assert.True(r.TimedOut && r.FailedStage == ProbeStage.Tls, r.Message));

            // One after another, each probe would connect only when the one before had used up its 2 s: the first and the
            // last connection 4 s apart. Together they connect within moments of each other. (The whole run's length is
            // no measure on a loaded machine; when each probe connected is.)
            var accepted = new[] { a, b, c }.Select(server => Assert.Single(server.AcceptedAt)).ToList();
            double spread = (accepted.Max() - accepted.Min()) / (double)Stopwatch.Frequency;
            Assert.True(spread < 2, $"the probes connected {spread:0.00} s apart: one after another, not at the same time");
        }

        [Fact]
        public async Task Ctrl_C_stops_every_probe_of_the_run()
        {
            using var a = LoopbackServer.Silent();
            using var b = LoopbackServer.Silent();
            var run = FirewallTest.Prepare(Request("127.0.0.1", new[] { a.Port, b.Port }, seconds: 60), new CollectingReporter());
            using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FirewallTest.RunAsync(run, stop.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        }

        [Fact]
        public async Task Results_come_in_port_order_with_the_guides_check_ids_stages_and_guidance()
        {
            using var root = TestCertificates.Root();
            using var leaf = TestCertificates.Leaf("localhost", root);
            using var tls = LoopbackServer.Tls(leaf);
            using var plain = LoopbackServer.PlainText();
            int closed = LoopbackServer.ClosedPort();
            var results = await Run(Request("localhost", new[] { tls.Port, plain.Port, closed }, trust: new CertificateTrust(new[] { root })));

            Assert.Equal(new[] { tls.Port, plain.Port, closed }, results.Select(r => r.Port));
            Assert.All(results, r => Assert.Equal(PortGuide.OtherPortCheckId, r.CheckId));
            Assert.Equal(CheckStatus.Pass, results[0].Status);
            Assert.Null(results[0].FailedStage);
            Assert.Equal("127.0.0.1", results[0].Address);
            Assert.Contains("valid certificate for localhost", results[0].Message);
            Assert.Equal((CheckStatus.Error, ProbeStage.Tls), (results[1].Status, results[1].FailedStage!.Value));
            Assert.Contains("TLS inspection", results[1].Remedy);
            Assert.Equal((CheckStatus.Error, ProbeStage.Tcp), (results[2].Status, results[2].FailedStage!.Value));
            Assert.Contains("Inbound connections on it stay blocked", results[2].Remedy);
            Assert.All(results, r => Assert.True(r.LatencyMs >= 0));
        }

        [Fact]
        public void The_default_ports_are_the_guides_three_with_aziotctl_check_ids()
        {
            var plan = FirewallPlan.For(Request("contoso.azure-devices.net", PortGuide.DefaultPorts), proxy: null);
            Assert.Equal(new[] { "host-connect-iothub-mqtt", "host-connect-iothub-amqp", "host-connect-iothub-https" }, plan.Select(p => p.CheckId));
            Assert.Equal(new[] { 8883, 5671, 443 }, plan.Select(p => p.Target.Port));
            Assert.All(plan, p => Assert.Equal("contoso.azure-devices.net", p.Target.Host));
        }

        [Fact]
        public void A_DPS_device_probes_the_DPS_endpoint_and_skips_the_hub_it_cannot_know()
        {
            var settings = Settings("[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://global.azure-devices-provisioning.net/\"\nid_scope = \"0ne00000001\"\n");
            var plan = FirewallPlan.For(Request(null, PortGuide.DefaultPorts, settings), proxy: null);
            Assert.Equal(4, plan.Count);
            Assert.All(plan.Take(3), p => Assert.Contains("-HubHostName", p.SkipReason));
            var dps = plan[3];
            Assert.Equal(("host-connect-dps-endpoint", "global.azure-devices-provisioning.net", 443, ProbeRole.Dps), (dps.CheckId, dps.Target.Host, dps.Target.Port, dps.Role));
            Assert.Null(dps.SkipReason);
        }

        [Fact]
        public async Task Skipped_hub_probes_are_reported_as_skipped_without_traffic()
        {
            var settings = Settings("[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://global.azure-devices-provisioning.net/\"\n");
            var results = await Run(Request(null, new[] { 8883 }, settings));
            var skipped = Assert.Single(results);
            Assert.Equal(CheckStatus.Skipped, skipped.Status);
            Assert.Null(skipped.LatencyMs);
        }

        [Fact]
        public void A_nested_device_probes_its_parent_instead_of_the_hub()
        {
            var settings = Settings("parent_hostname = \"gateway.contoso.local\"\n[provisioning]\nsource = \"manual\"\nconnection_string = \"HostName=contoso.azure-devices.net;DeviceId=child;SharedAccessKey=" + Key + "\"\n");
            var plan = FirewallPlan.For(Request(null, PortGuide.DefaultPorts, settings), proxy: null);
            Assert.All(plan, p => Assert.Equal(("gateway.contoso.local", ProbeRole.Parent), (p.Target.Host, p.Role)));
        }

        [Fact]
        public async Task A_nested_devices_parent_is_validated_with_its_trust_bundle()
        {
            using var root = TestCertificates.Root("Parent Edge CA");
            using var leaf = TestCertificates.Leaf("localhost", root);
            using var parent = LoopbackServer.Tls(leaf);
            using var folder = new TempFolder();
            string bundle = folder.Write("trust-bundle.pem", TestCertificates.Pem(root));
            var settings = EdgeNetworkSettings.Load(folder.Write("config.toml", $"parent_hostname = \"localhost\"\ntrust_bundle_cert = \"file://{bundle}\"\n[provisioning]\nsource = \"manual\"\niothub_hostname = \"contoso.azure-devices.net\"\n"));
            var reporter = new CollectingReporter();
            var result = Assert.Single(await Run(Request(null, new[] { parent.Port }, settings), reporter));
            Assert.Equal(CheckStatus.Pass, result.Status);
            Assert.Equal(("localhost", "Parent"), (result.Host, result.Role));
            Assert.Contains(reporter.Verbose, line => line.Contains("trust-bundle.pem"));
        }

        [Fact]
        public async Task Through_the_agents_proxy_443_is_probed_via_CONNECT_and_direct_failures_are_expected()
        {
            using var root = TestCertificates.Root();
            using var leaf = TestCertificates.Leaf("contoso.azure-devices.net", root);
            using var hub = LoopbackServer.Tls(leaf);
            var requests = new List<string>();
            using var proxy = LoopbackServer.ConnectProxy(hub.Port, requests);
            int closed = LoopbackServer.ClosedPort();
            var settings = Settings($"[provisioning]\nsource = \"manual\"\nconnection_string = \"HostName=contoso.azure-devices.net;DeviceId=edge;SharedAccessKey={Key}\"\n[agent.env]\nhttps_proxy = \"http://edge:pw@127.0.0.1:{proxy.Port}\"\nUpstreamProtocol = \"AmqpWs\"\n");

            // 443 is in the list so that the proxy probe runs; its direct probe goes to 127.0.0.1:443 (the resolver's answer).
            var results = await Run(Request(null, new[] { closed, 443 }, settings, trust: new CertificateTrust(new[] { root })));

            var viaProxy = Assert.Single(results, r => r.ViaProxy);
            Assert.Equal(PortGuide.ProxyHubCheckId, viaProxy.CheckId);
            Assert.True(viaProxy.Status == CheckStatus.Pass, viaProxy.Message);
            Assert.Equal($"http://edge:***@127.0.0.1:{proxy.Port}", viaProxy.Proxy);
            Assert.Contains("CONNECT contoso.azure-devices.net:443", Assert.Single(requests));
            var direct = results.Single(r => r.Port == closed);
            Assert.Equal(CheckStatus.Warning, direct.Status);
            Assert.Contains("Expected: the agent goes through the proxy", direct.Message);
            Assert.Contains("over AmqpWs", direct.Message);
            Assert.All(results, r => Assert.DoesNotContain(":pw@", r.Message + r.Remedy + r.Proxy));
        }

        [Fact]
        public void A_DPS_device_behind_a_proxy_probes_DPS_directly_and_through_the_proxy()
        {
            var settings = Settings("[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://global.azure-devices-provisioning.net\"\n[agent.env]\nhttps_proxy = \"http://proxy.contoso.com:3128\"\n");
            var run = FirewallTest.Prepare(Request(null, new[] { 443 }, settings), new CollectingReporter());
            Assert.Equal(new[] { "host-connect-iothub-https", "host-connect-dps-endpoint", "proxy-connect-dps-endpoint" }, run.Probes.Select(p => p.CheckId));
            Assert.Equal("proxy.contoso.com", run.Probes[2].Target.Proxy!.Host);
            Assert.NotNull(run.Probes[0].SkipReason);
        }

        [Fact]
        public void An_unreadable_trust_bundle_is_warned_about_and_the_system_roots_stay()
        {
            var settings = Settings("parent_hostname = \"gw.contoso.local\"\ntrust_bundle_cert = \"file:///nonexistent/bundle.pem\"\n[provisioning]\nsource = \"manual\"\niothub_hostname = \"hub.azure-devices.net\"\n");
            var reporter = new CollectingReporter();
            var run = FirewallTest.Prepare(Request(null, PortGuide.DefaultPorts, settings), reporter);
            Assert.Empty(run.Settings.Trust.ExtraRoots);
            Assert.Contains(reporter.Warnings, w => w.Contains("/nonexistent/bundle.pem") && w.Contains("system's roots only"));
        }

        [Fact]
        public async Task A_parent_name_the_resolver_refuses_fails_at_DNS()
        {
            var request = Request(null, new[] { 443 }, Settings("parent_hostname = \"my gateway\"\n[provisioning]\nsource = \"manual\"\niothub_hostname = \"hub.azure-devices.net\"\n"));
            // What a resolver does with such a name (the system's is not asked: it might send the query out).
            request.Probe.Resolve = (host, _) => Task.FromException<IPAddress[]>(new ArgumentException("The hostname is not valid.", "hostNameOrAddress"));
            var result = Assert.Single(await Run(request));
            Assert.Equal((CheckStatus.Error, ProbeStage.Dns), (result.Status, result.FailedStage!.Value));
            Assert.Contains("'my gateway'", result.Message);
        }

        [Fact]
        public void An_unusable_proxy_is_warned_about_and_the_probes_go_direct()
        {
            var settings = Settings("[provisioning]\nsource = \"manual\"\niothub_hostname = \"contoso.azure-devices.net\"\n[agent.env]\nhttps_proxy = \"proxy.contoso.com:3128\"\n");
            var reporter = new CollectingReporter();
            var run = FirewallTest.Prepare(Request(null, PortGuide.DefaultPorts, settings), reporter);
            Assert.Null(run.Proxy);
            Assert.All(run.Probes, p => Assert.Null(p.Target.Proxy));
            Assert.Contains(reporter.Warnings, w => w.Contains("not a URL"));
        }

        [Fact]
        public void A_config_that_names_nothing_to_probe_is_a_FirewallHubUnknown_error()
        {
            var settings = Settings("hostname = \"edge01\"\n[provisioning]\nsource = \"none\"\n");
            var ex = Assert.Throws<TroubleshootException>(() => FirewallTest.Prepare(Request(null, PortGuide.DefaultPorts, settings), new CollectingReporter()));
            Assert.Equal(ErrorIds.FirewallHubUnknown, ex.ErrorId);
            Assert.Contains("-HubHostName", ex.Message);
        }
    }
}
