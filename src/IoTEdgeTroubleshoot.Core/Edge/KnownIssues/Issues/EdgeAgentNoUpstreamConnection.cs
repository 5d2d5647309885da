using System.Collections.Generic;
using System.Text.RegularExpressions;
using IoTEdgeTroubleshoot.Edge.Logs;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues.Issues
{
    /// <summary>
    /// The guide's "IoT Edge agent stops after about a minute": edgeAgent tries AMQP, then AMQP over WebSocket,
    /// and never connects. A sequence: attempts are recorded, a later "connected" forgets them, and at the end the
    /// issue stands only if a WebSocket attempt was left without an answer (1.0's "via AMQP over WebSocket..."
    /// and later "via Amqp_WebSocket_Only..." alike).
    /// </summary>
    public sealed class EdgeAgentNoUpstreamConnection : KnownIssue
    {
        private static readonly Regex Attempt = new Regex(@"Edge agent attempting to connect to IoT Hub via (?<protocol>[^\n]{1,60}?)\.{3}", SignatureOptions);
        private static readonly Regex Connected = new Regex(@"Edge agent connected to IoT Hub via", SignatureOptions);
        private static readonly string[] Words = { "edge agent attempting to connect", "edge agent connected to iot hub" };

        private bool _webSocketUnanswered;

        public override string Id => "edgeagent-no-upstream";

        public override string Title => "edgeAgent cannot reach IoT Hub: AMQP, then AMQP over WebSocket, then nothing";

        public override string RootCause => "The network IoT Edge gives the modules (a bridge network on Linux, NAT on Windows) has no route to the internet: edgeAgent tries AMQP (port 5671), then AMQP over WebSocket (443), fails, and stops after about a minute. It happens more on Windows devices with Windows containers (NAT), and when a VPN on the host overrides the IoT Edge network.";

        public override string Resolution => "Make sure the IP addresses of the bridge/NAT network IoT Edge uses can reach the internet: outbound 5671 (AMQP) and 443 (HTTPS, WebSocket) open in the firewall, and no host VPN configuration that takes over that network.";

        public override string? RemedyCommand => "Test-IoTEdgeFirewall";

        public override IReadOnlyList<string> Needles => Words;

        public override void Observe(IoTEdgeLogEntry entry, KnownIssueFindings findings)
        {
            if (Connected.IsMatch(entry.Message))
            {
                findings.Remove(this);
                _webSocketUnanswered = false;
                return;
            }

            var attempt = Attempt.Match(entry.Message);
            if (!attempt.Success) return;
            findings.Add(this, string.Empty, entry, attempt.Index);
            if (attempt.Groups["protocol"].Value.IndexOf("websocket", System.StringComparison.OrdinalIgnoreCase) >= 0) _webSocketUnanswered = true;
        }

        public override void Complete(KnownIssueFindings findings)
        {
            // Plain AMQP attempts at the end of a log that stops there are a start-up, not the symptom.
            if (!_webSocketUnanswered) findings.Remove(this);
        }
    }
}
