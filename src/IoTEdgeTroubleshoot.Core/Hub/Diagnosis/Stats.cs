using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    /// <summary>
    /// The few statistics the detectors need, as plain loops: they run for every device of a fleet on the
    /// first (and only) analysis of a process, where LINQ and CoreLib's generic sorts over our values would
    /// run unoptimised (they are compiled at run time, in the slow first tier).
    /// </summary>
    internal static class Stats
    {
        // Scratch space of each analysis thread, for the sorts below: they run for every device and
        // diagnosis, and a fresh array each time was most of the analysis's garbage.
        [ThreadStatic]
        private static double[]? _doubles;

        [ThreadStatic]
        private static long[]? _longs;

        /// <summary>
        /// The median of <paramref name="values"/> (left as they are); null for none. The middle value is selected
        /// (<see cref="SelectInPlace"/>), not found by sorting them all: a device's intervals are many, and its median
        /// was the analysis' largest sort. The lower middle of an even count is then the largest value before it.
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs for every device: skip the slow first tier
        public static double? Median(List<double> values)
        {
            int count = values.Count;
            if (count == 0) return null;
            var scratch = Scratch(ref _doubles, count);
            for (int i = 0; i < count; i++) scratch[i] = values[i];
            int mid = count / 2;
            double upper = SelectInPlace(scratch, count, mid);
            if (count % 2 == 1) return upper;
            double lower = scratch[0];
            for (int i = 1; i < mid; i++)
            {
                if (scratch[i].CompareTo(lower) > 0) lower = scratch[i];
            }

            return (lower + upper) / 2;
        }

        /// <summary>
        /// The value that sorting the first <paramref name="count"/> values would put at <paramref name="k"/>, found by
        /// partitioning around a pivot (Hoare's selection, median-of-three pivots): in linear time on average. The
        /// values are reordered so that those before position k are no larger than it and those after no smaller.
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)]
        internal static double SelectInPlace(double[] values, int count, int k)
        {
            int left = 0, right = count - 1;
            while (right - left > InsertionSortMost)
            {
                // The median of the first, middle and last values as the pivot, moved to right - 1.
                int middle = left + (right - left) / 2;
                if (values[middle].CompareTo(values[left]) < 0) Swap(values, middle, left);
                if (values[right].CompareTo(values[left]) < 0) Swap(values, right, left);
                if (values[right].CompareTo(values[middle]) < 0) Swap(values, right, middle);
                Swap(values, middle, right - 1);
                double pivot = values[right - 1];
                int i = left, j = right - 1;
                while (true)
                {
                    while (values[++i].CompareTo(pivot) < 0) { }
                    while (values[--j].CompareTo(pivot) > 0) { }
                    if (i >= j) break;
                    Swap(values, i, j);
                }

                Swap(values, i, right - 1); // the pivot to its place, i
                if (k < i) right = i - 1;
                else if (k > i) left = i + 1;
                else return values[i];
            }

            InsertionSort(values, left, right + 1); // a short stretch left
            return values[k];
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Swap(double[] values, int a, int b) => (values[a], values[b]) = (values[b], values[a]);

        /// <summary>Standard deviation over mean; 0 for fewer than two values.</summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs for every device: skip the slow first tier
        public static double CoefficientOfVariation(List<double> values)
        {
            if (values.Count < 2) return 0;
            double sum = 0;
            for (int i = 0; i < values.Count; i++) sum += values[i];
            double mean = sum / values.Count;
            if (mean <= 0) return 0;
            double squares = 0;
            for (int i = 0; i < values.Count; i++) squares += (values[i] - mean) * (values[i] - mean);
            return Math.Sqrt(squares / (values.Count - 1)) / mean;
        }

        public static double Round(double value, int digits = 1) => Math.Round(value, digits, MidpointRounding.AwayFromZero);

        /// <summary>"45 s", "6.5 min", "2.1 h": a duration the way an admin reads it.</summary>
        public static string Duration(TimeSpan span)
        {
            var (value, unit) = DurationParts(span);
            return $"{value} {unit}";
        }

        /// <summary><see cref="Duration"/> written into <paramref name="text"/>, without a string of its own.</summary>
        public static StringBuilder AppendDuration(StringBuilder text, TimeSpan span)
        {
            var (value, unit) = DurationParts(span);
            return text.Append(value).Append(' ').Append(unit);
        }

        private static (double Value, string Unit) DurationParts(TimeSpan span) =>
            span.TotalSeconds < 90 ? (Round(span.TotalSeconds, 0), "s")
            : span.TotalMinutes < 90 ? (Round(span.TotalMinutes), "min")
            : (Round(span.TotalHours), "h");

        /// <summary>"404104 (22), 401003 (13)": the entries' codes by count, most frequent first.</summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs for every diagnosis: skip the slow first tier
        public static string[] CodeCounts(TimelineEntries entries)
        {
            var codes = Scratch(ref _longs, entries.Count);
            int count = 0;
            foreach (var e in entries)
            {
                if (e.Code != 0) codes[count++] = e.Code;
            }

            return CodeCounts(codes, count);
        }

        /// <summary>"404104 (22), 401003 (13)": codes by count, most frequent first (0, no code, left out).</summary>
        public static string[] CodeCounts(List<int> codes)
        {
            var copy = Scratch(ref _longs, codes.Count);
            int count = 0;
            foreach (int code in codes)
            {
                if (code != 0) copy[count++] = code;
            }

            return CodeCounts(copy, count);
        }

        // Sorts the codes to count each run, then sorts the (count, code) pairs as one number each:
        // the high half is int.MaxValue - count (most frequent first), the low half the code with its sign
        // bit flipped (so that, unsigned, it sorts like the signed code: "other" (-1) first among equals).
        [MethodImpl(JitHints.AggressiveOptimization)] // runs for every diagnosis: skip the slow first tier
        private static string[] CodeCounts(long[] codes, int count)
        {
            if (count == 0) return Array.Empty<string>();
            Sort(codes, count);
            int groups = 0;
            for (int start = 0; start < count;)
            {
                int end = start + 1;
                while (end < count && codes[end] == codes[start]) end++;
                codes[groups++] = ((long)(int.MaxValue - (end - start)) << 32) | (uint)((int)codes[start] ^ int.MinValue);
                start = end;
            }

            Sort(codes, groups);
            var texts = new string[groups];
            for (int i = 0; i < groups; i++)
            {
                int code = (int)((uint)codes[i] ^ 0x80000000u);
                int n = int.MaxValue - (int)(codes[i] >> 32);
                texts[i] = (code < 0 ? "other" : code.ToString("D6", CultureInfo.InvariantCulture)) + " (" + n.ToString(CultureInfo.InvariantCulture) + ")";
            }

            return texts;
        }

        /// <summary>
        /// The thread's scratch array, at least <paramref name="length"/> long (contents undefined). Longer than
        /// <paramref name="keepUpTo"/> (by default one device's events; a hub-wide incident's codes are more), a fresh
        /// array: the threads do not keep such a size for good.
        /// </summary>
        internal static T[] Scratch<T>(ref T[]? scratch, int length, int keepUpTo = DiagnosisThresholds.MaxEventsPerDevice)
        {
            if (length > keepUpTo) return new T[length];
            if (scratch == null || scratch.Length < length) scratch = new T[Math.Max(length, 64)];
            return scratch;
        }

        /// <summary>
        /// Sorts the first <paramref name="count"/> values ascending, in place, with no allocation: by insertion up to
        /// <see cref="InsertionSortMost"/> values (most devices' intervals and codes: a few each, where a heap's sifting
        /// costs more than it saves), by heapsort (n log n) above.
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs for every device: skip the slow first tier
        public static void Sort<T>(T[] values, int count)
            where T : IComparable<T>
        {
            if (count <= InsertionSortMost)
            {
                InsertionSort(values, 0, count);
                return;
            }

            for (int root = count / 2 - 1; root >= 0; root--) SiftDown(values, root, count);
            for (int end = count - 1; end > 0; end--)
            {
                (values[0], values[end]) = (values[end], values[0]);
                SiftDown(values, 0, end);
            }
        }

        internal const int InsertionSortMost = 16;

        /// <summary>Sorts <paramref name="values"/>[<paramref name="start"/>, <paramref name="end"/>) by insertion: for the few values the sorts above leave to it.</summary>
        [MethodImpl(JitHints.AggressiveOptimization)]
        private static void InsertionSort<T>(T[] values, int start, int end)
            where T : IComparable<T>
        {
            for (int i = start + 1; i < end; i++)
            {
                var item = values[i];
                int j = i - 1;
                for (; j >= start && values[j].CompareTo(item) > 0; j--) values[j + 1] = values[j];
                values[j + 1] = item;
            }
        }

        [ThreadStatic]
        private static int[]? _runEnds;

        /// <summary>
        /// Sorts <paramref name="values"/>[<paramref name="start"/>, start + <paramref name="count"/>) ascending by
        /// merging the ascending runs it already holds, pairwise, through <paramref name="scratch"/> (at least
        /// <paramref name="count"/> long): a device's events come as a few runs in time order (each reader thread's
        /// share of its files, and what the timeline held before), so one pass finds them and a pass per halving
        /// of their number merges them; a stretch already in order costs the one pass. Up to
        /// <see cref="InsertionSortMost"/> values are sorted by insertion.
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs for every device: skip the slow first tier
        public static void SortRuns<T>(T[] values, int start, int count, T[] scratch)
            where T : IComparable<T>
        {
            if (count <= InsertionSortMost)
            {
                InsertionSort(values, start, start + count);
                return;
            }

            // ends[r]: where run r ends, counted from start. Kept by the thread up to the size DeviceTimeline keeps its
            // sort scratch at; a longer stretch (a device with many events in one read) gets ends of its own.
            var ends = Scratch(ref _runEnds, count, keepUpTo: 4 * DiagnosisThresholds.MaxEventsPerDevice);
            int runs = 0;
            for (int i = 1; i < count; i++)
            {
                if (values[start + i].CompareTo(values[start + i - 1]) < 0) ends[runs++] = i;
            }

            ends[runs++] = count;
            T[] from = values, to = scratch;
            int fromStart = start, toStart = 0;
            while (runs > 1)
            {
                // Runs 0 and 1 become one, 2 and 3 another, ...; an odd last run is copied over as it is.
                int merged = 0;
                int runStart = 0;
                for (int r = 0; r < runs; r += 2)
                {
                    int middle = ends[r];
                    int end = r + 1 < runs ? ends[r + 1] : middle;
                    int left = runStart, right = middle, write = runStart;
                    while (left < middle && right < end)
                    {
                        // The left run's first on ties: equal values stay in the order they came.
                        to[toStart + write++] = from[fromStart + right].CompareTo(from[fromStart + left]) < 0 ? from[fromStart + right++] : from[fromStart + left++];
                    }

                    if (left < middle) Array.Copy(from, fromStart + left, to, toStart + write, middle - left);
                    else if (right < end) Array.Copy(from, fromStart + right, to, toStart + write, end - right);
                    ends[merged++] = end;
                    runStart = end;
                }

                runs = merged;
                (from, to) = (to, from);
                (fromStart, toStart) = (toStart, fromStart);
            }

            if (!ReferenceEquals(from, values)) Array.Copy(from, fromStart, values, start, count);
        }

        [MethodImpl(JitHints.AggressiveOptimization)]
        private static void SiftDown<T>(T[] values, int root, int count)
            where T : IComparable<T>
        {
            var item = values[root];
            while (true)
            {
                int child = 2 * root + 1;
                if (child >= count) break;
                if (child + 1 < count && values[child + 1].CompareTo(values[child]) > 0) child++;
                if (values[child].CompareTo(item) <= 0) break;
                values[root] = values[child];
                root = child;
            }

            values[root] = item;
        }
    }
}
