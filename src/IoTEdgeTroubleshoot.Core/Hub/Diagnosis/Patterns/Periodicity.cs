using System;
using System.Collections.Generic;
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

        // The candidate periods and single-period intervals of the device being looked at, per analysis thread (see Stats).
        [ThreadStatic]
        private static double[]? _candidates;

        [ThreadStatic]
        private static List<double>? _singles;

        /// <summary>The periodicity of the newest 500 of <paramref name="intervalsMinutes"/>; null for fewer than two.</summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs for every device with drops: skip the slow first tier
        public static Periodicity? Of(List<double> intervalsMinutes)
        {
            if (intervalsMinutes.Count < 2) return null;
            int first = Math.Max(0, intervalsMinutes.Count - 500);
            int count = intervalsMinutes.Count - first;

            // Try each observed interval as the period and keep the one that explains most intervals
            // (ties: the shorter). A doubled interval or one stray drop does not move the period.
            double best = 0;
            int bestCount = -1;
            int bestSingles = -1;
            var singles = _singles ??= new List<double>();
            singles.Clear();
            // The candidates, rounded to half a minute, in ascending order, each once.
            var candidates = Stats.Scratch(ref _candidates, count);
            for (int i = 0; i < count; i++) candidates[i] = Math.Round(intervalsMinutes[first + i] * 2) / 2;
            Stats.Sort(candidates, count);
            for (int c = 0; c < count; c++)
            {
                double candidate = candidates[c];
                if (candidate <= 0 || (c > 0 && candidate == candidates[c - 1])) continue;
                singles.Clear();
                int onCandidate = Measure(intervalsMinutes, first, candidate, singles);
                if (onCandidate > bestCount || (onCandidate == bestCount && singles.Count > bestSingles))
                {
                    best = candidate;
                    bestCount = onCandidate;
                    bestSingles = singles.Count;
                }
            }

            if (bestCount <= 0) return null;
            singles.Clear();
            Measure(intervalsMinutes, first, best, singles);
            double period = Stats.Median(singles) ?? best;
            singles.Clear();
            int onPeriod = Measure(intervalsMinutes, first, period, singles);
            if (singles.Count == 0) return new Periodicity(period, 0, (double)onPeriod / count, 1);

            // The spread: the median distance of the single-period intervals from the period.
            for (int i = 0; i < singles.Count; i++) singles[i] = Math.Abs(singles[i] - period);
            return new Periodicity(period, singles.Count, (double)onPeriod / count, Stats.Median(singles)!.Value / period);
        }

        // How many intervals (from index first on) are one, two or three periods (within a tolerance that
        // grows like the jitter of that many periods); collects the one-period ones.
        [MethodImpl(JitHints.AggressiveOptimization)] // runs once over every event: skip the slow first tier
        private static int Measure(List<double> intervals, int first, double period, List<double> singles)
        {
            double tolerance = Math.Max(DiagnosisThresholds.PeriodToleranceMinutes, DiagnosisThresholds.PeriodTolerance * period);
            int onPeriod = 0;
            for (int i = first; i < intervals.Count; i++)
            {
                double interval = intervals[i];
                double multiple = Math.Round(interval / period);
                if (multiple < 1 || multiple > 3 || Math.Abs(interval - multiple * period) > tolerance * Math.Sqrt(multiple)) continue;
                onPeriod++;
                if (multiple == 1) singles.Add(interval);
            }

            return onPeriod;
        }
    }
}
