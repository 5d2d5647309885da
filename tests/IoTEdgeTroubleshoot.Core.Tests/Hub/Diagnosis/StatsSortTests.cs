using System;
using System.Linq;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub.Diagnosis
{
    /// <summary>The analysis' own sorts (insertion for a few values, heapsort or merging runs above) order as the framework's does.</summary>
    public class StatsSortTests
    {
        [Fact]
        public void EveryLength_AroundTheSwitchFromInsertionToHeapsort_SortsLikeArraySort()
        {
            var random = new Random(3);
            for (int count = 0; count <= 3 * Stats.InsertionSortMost; count++)
            {
                for (int round = 0; round < 20; round++)
                {
                    // Few distinct values: duplicates, and runs already in order or reversed.
                    var values = Enumerable.Range(0, count + 5).Select(_ => (double)random.Next(-4, 5)).ToArray();
                    if (round % 3 == 1) Array.Sort(values, 0, count);
                    if (round % 3 == 2) Array.Reverse(values, 0, count);
                    var expected = values.Take(count).OrderBy(v => v).Concat(values.Skip(count)).ToArray();

                    Stats.Sort(values, count);

                    Assert.Equal(expected, values); // the first count sorted, the rest untouched
                }
            }
        }

        [Fact]
        public void TimelineEntries_SortByTimeKindCodeAndAddress()
        {
            var t0 = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero).UtcTicks;
            var random = new Random(5);
            for (int count = 1; count <= 40; count++)
            {
                var entries = Enumerable.Range(0, count)
                    .Select(_ => new TimelineEntry(t0 + random.Next(0, 4), (EntryKind)random.Next(0, 4), random.Next(0, 2) * 404104, (ulong)random.Next(0, 3)))
                    .ToArray();
                var expected = entries.OrderBy(e => e.Ticks).ThenBy(e => e.Kind).ThenBy(e => e.Code).ThenBy(e => e.AddressHash).ToArray();

                var merged = entries.ToArray(); // the sort a timeline runs (SortRuns), held to the same order
                Stats.Sort(entries, count);
                Stats.SortRuns(merged, 0, count, new TimelineEntry[count]);

                Assert.Equal(expected.Select(e => (e.Ticks, e.Kind, e.Code, e.AddressHash)), entries.Select(e => (e.Ticks, e.Kind, e.Code, e.AddressHash)));
                Assert.Equal(expected.Select(e => (e.Ticks, e.Kind, e.Code, e.AddressHash)), merged.Select(e => (e.Ticks, e.Kind, e.Code, e.AddressHash)));
            }
        }

        [Fact]
        public void SortRuns_OfEveryShape_SortsItsStretchLikeArraySort_AndLeavesTheRestAlone()
        {
            // Runs in order (one, two, many: a device's events from each reader thread), random, reversed, and duplicates,
            // in a stretch that starts inside the array, as a timeline's does in a batch's array.
            var random = new Random(11);
            var scratch = new long[0];
            for (int count = 0; count <= 300; count += count < 40 ? 1 : 37)
            {
                for (int round = 0; round < 24; round++)
                {
                    int before = random.Next(0, 5), after = random.Next(0, 5);
                    var values = Enumerable.Range(0, before + count + after).Select(_ => (long)random.Next(-50, 50)).ToArray();
                    int runs = 1 + round % 8;
                    if (round % 8 != 7)
                    {
                        // runs ascending stretches of random lengths
                        var cuts = Enumerable.Range(0, runs - 1).Select(_ => random.Next(0, count + 1)).Append(0).Append(count).OrderBy(c => c).ToArray();
                        for (int r = 0; r + 1 < cuts.Length; r++) Array.Sort(values, before + cuts[r], cuts[r + 1] - cuts[r]);
                    }

                    if (round % 12 == 5) Array.Reverse(values, before, count);
                    var expected = values.Take(before).Concat(values.Skip(before).Take(count).OrderBy(v => v)).Concat(values.Skip(before + count)).ToArray();
                    if (scratch.Length < count) scratch = new long[count];

                    Stats.SortRuns(values, before, count, scratch);

                    Assert.Equal(expected, values);
                }
            }
        }

        [Fact]
        public void Median_AndSelectInPlace_AgreeWithSorting_ForEveryCountAndPosition()
        {
            // Random, sorted, reversed, all equal and few distinct values (duplicates around the pivot).
            var random = new Random(17);
            for (int count = 1; count <= 120; count++)
            {
                for (int round = 0; round < 10; round++)
                {
                    var values = Enumerable.Range(0, count).Select(_ => round % 5 == 3 ? 7.0 : round % 5 == 4 ? random.Next(0, 3) : random.NextDouble() * 1000).ToList();
                    if (round % 5 == 1) values.Sort();
                    if (round % 5 == 2) values.Sort((a, b) => b.CompareTo(a));
                    var sorted = values.OrderBy(v => v).ToArray();
                    double expected = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
                    var before = values.ToList();

                    Assert.Equal(expected, Stats.Median(values));
                    Assert.Equal(before, values); // left as they are

                    int k = random.Next(count);
                    var scratch = values.ToArray();
                    Assert.Equal(sorted[k], Stats.SelectInPlace(scratch, count, k));
                    Assert.All(scratch.Take(k), v => Assert.True(v <= sorted[k]));
                    Assert.All(scratch.Skip(k + 1), v => Assert.True(v >= sorted[k]));
                }
            }

            Assert.Null(Stats.Median(new System.Collections.Generic.List<double>()));
        }

        [Fact]
        public void SortRuns_OfAVeryLongStretch_LeavesTheThreadNoScratchThatLong()
        {
            // A device with a million events in one read: its run ends (one per value when the stretch is reversed) are
            // scratch of the analysis thread, which the thread must not keep for good (Stats.Scratch's rule), or every
            // pool thread that sorted such a device would hold megabytes for the rest of the session.
            var values = Enumerable.Range(0, 1_000_000).Select(i => (long)-i).ToArray();
            Stats.SortRuns(values, 0, values.Length, new long[values.Length]);

            Assert.Equal(Enumerable.Range(0, values.Length).Select(i => (long)i - (values.Length - 1)), values);
            var kept = (int[]?)typeof(Stats).GetField("_runEnds", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetValue(null);
            Assert.True(kept == null || kept.Length <= 4 * DiagnosisThresholds.MaxEventsPerDevice, $"the thread keeps {kept?.Length} run ends");
        }
    }
}
