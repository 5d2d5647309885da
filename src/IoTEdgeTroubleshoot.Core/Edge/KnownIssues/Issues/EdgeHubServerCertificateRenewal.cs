using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues.Issues
{
    /// <summary>Beyond the guide: edgeHub's server certificate expired or could not be renewed.</summary>
    public sealed class EdgeHubServerCertificateRenewal : SignatureIssue
    {
        private static readonly Regex Pattern = new Regex(
            @"Server certificate is expired|Not scheduling renewal|(?:failed|unable|error)[^\n]{0,40}(?:renew|renewing|refresh)[^\n]{0,40}server cert|server cert(?:ificate)?[^\n]{0,40}renewal[^\n]{0,40}(?:failed|error)",
            SignatureOptions);

        private static readonly string[] Words = { "server certificate is expired", "not scheduling renewal", "server cert" };

        public override string Id => "edgehub-server-cert-renewal";

        public override string Title => "edgeHub's server certificate expired or was not renewed";

        public override string RootCause => "edgeHub serves TLS with a server certificate from the daemon's workload API, valid for about a month (never past the Edge CA), and restarts itself to renew it. When renewal fails (the Edge CA expired, the workload API refused, the device was off at the time), downstream devices and modules fail the TLS handshake.";

        public override string Resolution => "Restart edgeHub so it fetches a new server certificate; if it keeps failing, check the Edge CA certificate's expiry and the daemon's log around the renewal time.";

        public override string? RemedyCommand => "Restart-IoTEdgeModule -Name edgeHub";

        public override string HelpUri => "https://learn.microsoft.com/azure/iot-edge/how-to-manage-device-certificates";

        public override IReadOnlyList<string> Needles => Words;

        protected override Regex Signature => Pattern;
    }
}
