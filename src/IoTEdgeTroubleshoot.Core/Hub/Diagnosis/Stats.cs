using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    internal static class Stats
    {
        public static double? Median(IEnumerable<double> values)
        {
            var sorted = values.ToArray();
            Array.Sort(sorted);
            if (sorted.Length == 0) return null;
            int mid = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }

        /// <summary>Standard deviation over mean; 0 for fewer than two values.</summary>
        public static double CoefficientOfVariation(IReadOnlyList<double> values)
        {
            if (values.Count < 2) return 0;
            double mean = values.Average();
            if (mean <= 0) return 0;
            double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
            return Math.Sqrt(variance) / mean;
        }

        public static double Round(double value, int digits = 1) => Math.Round(value, digits, MidpointRounding.AwayFromZero);

        /// <summary>"45 s", "6.5 min", "2.1 h": a duration the way an admin reads it.</summary>
        public static string Duration(TimeSpan span)
        {
            if (span.TotalSeconds < 90) return $"{Round(span.TotalSeconds, 0)} s";
            if (span.TotalMinutes < 90) return $"{Round(span.TotalMinutes)} min";
            return $"{Round(span.TotalHours)} h";
        }

        /// <summary>"404104 (22), 401003 (13)": codes by count, most frequent first.</summary>
        public static string[] CodeCounts(IEnumerable<int> codes) =>
            codes.Where(c => c != 0)
                .GroupBy(c => c)
                .OrderByDescending(g => g.Count())
                .ThenBy(g => g.Key)
                .Select(g => $"{(g.Key < 0 ? "other" : g.Key.ToString("D6", System.Globalization.CultureInfo.InvariantCulture))} ({g.Count()})")
                .ToArray();
    }
}
