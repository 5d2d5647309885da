using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using IoTEdgeTroubleshoot.LogGenerator;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    public class DeviceKeyTableTests
    {
        [Fact]
        public void TheSameBytes_GiveTheSameString_AndOtherBytesAnother()
        {
            var table = new DeviceKeyTable();
            var ids = new[]
            {
                "meter-000001", "meter-000002", "a", "x", // short: compared within the slot
                "plant-7/line-3/sensor-000000000017-temperature", // longer than the slot's 24 bytes
                "plant-7/line-3/sensor-000000000018-temperature", // differs only after the first 24 bytes
                "plant-7/line-3/sensor-000000000017-temperaturE",
                "gerät-münchen-01", "gerät-münchen-01-with-a-long-tail-past-24", // not ASCII
            };

            var first = ids.Select(id => table.Get(Encoding.UTF8.GetBytes(id), out _, out _)).ToList();
            Assert.Equal(ids, first); // each decoded as it is
            for (int i = 0; i < ids.Length; i++)
            {
                string again = table.Get(Encoding.UTF8.GetBytes(ids[i]), out var slots, out int index);
                Assert.Same(first[i], again); // one string per id
                Assert.NotNull(slots);
                Assert.InRange(index, 0, slots!.Length - 1);
            }

            Assert.Equal(ids.Length, table.Count);
        }

        [Fact]
        public void AskingForASlotEarly_FindsNothing_AndWorksOnAnyHashAndTableSize()
        {
            // The lean scan asks for an id's slot as it meets the id (Prefetch) and looks the id up at the record's end.
            var table = new DeviceKeyTable();
            foreach (int hash in new[] { 1, -1, int.MinValue, int.MaxValue, 12345 }) table.Prefetch(hash); // empty table
            Assert.Equal(0, table.Count);

            var ids = Enumerable.Range(0, 5000).Select(i => "edge-" + i).ToList(); // grows the table several times
            foreach (var id in ids)
            {
                var bytes = Encoding.UTF8.GetBytes(id);
                int hash = DeviceKeyTable.HashOf(bytes);
                table.Prefetch(hash);
                Assert.Equal(id, table.Get(bytes, hash, out var slots, out int index));
                Assert.Equal(id, slots![index].Key);
            }

            foreach (int hash in new[] { 1, -1, int.MinValue, int.MaxValue }) table.Prefetch(hash); // grown table
            Assert.Equal(ids.Count, table.Count);
        }

        [Theory]
        [InlineData("{\\\"deviceId\\\":\\\"meter-1\\\",\\\"protocol\\\":{}}")] // the scan gives up after the id (a nested object)
        [InlineData("{\\\"deviceId\\\":\\\"meter-1\\\",\\\"deviceId\\\":\\\"meter-2\\\"}")] // the id twice: the full parse's to settle
        [InlineData("{\\\"deviceId\\\":\\\"meter-1\\\",\\\"protocol\\\":\\\"Mqtt\\\"")] // the object never closes
        public void ARecordTheLeanScanGivesUpOn_LeavesNoIdInTheTable(string properties)
        {
            // The id is looked up only once the whole properties object has been read: one the scan leaves to the full
            // parse takes no place in the table (and no part of its cap).
            var table = new DeviceKeyTable();
            var scanner = new LeanPropertiesScanner(new Utf8StringCache(), table);
            var e = new IoTHubConnectionEvent();
            Assert.False(scanner.TryScan(Encoding.ASCII.GetBytes(properties), e));
            Assert.Equal(0, table.Count);

            Assert.True(scanner.TryScan(Encoding.ASCII.GetBytes("{\\\"deviceId\\\":\\\"meter-1\\\",\\\"protocol\\\":\\\"Mqtt\\\"}"), e));
            Assert.Equal("meter-1", e.DeviceId);
            Assert.Equal(1, table.Count);
        }

        [Fact]
        public void AnIdTooLongToKeep_IsDecodedEachTime_WithNoSlot()
        {
            var table = new DeviceKeyTable();
            var id = new string('d', DeviceKeyTable.MaxKeptLength + 1);
            string once = table.Get(Encoding.ASCII.GetBytes(id), out var slots, out int index);
            string twice = table.Get(Encoding.ASCII.GetBytes(id), out _, out _);
            Assert.Equal(id, once);
            Assert.Equal(id, twice);
            Assert.NotSame(once, twice);
            Assert.Null(slots);
            Assert.Equal(-1, index);
            Assert.Equal(0, table.Count);
        }

        [Fact]
        public void TimelineNumbers_AreKeptInTheSlot_AndCarriedOverWhenTheTableGrows()
        {
            var table = new DeviceKeyTable();
            var first = Encoding.ASCII.GetBytes("meter-000001");
            table.Get(first, out var slots, out int index);
            Assert.Equal(-1, DeviceKeyTable.TimelineOf(slots!, index)); // none noted yet
            table.SetCurrentTimeline(slots!, index, 0);
            Assert.Equal(0, DeviceKeyTable.TimelineOf(slots!, index)); // 0 is a number, not "none"

            for (int i = 2; i <= 50_000; i++) table.Get(Encoding.ASCII.GetBytes($"meter-{i:D6}"), out _, out _); // grows from 1,024 slots

            table.Get(first, out var grown, out int at);
            Assert.NotSame(slots, grown);
            Assert.Equal(0, DeviceKeyTable.TimelineOf(grown!, at));
            table.Get(Encoding.ASCII.GetBytes("meter-049999"), out var other, out int otherAt);
            Assert.Equal(-1, DeviceKeyTable.TimelineOf(other!, otherAt));
            Assert.Equal(50_000, table.Count);
        }

        [Fact]
        public void ANumberNotedInTheCurrentTable_ReachesTablesGrownSince_AndIsReadFromAnOutgrownSlot()
        {
            // A reader thread may hold a slot of a table another one has since outgrown: a number noted there alone would
            // be lost to the grown table, and the device would get a second timeline.
            var table = new DeviceKeyTable();
            var first = Encoding.ASCII.GetBytes("meter-000001");
            table.Get(first, out var old, out int oldAt);
            for (int i = 2; i <= 5_000; i++) table.Get(Encoding.ASCII.GetBytes($"meter-{i:D6}"), out _, out _); // grows

            Assert.Equal(-1, table.CurrentTimelineOf(old!, oldAt));
            table.SetCurrentTimeline(old!, oldAt, 7);
            table.Get(first, out var current, out int at);
            Assert.NotSame(old, current);
            Assert.Equal(7, DeviceKeyTable.TimelineOf(current!, at)); // in the table as it is now
            Assert.Equal(7, DeviceKeyTable.TimelineOf(old!, oldAt)); // and in the slot given
            Assert.Equal(7, table.CurrentTimelineOf(old!, oldAt));

            for (int i = 5_001; i <= 60_000; i++) table.Get(Encoding.ASCII.GetBytes($"meter-{i:D6}"), out _, out _); // grows again
            table.Get(first, out var later, out int laterAt);
            Assert.NotSame(current, later);
            Assert.Equal(7, DeviceKeyTable.TimelineOf(later!, laterAt));
            table.Get(Encoding.ASCII.GetBytes("meter-000002"), out var otherSlots, out int other);
            Assert.Equal(-1, table.CurrentTimelineOf(otherSlots!, other));
        }

        [Fact]
        public void TwoThreadsMeetingTheSameIds_GetOneStringPerId_WhileTheTableGrows()
        {
            // The reader threads' way: both meet the same devices at the same time, lookups without the lock, adds under it.
            var table = new DeviceKeyTable();
            const int Ids = 200_000;
            var seen = new string[2][];
            Exception? failure = null;
            using var start = new Barrier(2);
            var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
            {
                try
                {
                    var mine = seen[t] = new string[Ids];
                    start.SignalAndWait();
                    for (int n = 0; n < Ids; n++)
                    {
                        int i = t == 0 ? n : Ids - 1 - n; // from both ends: each thread adds half and finds the other half
                        string id = $"device-{i}";
                        string key = table.Get(Encoding.ASCII.GetBytes(id), out var slots, out int index);
                        if (key != id) throw new InvalidOperationException($"{id} came back as {key}");
                        if (!ReferenceEquals(slots![index].Key, key)) throw new InvalidOperationException($"{id}'s slot holds another string");
                        mine[i] = key;
                    }
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            })).ToList();

            threads.ForEach(thread => thread.Start());
            threads.ForEach(thread => thread.Join());
            Assert.Null(failure);
            Assert.Equal(Ids, table.Count);
            int shared = Enumerable.Range(0, Ids).Count(i => ReferenceEquals(seen[0][i], seen[1][i]));
            Assert.Equal(Ids, shared); // never two strings for one id
        }

        [Fact]
        public void AnAnalysisRead_NotesEachDevicesTimeline_UnderTheStringItsTimelineIsKeyedBy()
        {
            // 3,000 devices: the table grows during the read (past 768 ids, and 3,072), on several reader threads.
            using var dir = new TempFolder();
            var options = new GeneratorOptions { Devices = 3000, Hours = 6, Seed = 11 };
            new ConnectionLogWriter(ConnectionLogScenario.Generate(options), options).WriteStorageTree(dir.Path);
            var analyzer = new DisconnectAnalyzer();
            analyzer.ReadFiles(ConnectionLogReader.ExpandPath(dir.Path).ToList(), new ConnectionEventFilter(), new CollectingReporter(), CancellationToken.None);

            var table = analyzer.DeviceKeys!;
            var devices = analyzer.Timelines.Where(t => !t.Key.Contains('/')).ToList(); // modules are keyed "device/module"
            Assert.True(devices.Count >= 2500, $"{devices.Count} devices");
            int noted = 0;
            foreach (var timeline in devices)
            {
                string key = table.Get(Encoding.UTF8.GetBytes(timeline.Key), out var slots, out int index);
                Assert.Same(timeline.Key, key); // the timeline is keyed by the table's one string
                int number = DeviceKeyTable.TimelineOf(slots!, index);
                if (number == -1) continue; // noted in a table that grew after the copy: lost, never wrong
                Assert.Equal(timeline.Number, number);
                noted++;
            }

            Assert.True(noted > devices.Count * 9 / 10, $"{noted} of {devices.Count} noted");
            Assert.True(table.Count >= devices.Count);
            Assert.NotEmpty(analyzer.Analyze());
        }

        [Fact]
        public void PastMaxKeys_AnIdIsDecodedEachTime_AndTheIdsKeptAreStillFound()
        {
            var table = new DeviceKeyTable();
            var bytes = new byte[16];
            for (int i = 0; i < DeviceKeyTable.MaxKeys; i++)
            {
                Encoding.ASCII.GetBytes($"m-{i:D14}", 0, 16, bytes, 0);
                table.Get(bytes, out _, out _);
            }

            Assert.Equal(DeviceKeyTable.MaxKeys, table.Count);
            string over = table.Get("one-more-device"u8, out var none, out int noIndex);
            Assert.Equal("one-more-device", over);
            Assert.Null(none);
            Assert.Equal(-1, noIndex);
            Assert.Equal(DeviceKeyTable.MaxKeys, table.Count);
            string first = table.Get(Encoding.ASCII.GetBytes($"m-{0:D14}"), out var slots, out _);
            Assert.Same(first, table.Get(Encoding.ASCII.GetBytes($"m-{0:D14}"), out _, out _));
            Assert.True(slots!.Length <= 1 << 20, $"{slots.Length} slots");
        }

        [Fact]
        public void TheHashDependsOnEveryByte()
        {
            var a = Encoding.ASCII.GetBytes("meter-000001-abcdefghij");
            for (int i = 0; i < a.Length; i++)
            {
                var b = (byte[])a.Clone();
                b[i] ^= 0x80;
                Assert.NotEqual(DeviceKeyTable.HashOf(a), DeviceKeyTable.HashOf(b));
            }

            Assert.NotEqual(DeviceKeyTable.HashOf(Encoding.ASCII.GetBytes("meter-1")), DeviceKeyTable.HashOf(Encoding.ASCII.GetBytes("meter-1\0")));
        }
    }
}
