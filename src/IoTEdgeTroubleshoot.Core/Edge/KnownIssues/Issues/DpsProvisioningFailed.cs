using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues.Issues
{
    /// <summary>Beyond the guide: provisioning through the Device Provisioning Service fails.</summary>
    public sealed class DpsProvisioningFailed : SignatureIssue
    {
        private static readonly Regex Pattern = new Regex(
            @"Failed to provision|DPS Client Error|could not provision|provisioning (?:failed|error)|failed to register with (?:DPS|the provisioning service)|registration[^\n]{0,40}(?:failed|status[:=]? ?""?(?:failed|disabled|unassigned))|Provisioning result[^\n]{0,40}(?:failed|disabled)",
            SignatureOptions);

        private static readonly string[] Words = { "provision", "dps", "registration" };

        public override string Id => "dps-provisioning-failed";

        public override string Title => "Provisioning the device (DPS) failed";

        public override string RootCause => "The Device Provisioning Service refused or could not register the device: a wrong ID scope or registration ID, an enrollment that is disabled or deleted, attestation (symmetric key, X.509, TPM) that does not match the enrollment, or no route to global.azure-devices-provisioning.net on 443/5671/8883.";

        public override string Resolution => "Check the [provisioning] section (id_scope, registration_id, attestation) against the enrollment in DPS, that the enrollment is enabled and linked to an IoT hub, and that the device reaches the DPS endpoint; then run iotedge config apply (1.2+) or restart the daemon (1.0/1.1).";

        public override string? RemedyCommand => "Test-IoTEdgeConfig";

        public override string HelpUri => "https://learn.microsoft.com/azure/iot-dps/how-to-troubleshoot-dps";

        public override IReadOnlyList<string> Needles => Words;

        protected override Regex Signature => Pattern;
    }
}
