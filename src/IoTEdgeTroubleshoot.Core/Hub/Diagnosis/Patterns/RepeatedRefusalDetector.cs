using System;
using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis.Patterns
{
    /// <summary>
    /// What the refusal patterns share: connection attempts the hub keeps refusing with one code.
    /// A subclass says which refusals, how many make a pattern, and why and what to do.
    /// </summary>
    internal abstract class RepeatedRefusalDetector : IDevicePatternDetector
    {
        public abstract DisconnectPattern Pattern { get; }

        protected abstract string CodeText { get; }

        protected abstract int MinimumRefusals { get; }

        protected abstract string HelpUri { get; }

        protected abstract string Cause { get; }

        protected abstract string Solution { get; }

        protected abstract List<TimelineEntry> RefusalsOf(DeviceEvidence evidence);

        protected abstract DiagnosisConfidence ConfidenceOf(int refusals, bool recovered);

        public IoTHubDisconnectDiagnosis? Detect(DeviceEvidence evidence)
        {
            // A refusal that a successful connect follows within about a minute is a token renewal (or a
            // passing hiccup), not failing credentials or a missing identity: such a device is Periodic, not this.
            var candidates = RefusalsOf(evidence);
            if (candidates.Count < MinimumRefusals) return null; // most devices: nothing to look at, nothing to allocate
            var refusals = new List<TimelineEntry>(candidates.Count);
            foreach (var refusal in candidates)
            {
                if (!evidence.IsFollowedByQuickConnect(refusal.Ticks)) refusals.Add(refusal);
            }

            if (refusals.Count < MinimumRefusals) return null;
            bool recovered = evidence.HasConnectAfter(refusals[0].Ticks);

            var d = evidence.NewDiagnosis(Pattern);
            d.FirstSeen = refusals[0].Time;
            d.LastSeen = refusals[refusals.Count - 1].Time;
            d.DisconnectCount = refusals.Count;
            var intervals = new List<double>(refusals.Count);
            for (int i = 1; i < refusals.Count; i++) intervals.Add(TimeSpan.FromTicks(refusals[i].Ticks - refusals[i - 1].Ticks).TotalMinutes);
            d.MedianIntervalMinutes = Stats.Median(intervals) is double m ? Stats.Round(m) : (double?)null;
            d.Confidence = ConfidenceOf(refusals.Count, recovered);
            d.HelpUri = HelpUri;
            d.Evidence = $"{refusals.Count} connection attempts refused with {CodeText} between {d.FirstSeen:HH:mm} and {d.LastSeen:HH:mm} UTC"
                + (recovered ? "; some later connects succeeded." : "; no successful connect since the first refusal.");
            d.Cause = Cause;
            d.Solution = Solution;
            return d;
        }
    }
}
