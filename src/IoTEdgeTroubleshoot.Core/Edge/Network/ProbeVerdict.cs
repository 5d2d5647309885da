using System;
using System.Collections.Generic;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.Network.Probing;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Network
{
    /// <summary>
    /// Turns probe outcomes into check results: the status, what happened in words, and the guide's guidance
    /// for the port. A closed port is an error only when this device needs it: 8883 only for MQTT, 5671 only
    /// for AMQP (the default), and no direct port at all when the agent goes through a proxy over websockets.
    /// </summary>
    internal sealed class ProbeVerdict
    {
        private const string DefaultProtocol = "Amqp";

        private readonly ProxyEndpoint? _proxy;
        private readonly string _protocol;
        private readonly bool _protocolSet;
        private readonly bool _hubHttpsClosed;

        public ProbeVerdict(ProxyEndpoint? proxy, string? upstreamProtocol, IEnumerable<(PlannedProbe Planned, ProbeOutcome? Outcome)> all)
        {
            _proxy = proxy;
            _protocolSet = upstreamProtocol != null;
            _protocol = upstreamProtocol ?? DefaultProtocol;

            // The agent's fallback from AMQP is AMQP over WebSocket on 443, directly or through the proxy.
            var hubHttps = all.Where(p => p.Planned.Role != ProbeRole.Dps && p.Planned.Target.Port == PortGuide.Https && p.Outcome != null).ToList();
            _hubHttpsClosed = hubHttps.Count > 0 && hubHttps.All(p => !p.Outcome!.Succeeded);
        }

        private bool UsesWebSockets => _protocol.EndsWith("Ws", StringComparison.OrdinalIgnoreCase);

        public IoTEdgeNetworkCheckResult Judge(PlannedProbe planned, ProbeOutcome? outcome)
        {
            var target = planned.Target;
            var guidance = planned.Guidance;
            var result = new IoTEdgeNetworkCheckResult
            {
                CheckId = planned.CheckId,
                Description = Description(planned),
                Host = target.Host,
                Port = target.Port,
                Protocol = guidance.Protocol,
                Role = planned.Role.ToString(),
                ViaProxy = target.Proxy != null,
                Proxy = target.Proxy?.Shown,
            };

            if (outcome == null)
            {
                result.Status = CheckStatus.Skipped;
                result.Message = "Skipped: " + planned.SkipReason;
                return result;
            }

            result.Address = outcome.Address?.ToString();
            result.FailedStage = outcome.FailedStage;
            result.TimedOut = outcome.TimedOut;
            result.LatencyMs = outcome.LatencyMs;
            result.CertificateIssuer = outcome.CertificateIssuer;
            string where = $"{Who(planned.Role)} {target.Host}:{target.Port} ({guidance.Protocol}){(target.Proxy == null ? string.Empty : " through the proxy " + target.Proxy.Shown)}";

            if (outcome.Succeeded)
            {
                result.Status = guidance.Unsupported == null ? CheckStatus.Pass : CheckStatus.Warning;
                result.Message = SecretMasker.Mask($"{where} answered in {outcome.LatencyMs} ms: TCP to {outcome.Address}, TLS with a valid certificate for {target.Host} (issuer: {outcome.CertificateIssuer})."
                    + (guidance.Unsupported == null ? string.Empty : " " + guidance.Unsupported));
                return result;
            }

            var stage = outcome.FailedStage!.Value;
            string toProxy = target.Proxy != null && stage <= ProbeStage.Tcp ? " (to the proxy)" : string.Empty;
            string failure = $"{where}: the {Stage(stage)} stage{toProxy} {(outcome.TimedOut ? "timed out" : "failed")}: {outcome.Detail}.";
            var (status, why) = StatusOfFailure(planned);
            result.Status = status;
            result.Message = SecretMasker.Mask(why == null ? failure : failure + " " + why);
            result.Remedy = SecretMasker.Mask(StageAdvice(planned, outcome) + " " + guidance.Guidance);
            return result;
        }

        private (CheckStatus Status, string? Why) StatusOfFailure(PlannedProbe planned)
        {
            int port = planned.Target.Port;
            if (planned.Guidance.Unsupported != null) return (CheckStatus.Warning, planned.Guidance.Unsupported);
            if (planned.Target.Proxy == null && _proxy != null && planned.Role != ProbeRole.Parent)
            {
                if (port == PortGuide.Https || UsesWebSockets)
                {
                    return (CheckStatus.Warning, $"Expected: the agent goes through the proxy {_proxy.Shown}{(UsesWebSockets ? " over " + _protocol : string.Empty)}, so it needs no direct connection on {port} (a common false alarm of 'iotedge check').");
                }

                return (CheckStatus.Error, $"The agent has the proxy {_proxy.Shown} but UpstreamProtocol is {Protocol()}, which a proxy does not carry: set UpstreamProtocol to AmqpWs (or MqttWs) in the agent's env, or open {port}.");
            }

            if (planned.Role == ProbeRole.Dps) return (CheckStatus.Error, null);
            if (port == PortGuide.Mqtt && !_protocol.Equals("Mqtt", StringComparison.OrdinalIgnoreCase))
            {
                return (CheckStatus.Warning, $"The agent uses {Protocol()}: 8883 is needed only when MQTT is the upstream protocol (and by leaf devices that use MQTT through a gateway).");
            }

            if (port == PortGuide.Amqp && !_protocol.Equals("Amqp", StringComparison.OrdinalIgnoreCase))
            {
                return (CheckStatus.Warning, $"The agent uses {Protocol()}: 5671 is needed only for AMQP.");
            }

            if (port == PortGuide.Amqp)
            {
                return (CheckStatus.Error, _hubHttpsClosed
                    ? "With 5671 and 443 both closed, edgeAgent tries AMQP, then AMQP over WebSocket, and stops after about a minute (the guide's 'IoT Edge agent stops after about a minute')."
                    : "edgeAgent falls back to AMQP over WebSocket on 443 after about 30 seconds: open 5671, or set UpstreamProtocol to AmqpWs in the agent's env.");
            }

            return (CheckStatus.Error, null);
        }

        private string Protocol() => _protocolSet ? _protocol : DefaultProtocol + " (the default)";

        private static string StageAdvice(PlannedProbe planned, ProbeOutcome outcome)
        {
            var target = planned.Target;
            string host = target.Proxy != null && outcome.FailedStage <= ProbeStage.Tcp ? target.Proxy.Host : target.Host;
            int port = target.Proxy != null && outcome.FailedStage <= ProbeStage.Tcp ? target.Proxy.Port : target.Port;
            return outcome.FailedStage switch
            {
                ProbeStage.Dns => $"Check the name '{host}' and the device's DNS servers (/etc/resolv.conf on Linux, the adapter's settings on Windows); modules also need DNS that resolves it (the container engine's daemon.json).",
                ProbeStage.Tcp => $"Open outbound TCP {port} to {host} in the device's firewall and in the network's{(planned.Role == ProbeRole.Parent ? ", and check that the parent's edgeHub runs and publishes the port" : string.Empty)}; if a VPN is up, check that it does not take the route.",
                ProbeStage.Proxy => "Fix the proxy's rules, or the credentials in https_proxy.",
                ProbeStage.Tls when outcome.TimedOut => $"The connection opened but TLS got no answer: a firewall or proxy on the way holds TLS on port {target.Port}; behind a corporate proxy, that means TLS inspection: exempt {target.Host} from it.",
                ProbeStage.Tls => $"A firewall or proxy on the way breaks TLS on port {target.Port}: behind a corporate proxy, that means TLS inspection; exempt {target.Host} from it.",
                _ => planned.Role == ProbeRole.Parent
                    ? "The parent's edge CA must chain to this device's trust_bundle_cert, and parent_hostname must be a name in the parent's certificate (its config.toml hostname)."
                    : $"Behind a corporate proxy or firewall, this means TLS inspection replaced the certificate: exempt {target.Host} from inspection. Otherwise check the device's clock and its trusted root certificates.",
            };
        }

        private static string Stage(ProbeStage stage) => stage switch
        {
            ProbeStage.Dns => "DNS",
            ProbeStage.Tcp => "TCP",
            ProbeStage.Proxy => "proxy CONNECT",
            ProbeStage.Tls => "TLS",
            _ => "certificate",
        };

        private static string Who(ProbeRole role) => role switch
        {
            ProbeRole.Dps => "The DPS endpoint",
            ProbeRole.Parent => "The parent device",
            _ => "The IoT hub",
        };

        private static string Description(PlannedProbe planned) => planned.Role switch
        {
            ProbeRole.Dps => $"the device can reach the DPS endpoint on 443{(planned.Target.Proxy == null ? string.Empty : " through its proxy")}",
            ProbeRole.Parent => $"the device can reach its parent on {planned.Target.Port} ({planned.Guidance.Protocol})",
            _ => $"the device can reach the IoT hub on {planned.Target.Port} ({planned.Guidance.Protocol}){(planned.Target.Proxy == null ? string.Empty : " through its proxy")}",
        };
    }
}
