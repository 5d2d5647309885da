using System;
using System.Linq;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis.Patterns
{
    /// <summary>Connection attempts keep failing with 404001: the identity is not in this hub.</summary>
    internal sealed class DeviceNotFoundDetector : IDevicePatternDetector
    {
        public DisconnectPattern Pattern => DisconnectPattern.DeviceNotFound;

        public IoTHubDisconnectDiagnosis? Detect(DeviceEvidence evidence)
        {
            var failures = evidence.NotFoundFailures;
            if (failures.Count < 2) return null;
            bool recovered = evidence.HasConnectAfter(failures[0].Ticks);

            var d = evidence.NewDiagnosis(Pattern);
            d.FirstSeen = failures[0].Time;
            d.LastSeen = failures[failures.Count - 1].Time;
            d.DisconnectCount = failures.Count;
            var intervals = failures.Zip(failures.Skip(1), (a, b) => TimeSpan.FromTicks(b.Ticks - a.Ticks).TotalMinutes);
            d.MedianIntervalMinutes = Stats.Median(intervals) is double m ? Stats.Round(m) : (double?)null;
            d.Confidence = failures.Count >= 3 && !recovered ? DiagnosisConfidence.High : DiagnosisConfidence.Medium;
            d.HelpUri = HelpLinks.DeviceNotFound;
            d.Evidence = $"{failures.Count} connection attempts refused with 404001 DeviceNotFound between {d.FirstSeen:HH:mm} and {d.LastSeen:HH:mm} UTC"
                + (recovered ? "; some later connects succeeded." : "; no successful connect since.");
            d.Cause = "A client keeps connecting with an identity this hub does not have: the device was deleted (or never registered), its ID is misspelled (IDs are case-sensitive), or it points at the wrong hub.";
            d.Solution = "If the device is retired, switch it off or remove its connection string; otherwise register it in this hub, or correct the device ID and host name it connects with.";
            return d;
        }
    }
}
