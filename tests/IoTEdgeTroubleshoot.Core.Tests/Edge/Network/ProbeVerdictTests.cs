using System.Linq;
using System.Net;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Network;
using IoTEdgeTroubleshoot.Edge.Network.Probing;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Network
{
    /// <summary>When a closed port is an error: only when this device needs it, as the guide's table and the agent's protocol say.</summary>
    public class ProbeVerdictTests
    {
        private const string Hub = "contoso.azure-devices.net";

        private static (PlannedProbe, ProbeOutcome?) Probe(int port, bool open, ProxyEndpoint? proxy = null, ProbeRole role = ProbeRole.IoTHub)
        {
            var guidance = PortGuide.For(port);
            var target = new ProbeTarget(Hub, port, proxy);
            var outcome = new ProbeOutcome(target) { Address = IPAddress.Parse("20.1.2.3"), LatencyMs = 42, CertificateIssuer = "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1" };
            if (!open)
            {
                outcome.FailedStage = ProbeStage.Tcp;
                outcome.TimedOut = true;
                outcome.Detail = "no answer within 10 s";
            }

            return (new PlannedProbe(proxy == null ? guidance.CheckId : PortGuide.ProxyHubCheckId, role, guidance, target), outcome);
        }

        private static IoTEdgeNetworkCheckResult[] Judge(string? protocol, ProxyEndpoint? proxy, params (PlannedProbe, ProbeOutcome?)[] probes)
        {
            var verdict = new ProbeVerdict(proxy, protocol, probes);
            return probes.Select(p => verdict.Judge(p.Item1, p.Item2)).ToArray();
        }

        [Theory]
        [InlineData(null, CheckStatus.Warning)]
        [InlineData("Amqp", CheckStatus.Warning)]
        [InlineData("AmqpWs", CheckStatus.Warning)]
        [InlineData("Mqtt", CheckStatus.Error)]
        [InlineData("mqtt", CheckStatus.Error)]
        public void A_closed_8883_is_an_error_only_when_MQTT_is_the_upstream_protocol(string? protocol, CheckStatus expected)
        {
            var result = Judge(protocol, null, Probe(8883, open: false))[0];
            Assert.Equal(expected, result.Status);
            Assert.Equal(("host-connect-iothub-mqtt", "MQTT", ProbeStage.Tcp, true), (result.CheckId, result.Protocol, result.FailedStage!.Value, result.TimedOut));
            Assert.Contains("1883 (MQTT without TLS) is not supported", result.Remedy);
        }

        [Theory]
        [InlineData(null, CheckStatus.Error)]
        [InlineData("Amqp", CheckStatus.Error)]
        [InlineData("MqttWs", CheckStatus.Warning)]
        [InlineData("Mqtt", CheckStatus.Warning)]
        public void A_closed_5671_is_an_error_when_AMQP_is_used_which_is_the_default(string? protocol, CheckStatus expected)
        {
            var result = Judge(protocol, null, Probe(5671, open: false), Probe(443, open: true))[0];
            Assert.Equal(expected, result.Status);
            Assert.Contains("5672 (AMQP without TLS) is not supported", result.Remedy);
        }

        [Fact]
        public void With_5671_and_443_both_closed_the_message_names_the_guides_agent_stops_after_a_minute()
        {
            var results = Judge(null, null, Probe(5671, open: false), Probe(443, open: false));
            Assert.Contains("stops after about a minute", results[0].Message);
            Assert.Equal(CheckStatus.Error, results[1].Status);
            Assert.Contains("80 (HTTP without TLS) is not supported", results[1].Remedy);
            Assert.Contains("Open outbound TCP 443", results[1].Remedy);
        }

        [Fact]
        public void With_443_open_a_closed_5671_names_the_websocket_fallback()
        {
            var result = Judge(null, null, Probe(5671, open: false), Probe(443, open: true))[0];
            Assert.Contains("falls back to AMQP over WebSocket on 443", result.Message);
            Assert.Contains("Amqp (the default)", Judge(null, ProxyEndpoint.Parse("http://p:3128", out _), Probe(5671, open: false))[0].Message);
        }

        [Fact]
        public void Behind_a_proxy_with_websockets_direct_failures_are_expected_warnings()
        {
            var proxy = ProxyEndpoint.Parse("http://proxy.contoso.com:3128", out _);
            var results = Judge("AmqpWs", proxy, Probe(8883, open: false), Probe(5671, open: false), Probe(443, open: false), Probe(443, open: true, proxy));
            Assert.All(results.Take(3), r => Assert.Equal(CheckStatus.Warning, r.Status));
            Assert.All(results.Take(3), r => Assert.Contains("false alarm", r.Message));
            Assert.Equal(CheckStatus.Pass, results[3].Status);
            Assert.True(results[3].ViaProxy);
            Assert.Contains("through the proxy http://proxy.contoso.com:3128", results[3].Message);
        }

        [Fact]
        public void Behind_a_proxy_without_websockets_a_closed_5671_is_an_error_that_says_to_use_AmqpWs()
        {
            var result = Judge("Amqp", ProxyEndpoint.Parse("http://proxy.contoso.com:3128", out _), Probe(5671, open: false))[0];
            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.Contains("set UpstreamProtocol to AmqpWs", result.Message);
        }

        [Fact]
        public void An_open_port_passes_with_address_latency_and_issuer()
        {
            var result = Judge(null, null, Probe(443, open: true))[0];
            Assert.Equal(CheckStatus.Pass, result.Status);
            Assert.Equal(("20.1.2.3", 42L), (result.Address, result.LatencyMs!.Value));
            Assert.Contains("issuer: CN=DigiCert", result.Message);
            Assert.Null(result.Remedy);
        }

        [Theory]
        [InlineData(1883, "8883")]
        [InlineData(5672, "5671")]
        [InlineData(80, "443")]
        public void The_ports_the_guide_says_are_not_supported_are_warnings_open_or_closed(int port, string instead)
        {
            foreach (bool open in new[] { true, false })
            {
                var result = Judge("Mqtt", null, Probe(port, open))[0];
                Assert.Equal(CheckStatus.Warning, result.Status);
                Assert.Contains("does not support " + port, result.Message);
                Assert.Contains("on " + instead, result.Message);
            }
        }

        [Fact]
        public void A_certificate_failure_says_TLS_inspection_and_a_parents_says_trust_bundle()
        {
            var (planned, outcome) = Probe(443, open: false);
            outcome!.FailedStage = ProbeStage.Certificate;
            outcome.TimedOut = false;
            outcome.Detail = "the certificate chain is not valid: its root is not trusted on this machine";
            Assert.Contains("TLS inspection replaced the certificate", Judge(null, null, (planned, outcome))[0].Remedy);
            var parent = new PlannedProbe(planned.CheckId, ProbeRole.Parent, planned.Guidance, planned.Target);
            var result = Judge(null, null, (parent, outcome))[0];
            Assert.Contains("trust_bundle_cert", result.Remedy);
            Assert.StartsWith("The parent device", result.Message);
        }

        [Fact]
        public void The_check_ids_are_unique_and_the_default_ports_the_guides()
        {
            Assert.Equal(PortGuide.CheckIds.Count, PortGuide.CheckIds.Distinct().Count());
            Assert.Equal(new[] { 8883, 5671, 443 }, PortGuide.DefaultPorts);
            Assert.Equal(PortGuide.OtherPortCheckId, PortGuide.For(9999).CheckId);
        }
    }
}
