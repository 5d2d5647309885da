using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Network;
using IoTEdgeTroubleshoot.Edge.Network.Probing;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Network
{
    /// <summary>Each stage of a probe against real sockets on 127.0.0.1: where it stops, and why.</summary>
    public class ConnectivityProbeTests
    {
        // Any name resolves to 127.0.0.1 only: the probes never leave the machine.
        private static ProbeSettings Loopback(double seconds = 5, CertificateTrust? trust = null) => new ProbeSettings
        {
            Timeout = TimeSpan.FromSeconds(seconds),
            Resolve = (host, _) => Task.FromResult(new[] { IPAddress.Loopback }),
            Trust = trust ?? CertificateTrust.SystemOnly,
        };

        private static Task<ProbeOutcome> Probe(string host, int port, ProbeSettings settings, ProxyEndpoint? proxy = null) =>
            ConnectivityProbe.RunAsync(new ProbeTarget(host, port, proxy), settings, CancellationToken.None);

        [Fact]
        public async Task A_refused_port_fails_at_TCP_quickly_and_says_refused()
        {
            var outcome = await Probe("127.0.0.1", LoopbackServer.ClosedPort(), Loopback());
            Assert.Equal(ProbeStage.Tcp, outcome.FailedStage);
            Assert.False(outcome.TimedOut);
            Assert.Contains("refused", outcome.Detail);
            Assert.True(outcome.LatencyMs < 3000, $"took {outcome.LatencyMs} ms");
        }

        [Fact]
        public async Task A_name_that_does_not_resolve_fails_at_DNS()
        {
            var settings = Loopback();
            settings.Resolve = (host, _) => Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
            var outcome = await Probe("nohub.azure-devices.net", 8883, settings);
            Assert.Equal(ProbeStage.Dns, outcome.FailedStage);
            Assert.Contains("nohub.azure-devices.net", outcome.Detail);
            Assert.Contains("HostNotFound", outcome.Detail);
            Assert.Null(outcome.Address);
        }

        [Fact]
        public async Task A_resolver_that_never_answers_times_out_at_DNS()
        {
            var settings = Loopback(seconds: 0.5);
            settings.Resolve = (host, _) => new TaskCompletionSource<IPAddress[]>().Task;
            var outcome = await Probe("slow.example", 443, settings);
            Assert.Equal(ProbeStage.Dns, outcome.FailedStage);
            Assert.True(outcome.TimedOut);
        }

        [Fact]
        public async Task A_plain_TCP_listener_connects_but_fails_at_TLS()
        {
            using var server = LoopbackServer.PlainText();
            var outcome = await Probe("localhost", server.Port, Loopback());
            Assert.Equal(ProbeStage.Tls, outcome.FailedStage);
            Assert.False(outcome.TimedOut);
            Assert.Equal(IPAddress.Loopback, outcome.Address);
            Assert.StartsWith("the TLS handshake failed", outcome.Detail);
        }

        [Fact]
        public async Task A_silent_listener_times_out_at_TLS_within_the_budget()
        {
            using var server = LoopbackServer.Silent();
            // A timer started beside the probe measures how late this loaded machine fires timers and runs their
            // continuations: the probe may be that late too, and no later than 1.5 s beyond it.
            var beside = Stopwatch.StartNew();
            var reference = Task.Delay(1000).ContinueWith(_ => beside.ElapsedMilliseconds, TaskScheduler.Default);
            var outcome = await Probe("localhost", server.Port, Loopback(seconds: 1));
            long referenceMs = await reference;
            Assert.Equal(ProbeStage.Tls, outcome.FailedStage);
            Assert.True(outcome.TimedOut);
            Assert.InRange(outcome.LatencyMs, 900, Math.Max(2500, referenceMs + 1500));
        }

        [Fact]
        public async Task A_self_signed_certificate_fails_at_the_certificate_stage_under_full_validation()
        {
            using var leaf = TestCertificates.Leaf("localhost");
            using var server = LoopbackServer.Tls(leaf);
            var outcome = await Probe("localhost", server.Port, Loopback());
            Assert.Equal(ProbeStage.Certificate, outcome.FailedStage);
            Assert.Contains("not trusted", outcome.Detail);
            Assert.Equal("CN=localhost", outcome.CertificateIssuer);
        }

        [Fact]
        public async Task A_certificate_from_an_injected_root_passes_full_validation()
        {
            using var root = TestCertificates.Root();
            using var leaf = TestCertificates.Leaf("localhost", root);
            using var server = LoopbackServer.Tls(leaf);
            var outcome = await Probe("localhost", server.Port, Loopback(trust: new CertificateTrust(new[] { root })));
            Assert.True(outcome.Succeeded, outcome.Detail);
            Assert.Null(outcome.FailedStage);
            Assert.Equal(root.Subject, outcome.CertificateIssuer);
        }

        [Fact]
        public async Task The_injected_root_does_not_excuse_a_wrong_name()
        {
            using var root = TestCertificates.Root();
            using var leaf = TestCertificates.Leaf("other.example", root);
            using var server = LoopbackServer.Tls(leaf);
            var outcome = await Probe("localhost", server.Port, Loopback(trust: new CertificateTrust(new[] { root })));
            Assert.Equal(ProbeStage.Certificate, outcome.FailedStage);
            Assert.Contains("'other.example', not 'localhost'", outcome.Detail);
        }

        [Fact]
        public async Task The_injected_root_does_not_excuse_an_expired_certificate()
        {
            using var root = TestCertificates.Root();
            using var leaf = TestCertificates.Leaf("localhost", root, expired: true);
            using var server = LoopbackServer.Tls(leaf);
            var outcome = await Probe("localhost", server.Port, Loopback(trust: new CertificateTrust(new[] { root })));
            Assert.Equal(ProbeStage.Certificate, outcome.FailedStage);
            Assert.Contains("expired", outcome.Detail);
        }

        [Fact]
        public async Task Another_root_than_the_issuers_is_not_trusted()
        {
            using var root = TestCertificates.Root();
            using var stranger = TestCertificates.Root("Someone Else");
            using var leaf = TestCertificates.Leaf("localhost", root);
            using var server = LoopbackServer.Tls(leaf);
            var outcome = await Probe("localhost", server.Port, Loopback(trust: new CertificateTrust(new[] { stranger })));
            Assert.Equal(ProbeStage.Certificate, outcome.FailedStage);
        }

        [Fact]
        public async Task Through_a_CONNECT_proxy_the_tunnel_carries_TLS_with_the_hubs_name()
        {
            using var root = TestCertificates.Root();
            using var leaf = TestCertificates.Leaf("contoso.azure-devices.net", root);
            using var hub = LoopbackServer.Tls(leaf);
            var requests = new List<string>();
            using var proxy = LoopbackServer.ConnectProxy(hub.Port, requests);
            var endpoint = ProxyEndpoint.Parse($"http://127.0.0.1:{proxy.Port}", out _)!;
            var outcome = await Probe("contoso.azure-devices.net", 443, Loopback(trust: new CertificateTrust(new[] { root })), endpoint);
            Assert.True(outcome.Succeeded, outcome.Detail);
            Assert.StartsWith("CONNECT contoso.azure-devices.net:443 HTTP/1.1\r\nHost: contoso.azure-devices.net:443\r\n", Assert.Single(requests));
        }

        [Fact]
        public async Task A_proxy_that_wants_credentials_fails_at_the_proxy_stage_and_sends_them_when_given()
        {
            var requests = new List<string>();
            using var proxy = LoopbackServer.ConnectProxy(LoopbackServer.ClosedPort(), requests, "407 Proxy Authentication Required");
            var endpoint = ProxyEndpoint.Parse($"http://edge:s3cret@127.0.0.1:{proxy.Port}", out _)!;
            var outcome = await Probe("contoso.azure-devices.net", 443, Loopback(), endpoint);
            Assert.Equal(ProbeStage.Proxy, outcome.FailedStage);
            Assert.Contains("407", outcome.Detail);
            Assert.DoesNotContain("s3cret", outcome.Detail);
            Assert.Contains("Proxy-Authorization: Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("edge:s3cret")), Assert.Single(requests));
        }

        [Fact]
        public async Task A_proxy_that_refuses_the_host_is_a_proxy_failure_naming_the_rule()
        {
            var requests = new List<string>();
            using var proxy = LoopbackServer.ConnectProxy(LoopbackServer.ClosedPort(), requests, "403 Forbidden");
            var outcome = await Probe("contoso.azure-devices.net", 443, Loopback(), ProxyEndpoint.Parse($"http://127.0.0.1:{proxy.Port}", out _));
            Assert.Equal(ProbeStage.Proxy, outcome.FailedStage);
            Assert.Contains("*.azure-devices.net", outcome.Detail);
        }

        [Fact]
        public async Task A_proxy_that_is_down_fails_at_TCP_to_the_proxy()
        {
            var outcome = await Probe("contoso.azure-devices.net", 443, Loopback(), ProxyEndpoint.Parse($"http://127.0.0.1:{LoopbackServer.ClosedPort()}", out _));
            Assert.Equal(ProbeStage.Tcp, outcome.FailedStage);
            Assert.Contains("refused", outcome.Detail);
        }

        [Fact]
        public async Task Ctrl_C_stops_a_probe_long_before_its_time_runs_out()
        {
            using var server = LoopbackServer.Silent();
            using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                ConnectivityProbe.RunAsync(new ProbeTarget("localhost", server.Port), Loopback(seconds: 30), stop.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        }

        [Theory]
        [InlineData("contoso.azure-devices.net", "contoso.azure-devices.net")]
        [InlineData("  contoso.azure-devices.net ", "contoso.azure-devices.net")]
        [InlineData("https://contoso.azure-devices.net/", "contoso.azure-devices.net")]
        [InlineData("10.0.0.4", "10.0.0.4")]
        [InlineData("[fe80::1]", "fe80::1")]
        [InlineData("not a host", null)]
        [InlineData("contoso.azure-devices.net:8883", null)]
        [InlineData("", null)]
        public void A_host_is_taken_as_typed_or_from_a_pasted_URL(string typed, string? host) =>
            Assert.Equal(host, ProbeTarget.HostFromUserInput(typed));

        [Theory]
        [InlineData("http://proxy.contoso.com:3128", "proxy.contoso.com", 3128)]
        [InlineData("http://proxy.contoso.com", "proxy.contoso.com", 80)]
        [InlineData("http://user:pa%40ss@10.0.0.5:8080/", "10.0.0.5", 8080)]
        public void Proxy_URLs_parse_to_host_and_port(string value, string host, int port)
        {
            var proxy = ProxyEndpoint.Parse(value, out string? problem);
            Assert.Null(problem);
            Assert.Equal(host, proxy!.Host);
            Assert.Equal(port, proxy.Port);
            Assert.DoesNotContain("pa%40ss", proxy.Shown);
        }

        [Theory]
        [InlineData("", "empty")]
        [InlineData("proxy:3128", "not a URL")]
        [InlineData("https://proxy.contoso.com:3128", "only http://")]
        [InlineData("not a url", "not a URL")]
        public void Proxy_values_the_probe_cannot_use_say_why(string value, string why)
        {
            Assert.Null(ProxyEndpoint.Parse(value, out string? problem));
            Assert.Contains(why, problem);
        }
    }
}
