using System;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis.Patterns
{
    /// <summary>
    /// 409002 LinkCreationConflict / 400027: connections of this identity keep taking over from each
    /// other. Two clients share one identity, or the device reconnects before the hub saw the drop.
    /// </summary>
    internal sealed class DuplicateIdentityDetector : IDevicePatternDetector
    {
        public DisconnectPattern Pattern => DisconnectPattern.DuplicateIdentity;

        public IoTHubDisconnectDiagnosis? Detect(DeviceEvidence evidence)
        {
            var conflicts = evidence.Conflicts;
            if (conflicts.Count < DiagnosisThresholds.MinimumConflicts || conflicts.Count < evidence.DropCount) return null;

            // The addresses the competing connections came from: connects and the conflicts they caused.
            var seen = evidence.Addresses;
            seen.Clear();
            foreach (var e in evidence.Entries)
            {
                if (e.Kind == EntryKind.Connect && e.AddressHash != 0) seen.Add(e.AddressHash);
            }

            var intervals = evidence.Scratch;
            intervals.Clear();
            for (int i = 0; i < conflicts.Count; i++)
            {
                if (conflicts[i].AddressHash != 0) seen.Add(conflicts[i].AddressHash);
                if (i > 0) intervals.Add(TimeSpan.FromTicks(conflicts[i].Ticks - conflicts[i - 1].Ticks).TotalMinutes);
            }

            int addresses = seen.Count;
            double? interval = Stats.Median(intervals);

            var d = evidence.NewDiagnosis(Pattern);
            d.FirstSeen = conflicts[0].Time;
            d.LastSeen = conflicts[conflicts.Count - 1].Time;
            d.DisconnectCount = conflicts.Count;
            d.MedianIntervalMinutes = interval.HasValue ? Stats.Round(interval.Value) : (double?)null;
            d.Confidence = addresses >= 2 || conflicts.Count >= 10 ? DiagnosisConfidence.High : DiagnosisConfidence.Medium;
            d.HelpUri = HelpLinks.LinkCreationConflict;
            d.Evidence = $"{conflicts.Count} connections closed by a newer connection of the same identity (409002/400027)"
                + (interval.HasValue ? $", a median {Stats.Duration(TimeSpan.FromMinutes(interval.Value))} apart" : string.Empty)
                + (addresses >= 2 ? $"; connections came from {addresses} different addresses" : string.Empty)
                + $"; {evidence.DropCount} other disconnects.";
            d.Cause = "Connections of this identity keep replacing each other: two clients (two devices, two processes, a test tool) use the same device identity, or the device opens a new connection before the hub has noticed the old one dropped.";
            d.Solution = "Give every client its own device (or module) identity and make sure only one process connects with it; open a new connection only after the old one has dropped. If the conflicts follow other errors of this device, troubleshoot those first.";
            return d;
        }
    }
}
