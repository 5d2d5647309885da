using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues.Issues
{
    /// <summary>Beyond the guide: aziot-edged cannot reach the identity service (aziot-identityd and its socket).</summary>
    public sealed class IdentityServiceUnreachable : SignatureIssue
    {
        private static readonly Regex Pattern = new Regex(
            @"(?:identityd\.sock|aziot-identityd|identity service)[^\n]{0,120}(?:connection refused|no such file|could not connect|not found|unavailable|connection reset)|(?:could not|failed to|unable to) (?:connect to|reach) [^\n]{0,40}identity ?service|Failed to obtain device identity",
            SignatureOptions);

        private static readonly string[] Words = { "identityd", "identity service", "identityservice", "failed to obtain device identity" };

        public override string Id => "identity-service-unreachable";

        public override string Title => "The identity service (aziot-identityd) cannot be reached";

        public override string RootCause => "In IoT Edge 1.2 and later, aziot-edged gets the device identity from aziot-identityd over /run/aziot/identityd.sock. When that service is stopped, failing (often a provisioning or config error) or its socket is missing, the module runtime cannot start.";

        public override string Resolution => "Check the identity services (iotedge system status; journalctl -u aziot-identityd), fix what their log says (often config.toml: run iotedge config apply), and restart them with iotedge system restart.";

        public override string? RemedyCommand => "Restart-IoTEdgeDaemon";

        public override string HelpUri => "https://learn.microsoft.com/azure/iot-edge/troubleshoot";

        public override IReadOnlyList<string> Needles => Words;

        protected override Regex Signature => Pattern;
    }
}
