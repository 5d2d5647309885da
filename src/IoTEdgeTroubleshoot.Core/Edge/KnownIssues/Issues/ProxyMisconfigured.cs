using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues.Issues
{
    /// <summary>
    /// Beyond the guide: the HTTPS proxy refuses or is not reachable (407, AmqpWs behind https_proxy). edgeHub's
    /// "cloud proxy" (its connection to IoT Hub for each client) is no HTTP proxy and does not count.
    /// </summary>
    public sealed class ProxyMisconfigured : SignatureIssue
    {
        private static readonly Regex Pattern = new Regex(
            @"Proxy Authentication Required|ProxyAuthenticationRequired|\b407\b[^\n]{0,80}(?<!cloud ?)proxy|(?<!cloud ?)proxy[^\n]{0,80}\b407\b|(?:could not|unable to|failed to) connect to (?:the )?proxy|(?<!cloud ?)proxy[^\n]{0,60}(?:connection refused|no such host|name resolution|timed out)",
            SignatureOptions);

        private static readonly string[] Words = { "proxy" };

        public override string Id => "proxy-misconfigured";

        public override string Title => "The proxy refuses or cannot be reached (407 Proxy Authentication Required, or no connection)";

        public override string RootCause => "Behind a proxy, the daemon, the container engine and the modules each need the proxy settings (https_proxy), and the modules must use a protocol the proxy carries (UpstreamProtocol AmqpWs or MqttWs). A 407 means the proxy wants credentials it was not given; no connection means a wrong address or port.";

        public override string Resolution => "Set https_proxy (with credentials, if the proxy needs them) for the daemon (1.2+: [agent.env] and the aziot services; 1.0/1.1: the iotedge service environment), for the container engine, and for edgeAgent and edgeHub with UpstreamProtocol AmqpWs; then apply and restart.";

        public override string? RemedyCommand => "Test-IoTEdgeConfig";

        public override string HelpUri => "https://learn.microsoft.com/azure/iot-edge/how-to-configure-proxy-support";

        public override IReadOnlyList<string> Needles => Words;

        protected override Regex Signature => Pattern;
    }
}
