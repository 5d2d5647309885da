using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis.Patterns
{
    /// <summary>
    /// Whether a device's drops recur at a stable period. Robust to a missing drop (an interval of two
    /// periods, e.g. when a drop fell in a hub-wide incident and was taken out) and to SDK jitter.
    /// </summary>
    internal sealed class Periodicity
    {
        private Periodicity(double periodMinutes, int singles, double onPeriodShare, double spread)
        {
            PeriodMinutes = periodMinutes;
            SinglePeriodIntervals = singles;
            OnPeriodShare = onPeriodShare;
            Spread = spread;
        }

        public double PeriodMinutes { get; }

        /// <summary>Intervals of one period (not two or three).</summary>
        public int SinglePeriodIntervals { get; }

        /// <summary>Share of the intervals that are a whole number of periods.</summary>
        public double OnPeriodShare { get; }

        /// <summary>Median absolute deviation of the single-period intervals, relative to the period.</summary>
        public double Spread { get; }

        public bool IsPeriodic => SinglePeriodIntervals >= 2 && OnPeriodShare >= DiagnosisThresholds.MinimumOnPeriodShare
            && Spread <= DiagnosisThresholds.PeriodTolerance && PeriodMinutes >= 2;

        [MethodImpl(JitHints.AggressiveOptimization)] // runs once over every event: skip the slow first tier
        public static Periodicity? Of(IReadOnlyList<double> intervalsMinutes)
        {
            if (intervalsMinutes.Count < 2) return null;
            var intervals = intervalsMinutes.Count > 500 ? intervalsMinutes.Skip(intervalsMinutes.Count - 500).ToList() : intervalsMinutes;

            // Try each observed interval as the period and keep the one that explains most intervals
            // (ties: the shorter). A doubled interval or one stray drop does not move the period.
            double best = 0;
            int bestCount = -1;
            int bestSingles = -1;
            var singlesOfCandidate = new List<double>();
            // The candidates, rounded to half a minute, in ascending order, each once (no LINQ: this runs per device).
            var candidates = new double[intervals.Count];
            for (int i = 0; i < candidates.Length; i++) candidates[i] = Math.Round(intervals[i] * 2) / 2;
            Array.Sort(candidates);
            for (int c = 0; c < candidates.Length; c++)
            {
                double candidate = candidates[c];
                if (candidate <= 0 || (c > 0 && candidate == candidates[c - 1])) continue;
                singlesOfCandidate.Clear();
                int count = Measure(intervals, candidate, singlesOfCandidate);
                if (count > bestCount || (count == bestCount && singlesOfCandidate.Count > bestSingles))
                {
                    best = candidate;
                    bestCount = count;
                    bestSingles = singlesOfCandidate.Count;
                }
            }

            if (bestCount <= 0) return null;
            var singles = new List<double>();
            Measure(intervals, best, singles);
            double period = Stats.Median(singles) ?? best;
            singles.Clear();
            int onPeriod = Measure(intervals, period, singles);
            double spread = singles.Count == 0 ? 1 : Stats.Median(singles.Select(i => Math.Abs(i - period)))!.Value / period;
            return new Periodicity(period, singles.Count, (double)onPeriod / intervals.Count, spread);
        }

        // How many intervals are one, two or three periods (within a tolerance that grows like the jitter
        // of that many periods); collects the one-period ones.
        [MethodImpl(JitHints.AggressiveOptimization)] // runs once over every event: skip the slow first tier
        private static int Measure(IReadOnlyList<double> intervals, double period, List<double>? singles)
        {
            double tolerance = Math.Max(DiagnosisThresholds.PeriodToleranceMinutes, DiagnosisThresholds.PeriodTolerance * period);
            int onPeriod = 0;
            foreach (var interval in intervals)
            {
                double multiple = Math.Round(interval / period);
                if (multiple < 1 || multiple > 3 || Math.Abs(interval - multiple * period) > tolerance * Math.Sqrt(multiple)) continue;
                onPeriod++;
                if (multiple == 1) singles?.Add(interval);
            }

            return onPeriod;
        }
    }
}
