using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues.Issues
{
    /// <summary>Beyond the guide: the Edge CA (device CA in 1.0/1.1) certificate expired; the quickstart CA lasts 90 days.</summary>
    public sealed class EdgeCaExpired : SignatureIssue
    {
        private static readonly Regex Pattern = new Regex(
            @"(?:device|edge)[ _-]?CA (?:cert(?:ificate)? )?(?:has |is |was )?expired|(?:device|edge)[ _-]?CA cert(?:ificate)?[^\n]{0,80}\b(?:has expired|is expired|expired on)\b|expired[^\n]{0,40}(?:device|edge)[ _-]?CA\b|quickstart[^\n]{0,60}\bexpired\b",
            SignatureOptions);

        private static readonly string[] Words = { "expired" };

        public override string Id => "edge-ca-expired";

        public override string Title => "The Edge CA (device CA) certificate has expired";

        public override string RootCause => "The certificate that signs the module and edgeHub server certificates expired. Without certificates of your own, IoT Edge uses a quickstart CA that lasts 90 days (auto_generated_edge_ca_expiry_days in 1.2+); 1.0/1.1 does not renew it while running, so edgeHub and the modules fail TLS.";

        public override string Resolution => "1.2+: give [edge_ca] your own certificate, or renew the quickstart CA ([edge_ca.auto_renew], or delete it from the certd store and restart), then restart IoT Edge. 1.0/1.1: restart the daemon, which makes a new quickstart CA, and plan your own device CA certificate for production.";

        public override string? RemedyCommand => "Restart-IoTEdgeDaemon";

        public override string HelpUri => "https://learn.microsoft.com/azure/iot-edge/how-to-manage-device-certificates";

        public override IReadOnlyList<string> Needles => Words;

        protected override Regex Signature => Pattern;
    }
}
