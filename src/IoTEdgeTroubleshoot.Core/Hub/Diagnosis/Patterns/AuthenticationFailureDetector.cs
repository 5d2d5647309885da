using System;
using System.Linq;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis.Patterns
{
    /// <summary>Connection attempts keep failing with 401003: the device's credentials no longer work.</summary>
    internal sealed class AuthenticationFailureDetector : IDevicePatternDetector
    {
        public DisconnectPattern Pattern => DisconnectPattern.AuthenticationFailure;

        public IoTHubDisconnectDiagnosis? Detect(DeviceEvidence evidence)
        {
            var failures = evidence.AuthenticationFailures;
            if (failures.Count < 3) return null;
            bool recovered = evidence.HasConnectAfter(failures[0].Ticks);

            var d = evidence.NewDiagnosis(Pattern);
            d.FirstSeen = failures[0].Time;
            d.LastSeen = failures[failures.Count - 1].Time;
            d.DisconnectCount = failures.Count;
            var intervals = failures.Zip(failures.Skip(1), (a, b) => TimeSpan.FromTicks(b.Ticks - a.Ticks).TotalMinutes);
            d.MedianIntervalMinutes = Stats.Median(intervals) is double m ? Stats.Round(m) : (double?)null;
            d.Confidence = recovered ? DiagnosisConfidence.Medium : DiagnosisConfidence.High;
            d.HelpUri = HelpLinks.IoTHubUnauthorized;
            d.Evidence = $"{failures.Count} connection attempts refused with 401003 IoTHubUnauthorized between {d.FirstSeen:HH:mm} and {d.LastSeen:HH:mm} UTC"
                + (recovered ? "; some later connects succeeded." : "; no successful connect since the first refusal.");
            d.Cause = "The hub refuses the device's credentials: its key was regenerated or rotated, its SAS token was made with a wrong key, hub or device name, or has expired, its X.509 certificate expired or does not match the registered thumbprint, or its clock is wrong.";
            d.Solution = "Compare the device's connection string or certificate with its identity in the hub (keys, thumbprints, expiry), update the device with the current credentials, and check its clock (NTP).";
            return d;
        }
    }
}
