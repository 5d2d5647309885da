using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.Edge.Network
{
    /// <summary>One row of the guide's "Firewall and port configuration rules for IoT Edge deployment".</summary>
    public sealed class PortGuidance
    {
        internal PortGuidance(int port, string protocol, string checkId, string localCheckId, string guidance, string? unsupportedInsteadOf = null)
        {
            Port = port;
            Protocol = protocol;
            CheckId = checkId;
            LocalCheckId = localCheckId;
            Guidance = guidance;
            Unsupported = unsupportedInsteadOf;
        }

        public int Port { get; }

        public string Protocol { get; }

        /// <summary>The id of a probe of the hub (or parent) on this port, as aziotctl check names it.</summary>
        public string CheckId { get; }

        /// <summary>The id of the -Local check of this port.</summary>
        public string LocalCheckId { get; }

        /// <summary>What the guide says of the port.</summary>
        public string Guidance { get; }

        /// <summary>For a port IoT Edge does not support (1883, 5672, 80): why, and the port to use; else null.</summary>
        public string? Unsupported { get; }
    }

    /// <summary>
    /// The guide's port table in one place: 8883 MQTT, 5671 AMQP, 443 HTTPS and WebSockets, the ports it says
    /// IoT Edge does not support (1883, 5672, 80), and the rule that inbound stays blocked.
    /// </summary>
    public static class PortGuide
    {
        public const int Mqtt = 8883;
        public const int Amqp = 5671;
        public const int Https = 443;

        public const string DpsCheckId = "host-connect-dps-endpoint";
        public const string OtherPortCheckId = "host-connect-iothub-port";
        public const string ProxyHubCheckId = "proxy-connect-iothub-https";
        public const string ProxyDpsCheckId = "proxy-connect-dps-endpoint";
        public const string OtherLocalCheckId = "edgehub-port-free";

        private const string InboundBlocked = "Inbound connections on it stay blocked.";

        private static readonly PortGuidance[] Known =
        {
            new PortGuidance(Mqtt, "MQTT", "host-connect-iothub-mqtt", "edgehub-port-free-8883",
                "Outbound 8883 must be open when MQTT is the upstream protocol (UpstreamProtocol Mqtt); otherwise it may stay blocked, as it is by default. " + InboundBlocked + " 1883 (MQTT without TLS) is not supported."),
            new PortGuidance(Amqp, "AMQP", "host-connect-iothub-amqp", "edgehub-port-free-5671",
                "AMQP is IoT Edge's default upstream protocol: outbound 5671 must be open unless another protocol is configured (then block it). " + InboundBlocked + " 5672 (AMQP without TLS) is not supported."),
            new PortGuidance(Https, "HTTPS/WebSocket", "host-connect-iothub-https", "edgehub-port-free-443",
                "Outbound 443 must be open: provisioning (DPS or scripts) uses it, and so do AMQP and MQTT over WebSockets (AmqpWs, MqttWs) when no other port is allowed. Inbound 443 is opened only for a transparent gateway whose leaf devices send method requests, or for cloud-to-device scenarios, and then only from the internal network. 80 (HTTP without TLS) is not supported."),
        };

        private static readonly PortGuidance[] Unsupported =
        {
            Other(1883, "MQTT without TLS", "IoT Edge does not support 1883 (MQTT without TLS): it uses MQTT over TLS on 8883."),
            Other(5672, "AMQP without TLS", "IoT Edge does not support 5672 (AMQP without TLS): it uses AMQP over TLS on 5671."),
            Other(80, "HTTP without TLS", "IoT Edge does not support 80 (HTTP without TLS): it uses HTTPS and WebSockets on 443."),
        };

        /// <summary>The ports probed and checked when -Port is not given: MQTT, AMQP, HTTPS.</summary>
        public static IReadOnlyList<int> DefaultPorts { get; } = Known.Select(row => row.Port).ToArray();

        /// <summary>Every check id Test-IoTEdgeFirewall writes, in the order it writes them (documented in about_IoTEdgeTroubleshoot).</summary>
        public static IReadOnlyList<string> CheckIds { get; } = Known.Select(row => row.CheckId)
            .Concat(new[] { OtherPortCheckId, DpsCheckId, ProxyHubCheckId, ProxyDpsCheckId })
            .Concat(Known.Select(row => row.LocalCheckId))
            .Concat(new[] { OtherLocalCheckId })
            .ToArray();

        public static PortGuidance For(int port) =>
            Known.FirstOrDefault(row => row.Port == port) ?? Unsupported.FirstOrDefault(row => row.Port == port)
            ?? new PortGuidance(port, "TCP", OtherPortCheckId, OtherLocalCheckId, $"IoT Edge itself uses only 8883, 5671 and 443 outbound; {port} is not in the guide's table. " + InboundBlocked);

        private static PortGuidance Other(int port, string protocol, string unsupported) =>
            new PortGuidance(port, protocol, OtherPortCheckId, OtherLocalCheckId, unsupported + " " + InboundBlocked, unsupported);
    }
}
