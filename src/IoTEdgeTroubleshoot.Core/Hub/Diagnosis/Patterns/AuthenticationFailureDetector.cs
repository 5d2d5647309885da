using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis.Patterns
{
    /// <summary>Connection attempts keep failing with 401003: the device's credentials no longer work.</summary>
    internal sealed class AuthenticationFailureDetector : RepeatedRefusalDetector
    {
        public override DisconnectPattern Pattern => DisconnectPattern.AuthenticationFailure;

        protected override string CodeText => "401003 IoTHubUnauthorized";

        protected override int MinimumRefusals => DiagnosisThresholds.MinimumAuthenticationRefusals;

        protected override string HelpUri => HelpLinks.IoTHubUnauthorized;

        protected override string Cause =>
            "The hub refuses the device's credentials: its key was regenerated or rotated, its SAS token was made with a wrong key, hub or device name, or has expired, its X.509 certificate expired or does not match the registered thumbprint, or its clock is wrong.";

        protected override string Solution =>
            "Compare the device's connection string or certificate with its identity in the hub (keys, thumbprints, expiry), update the device with the current credentials, and check its clock (NTP).";

        protected override List<TimelineEntry> RefusalsOf(DeviceEvidence evidence) => evidence.AuthenticationFailures;

        protected override DiagnosisConfidence ConfidenceOf(int refusals, bool recovered) =>
            recovered ? DiagnosisConfidence.Medium : DiagnosisConfidence.High;
    }
}
