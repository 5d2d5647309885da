using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis.Patterns
{
    /// <summary>Connection attempts keep failing with 404001: the identity is not in this hub.</summary>
    internal sealed class DeviceNotFoundDetector : RepeatedRefusalDetector
    {
        public override DisconnectPattern Pattern => DisconnectPattern.DeviceNotFound;

        protected override string CodeText => "404001 DeviceNotFound";

        protected override int MinimumRefusals => DiagnosisThresholds.MinimumNotFoundRefusals;

        protected override string HelpUri => HelpLinks.DeviceNotFound;

        protected override string Cause =>
            "A client keeps connecting with an identity this hub does not have: the device was deleted (or never registered), its ID is misspelled (IDs are case-sensitive), or it points at the wrong hub.";

        protected override string Solution =>
            "If the device is retired, switch it off or remove its connection string; otherwise register it in this hub, or correct the device ID and host name it connects with.";

        protected override List<TimelineEntry> RefusalsOf(DeviceEvidence evidence) => evidence.NotFoundFailures;

        protected override DiagnosisConfidence ConfidenceOf(int refusals, bool recovered) =>
            refusals >= 3 && !recovered ? DiagnosisConfidence.High : DiagnosisConfidence.Medium;
    }
}
