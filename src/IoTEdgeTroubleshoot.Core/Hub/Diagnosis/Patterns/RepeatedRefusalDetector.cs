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
            // The refusals left: how many, the first and last, and the minutes between them.
            int refusals = 0;
            long first = 0, last = 0;
            var intervals = evidence.Scratch;
            intervals.Clear();
            foreach (var refusal in candidates)
            {
                if (evidence.IsFollowedByQuickConnect(refusal.Ticks)) continue;
                if (refusals++ == 0) first = refusal.Ticks;
                else intervals.Add(TimeSpan.FromTicks(refusal.Ticks - last).TotalMinutes);
                last = refusal.Ticks;
            }

            if (refusals < MinimumRefusals) return null;
            bool recovered = evidence.HasConnectAfter(first);

            var d = evidence.NewDiagnosis(Pattern);
            d.FirstSeen = new DateTimeOffset(first, TimeSpan.Zero);
            d.LastSeen = new DateTimeOffset(last, TimeSpan.Zero);
            d.DisconnectCount = refusals;
            d.MedianIntervalMinutes = Stats.Median(intervals) is double m ? Stats.Round(m) : (double?)null;
            d.Confidence = ConfidenceOf(refusals, recovered);
            d.HelpUri = HelpUri;
            d.Evidence = $"{refusals} connection attempts refused with {CodeText} between {d.FirstSeen:HH:mm} and {d.LastSeen:HH:mm} UTC"
                + (recovered ? "; some later connects succeeded." : "; no successful connect since the first refusal.");
            d.Cause = Cause;
            d.Solution = Solution;
            return d;
        }
    }
}
