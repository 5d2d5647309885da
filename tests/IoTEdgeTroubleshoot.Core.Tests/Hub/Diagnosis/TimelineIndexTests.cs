using System;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub.Diagnosis
{
    public class TimelineIndexTests
    {
        [Fact]
        public void KeysAreNumberedInTheOrderAdded_AndFoundByTheirText()
        {
            var index = new TimelineIndex();
            var keys = Enumerable.Range(0, 50_000).Select(i => i % 3 == 0 ? $"edge-{i}/$edgeHub" : $"meter-{i:D6}").ToList();
            foreach (var key in keys) Assert.Equal(index.Count, index.Add(key).Number);

            Assert.Equal(keys.Count, index.Count);
            for (int i = 0; i < keys.Count; i++)
            {
                Assert.Equal(i, index.NumberOf(new string(keys[i].ToCharArray()))); // an equal string, not the same one
                Assert.True(index.TryGetValue(keys[i], out var timeline));
                Assert.Same(index[i], timeline);
                Assert.Equal(keys[i], timeline.Key);
            }

            Assert.Equal(-1, index.NumberOf("meter-999999"));
            Assert.Equal(-1, index.NumberOf("METER-000001")); // ordinal: case counts
            Assert.Equal(-1, index.NumberOf(string.Empty));
            Assert.Equal(keys, index.Select(t => t.Key)); // enumerated by number
        }

        [Fact]
        public void TimelinesAddedUnindexed_AreNumberedInTurn_AndFoundByKeyOnceALookupUnderTheLockIndexesThem()
        {
            var index = new TimelineIndex();
            index.Add("by-key-0");
            var unindexed = Enumerable.Range(1, 3_000).Select(i => index.AddUnindexed($"read-{i}")).ToList();
            Assert.Equal(Enumerable.Range(1, 3_000), unindexed.Select(t => t.Number));
            Assert.Equal(-1, index.NumberOf("read-1")); // a lookup without the lock does not see them yet
            Assert.Equal(0, index.NumberOf("by-key-0"));

            Assert.Equal(1_500, index.NumberOfIndexingAll("read-1500"));
            Assert.Equal(3_000, index.NumberOf("read-3000")); // all of them indexed now, in the grown slots
            var byKey = index.Add("by-key-3001");
            Assert.Equal(3_001, byKey.Number);
            index.AddUnindexed("read-3002");
            Assert.True(index.TryGetValue("read-3002", out var found));
            Assert.Equal(3_002, found.Number);
            Assert.Equal(3_003, index.Count);
            Assert.Equal(Enumerable.Range(0, 3_003), index.Select(t => t.Number));
        }

        [Fact]
        public void KeysAddedByKey_AreCountedForDevicesAndForModulesApart()
        {
            var index = new TimelineIndex();
            index.AddUnindexed("read-1");
            Assert.Equal(0, index.DeviceKeysAdded);
            index.Add("edge-1/$edgeHub", isModuleKey: true);
            Assert.Equal((0, 1), (index.DeviceKeysAdded, index.ModuleKeysAdded));
            index.Add("piped-1");
            index.AddUnindexed("read-2");
            index.Add("summary-1");
            index.RemoveLast(); // may only overstate: a lookup more, never a timeline twice
            Assert.Equal((2, 1), (index.DeviceKeysAdded, index.ModuleKeysAdded));
            Assert.Equal(-1, index.NumberOfIndexingAll("summary-1"));
            Assert.Equal(3, index.NumberOfIndexingAll("read-2"));
        }

        [Fact]
        public void IdsThatDifferOnlyInTheTopBitsOfNeighbouringWords_DoNotCollide()
        {
            // A multiplication passes a change of a word's top bit (bit 15 of every fourth character) through as it is,
            // and the same change in the next word undid it: such pairs collided whatever the seed. Each step now folds
            // the bits first. (Two different ids may still meet by chance: one in four billion.)
            var pairs = new[]
            {
                ("devAdevB", "dev\u8041dev\u8042"),
                ("meter-000001-a", "met\u8065r-0\u8030001-a"),
                ("abcdefghijklmnop", "abc\u8064efg\u8068ijk\u806cmno\u8070"),
            };
            foreach (var (id, twin) in pairs) Assert.NotEqual(TimelineIndex.HashOf(id), TimelineIndex.HashOf(twin));
        }

        [Fact]
        public void RemovingTheLastAdded_LeavesEveryOtherKeyFindable()
        {
            // Rows of slots shift back over the gap: whatever the hashes, every key left must still be found. (The seed
            // differs from run to run, and so do the rows; 3,000 keys in at most 4,096 slots make long ones, some of
            // them wrapping past the table's end.)
            var index = new TimelineIndex();
            for (int i = 0; i < 3_000; i++)
            {
                index.Add($"device-{i}");
                if (i % 3 == 2)
                {
                    index.RemoveLast();
                    Assert.Equal(-1, index.NumberOf($"device-{i}"));
                }
            }

            var left = Enumerable.Range(0, 3_000).Where(i => i % 3 != 2).ToList();
            Assert.Equal(left.Count, index.Count);
            for (int n = 0; n < left.Count; n++) Assert.Equal(n, index.NumberOf($"device-{left[n]}"));
            var again = index.Add("device-again"); // numbered after the ones left, where the removed ones were
            Assert.Equal(left.Count, again.Number);
            Assert.Equal(left.Count, index.NumberOf("device-again"));
        }

        [Fact]
        public void LookupsWithoutTheLock_WhileAnotherThreadAdds_FindWhatWasAdded_AndNeverAWrongNumber()
        {
            // The reader threads' way: one thread adds (the analyzer's lock), another looks up at the same time, the
            // table growing underneath it from 16 slots to 524,288.
            var index = new TimelineIndex();
            const int Keys = 300_000;
            int published = 0; // keys the adding thread has finished with
            int lookupsWhileAdding = 0;
            Exception? failure = null;
            using var start = new Barrier(2); // both at once: the lookups overlap the adds
            var adder = new Thread(() =>
            {
                start.SignalAndWait();
                for (int i = 0; i < Keys; i++)
                {
                    index.Add("device-" + i);
                    Volatile.Write(ref published, i + 1);
                    if (i % 10_000 == 0) AwaitLookups(); // the lookups overlap the adds even where a loaded machine runs one thread at a time
                }
            });

            // Waits for the looking thread to make one lookup more (10 s at most: a failed looker has stopped).
            void AwaitLookups()
            {
                int before = Volatile.Read(ref lookupsWhileAdding);
                var waited = System.Diagnostics.Stopwatch.StartNew();
                while (Volatile.Read(ref lookupsWhileAdding) == before && Volatile.Read(ref failure) == null && waited.Elapsed < TimeSpan.FromSeconds(10)) Thread.Yield();
            }

            var looker = new Thread(() =>
            {
                try
                {
                    start.SignalAndWait();
                    var random = new Random(5);
                    int found = 0;
                    while (Volatile.Read(ref published) < Keys || found < 1000)
                    {
                        int known = Volatile.Read(ref published);
                        if (known < Keys) Interlocked.Increment(ref lookupsWhileAdding);
                        if (known > 0)
                        {
                            int i = random.Next(known); // added before this lookup began: must be found, with its number
                            if (index.NumberOf("device-" + i) != i) throw new InvalidOperationException($"device-{i} not found as {i}");
                            found++;
                        }

                        int later = known + random.Next(1000); // maybe being added: found with its number, or not at all
                        int number = index.NumberOf("device-" + later);
                        if (number != -1 && number != later) throw new InvalidOperationException($"device-{later} found as {number}");
                    }
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            });

            adder.Start();
            looker.Start();
            adder.Join();
            looker.Join();
            Assert.Null(failure);
            Assert.Equal(Keys, index.Count);
            Assert.True(lookupsWhileAdding >= Keys / 10_000, $"{lookupsWhileAdding} lookups while the other thread added");
        }
    }
}
