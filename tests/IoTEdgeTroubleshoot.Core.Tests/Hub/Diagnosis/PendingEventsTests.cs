using System;
using System.Collections.Generic;
using System.Linq;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub.Diagnosis
{
    /// <summary>
    /// The analyzer batches events and hands them to their devices grouped (PendingEvents), and skips its lookup when
    /// the reader's string cache remembers a device's number: neither may change what a device's timeline holds.
    /// </summary>
    public class PendingEventsTests
    {
        private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

        private static IoTHubConnectionEvent Event(string device, int minute, bool connect, string? module = null, string? protocol = "Mqtt", string address = "10.0.0.XXX") => new IoTHubConnectionEvent
        {
            DeviceId = device, ModuleId = module, Category = "Connections", TimeGenerated = T0.AddMinutes(minute),
            OperationName = connect ? "deviceConnect" : "deviceDisconnect", Level = connect ? "Information" : "Error",
            ResultType = connect ? string.Empty : "404104", Protocol = protocol, MaskedIpAddress = address,
        };

        // 40 identities (some with a module), events interleaved and out of order, protocols changing over time.
        private static List<IoTHubConnectionEvent> Interleaved()
        {
            var events = new List<IoTHubConnectionEvent>();
            var random = new Random(7);
            for (int round = 0; round < 30; round++)
            {
                for (int d = 0; d < 40; d++)
                {
                    int minute = round * 10 + random.Next(0, 15); // overlapping rounds: not in time order
                    events.Add(Event("dev-" + d, minute, connect: round % 2 == 0, module: d % 5 == 0 ? "edgeHub" : null,
                        protocol: round < 15 ? "Amqp" : "Mqtt", address: $"10.0.{(round + d) % 4}.XXX"));
                }
            }

            return events;
        }

        private static string Describe(DisconnectAnalyzer analyzer, IEnumerable<string> keys) =>
            string.Join("\n", keys.Select(k => k + ": " + string.Join(",", analyzer.EntriesOf(k).Select(e => $"{e.Ticks}/{e.Kind}/{e.Code}/{e.AddressHash}"))));

        private static string Verdicts(DisconnectAnalyzer analyzer) =>
            string.Join("\n", analyzer.Analyze().Select(d => $"{d.Pattern}|{d.DeviceId}|{d.Confidence}|{d.Evidence}"));

        [Fact]
        public void ABatchOnTopOfAFullBuffersHandOver_KeepsTheNewestEvents_AndNeverOverrunsTheTimeline()
        {
            // From the review: a timeline holding 2 x MaxEntries' room after a hand-over, then more than MaxEntries
            // events of the same device in the batch read last, overran its array.
            int max = DeviceTimeline.MaxEntries;
            var analyzer = new DisconnectAnalyzer(() => T0.AddDays(30)) { PendingCapacity = 3 * max };
            for (int i = 0; i < 3 * max; i++) analyzer.Add(Event("dev", i, connect: i % 2 == 0)); // full: handed over
            for (int i = 3 * max; i <= 4 * max; i++) analyzer.Add(Event("dev", i, connect: i % 2 == 0)); // waiting

            var entries = analyzer.EntriesOf("dev");
            Assert.Equal(max, entries.Count);
            Assert.Equal(4 * max, (int)(entries[entries.Count - 1].Time - T0).TotalMinutes);
            Assert.Equal(3 * max + 1, (int)(entries[0].Time - T0).TotalMinutes);
        }

        [Fact]
        public void EveryBatchRead_LeavesNoEarlierBatchArrayBehind()
        {
            // A batch's events go into one array that its devices share; before the next batch they move to their own
            // arrays, so that a device seen only early (a file read early) does not keep that whole array alive.
            var analyzer = new DisconnectAnalyzer(() => T0.AddDays(30));
            for (int i = 0; i < 100; i++) analyzer.Add(Event("early-" + i, i, connect: true));
            Assert.Single(analyzer.EntriesOf("early-0")); // the first batch shared out
            var items = typeof(DeviceTimeline).GetField("_items", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
            var firstBatch = (TimelineEntry[])items.GetValue(analyzer.TimelineOf("early-0")!)!;
            Assert.Equal(100, firstBatch.Length);

            analyzer.Add(Event("late", 200, connect: true));
            Assert.Single(analyzer.EntriesOf("late")); // the second batch
            Assert.All(Enumerable.Range(0, 100), i => Assert.NotSame(firstBatch, items.GetValue(analyzer.TimelineOf("early-" + i)!)));
            Assert.All(Enumerable.Range(0, 100), i => Assert.Single(analyzer.EntriesOf("early-" + i)));
        }

        [Theory]
        [InlineData(1)] // every event handed over on its own, into the timeline's own array
        [InlineData(1000)] // all in one batch, put into one array when the entries are read
        public void EventsAtTheSameInstant_GiveTheSameTimeline_InWhateverOrderTheyCame(int capacity)
        {
            // The reader threads hand over in turns, so a device's events at one instant may come in either order: a
            // connect and a disconnect at the same tick, and one record logged twice from two addresses.
            var events = new List<IoTHubConnectionEvent>
            {
                Event("dev", 5, connect: true, address: "10.0.0.XXX"),
                Event("dev", 5, connect: false, address: "10.0.1.XXX"),
                Event("dev", 7, connect: false, address: "10.0.2.XXX"),
                Event("dev", 7, connect: false, address: "10.0.3.XXX"),
                Event("dev", 6, connect: true, address: "10.0.4.XXX"),
            };

            var timelines = new HashSet<string>();
            for (int rotation = 0; rotation < events.Count; rotation++)
            {
                foreach (var order in new[] { events.Skip(rotation).Concat(events.Take(rotation)), events.Skip(rotation).Concat(events.Take(rotation)).Reverse() })
                {
                    var analyzer = new DisconnectAnalyzer(() => T0.AddDays(1)) { PendingCapacity = capacity };
                    foreach (var e in order) analyzer.Add(e);
                    timelines.Add(Describe(analyzer, new[] { "dev" }));
                }
            }

            var only = Assert.Single(timelines);
            Assert.Equal(4, only.Split(',').Length); // the twice-logged disconnect at minute 7 once
        }

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        [InlineData(37)]
        [InlineData(1000)]
        public void AnyBatchSize_GivesTheTimelinesAndVerdicts_OfOneEventAtATime(int capacity)
        {
            var events = Interleaved();
            var keys = events.Select(e => e.ModuleId == null ? e.DeviceId : e.DeviceId + "/" + e.ModuleId).Distinct().ToList();
            var oneByOne = new DisconnectAnalyzer(() => T0.AddDays(1)) { PendingCapacity = 1 };
            var batched = new DisconnectAnalyzer(() => T0.AddDays(1)) { PendingCapacity = capacity };
            foreach (var e in events)
            {
                oneByOne.Add(e);
                batched.Add(e);
            }

            Assert.Equal(40, batched.DeviceCount);
            Assert.Equal(Describe(oneByOne, keys), Describe(batched, keys));
            Assert.Equal(Verdicts(oneByOne), Verdicts(batched));
            Assert.Equal(30, batched.EntriesOf("dev-5/edgeHub").Count); // a module's events are its own identity's
            Assert.Empty(batched.EntriesOf("dev-5"));
            Assert.Equal(30, batched.EntriesOf("dev-6").Count);
        }

        [Fact]
        public void ANumberNotedInAnotherTable_IsNotTrusted()
        {
            // Events whose device ids came from a table not of this analyzer's reads (a lean parser's own): the number
            // noted there for dev-b (0) is dev-a's number here.
            var table = new DeviceKeyTable();
            var a = table.Get("dev-a"u8, out var slotsA, out int slotA);
            var b = table.Get("dev-b"u8, out var slotsB, out int slotB);
            table.SetCurrentTimeline(slotsB!, slotB, 0);
            var analyzer = new DisconnectAnalyzer(() => T0.AddDays(1)) { PendingCapacity = 2 };

            void Feed(string deviceId, DeviceKeyTable.Slot[] slots, int slot, int minute)
            {
                var e = Event(deviceId, minute, connect: minute % 2 == 0);
                e.DeviceKeys = table;
                e.DeviceKeySlots = slots;
                e.DeviceIdSlot = slot;
                analyzer.Add(e);
            }

            Feed(a, slotsA!, slotA, 0);
            Feed(b, slotsB!, slotB, 1);
            Feed(a, slotsA!, slotA, 2);
            Feed(b, slotsB!, slotB, 3);

            Assert.Equal(2, analyzer.DeviceCount);
            Assert.Equal(new[] { 0, 2 }, analyzer.EntriesOf("dev-a").Select(x => (int)(x.Time - T0).TotalMinutes));
            Assert.Equal(new[] { 1, 3 }, analyzer.EntriesOf("dev-b").Select(x => (int)(x.Time - T0).TotalMinutes));
            Assert.Equal(0, DeviceKeyTable.TimelineOf(slotsB!, slotB)); // and nothing of this analyzer's is written there
            Assert.Equal(-1, DeviceKeyTable.TimelineOf(slotsA!, slotA));
        }
    }
}
