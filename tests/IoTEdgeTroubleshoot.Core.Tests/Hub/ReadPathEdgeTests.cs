using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    /// <summary>
    /// The analysis' read at its edges: memory bounded by devices whatever one device or one-off values do, the lean
    /// path reading what the full parse reads in records it once read differently, damaged times, failing sinks, and
    /// reader buffers of every size giving what piped events give. (Found by a review of the read's speed-up.)
    /// </summary>
    public class ReadPathEdgeTests
    {
        private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

        // ---- Memory: DeviceTimeline.Reserve sizes a timeline for a whole hand-over, and the list never shrinks ----

        private static int TimelineCapacity(DisconnectAnalyzer analyzer, string key)
        {
            return (int)typeof(DeviceTimeline).GetField("_room", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(analyzer.TimelineOf(key)!)!;
        }

        [Theory]
        [InlineData(200_000)] // the buffer fills with the last event: handed over into the timeline's own array
        [InlineData(200_001)] // never full: the events go into one array for the whole batch when the entries are read
        public void AChattyDevice_KeepsABoundedTimeline_WhateverTheHandOverSize(int capacity)
        {
            // One device flapping (what the analysis is for): 200,000 events in one reader buffer.
            const int events = 200_000;
            var analyzer = new DisconnectAnalyzer(() => T0.AddDays(30)) { PendingCapacity = capacity };
            for (int i = 0; i < events; i++)
            {
                analyzer.Add(new IoTHubConnectionEvent
                {
                    DeviceId = "chatty", Category = "Connections", TimeGenerated = T0.AddSeconds(i),
                    OperationName = i % 2 == 0 ? "deviceConnect" : "deviceDisconnect", Level = i % 2 == 0 ? "Information" : "Error",
                    ResultType = i % 2 == 0 ? string.Empty : "404104", Protocol = "Mqtt",
                });
            }

            Assert.Equal(DeviceTimeline.MaxEntries, analyzer.EntriesOf("chatty").Count);

            // A timeline compacts at 2 * MaxEntries: room for a whole batch (200,000 x 16 bytes for one device) would stay until Analyze.
            Assert.True(TimelineCapacity(analyzer, "chatty") <= 4 * DeviceTimeline.MaxEntries, $"capacity {TimelineCapacity(analyzer, "chatty")}");
        }

        [Fact]
        public void AFullReadOfRecordsWithOneOffAddresses_DoesNotGrowTheParsersCacheToItsMaximum()
        {
            // Get-IoTHubConnectionEvent's parse (not lean): every string value goes through the cache, and a large
            // hub's masked addresses are nearly one per record. One-off values must not make the table grow.
            var parser = new ConnectionRecordParser(lean: false);
            var outcomes = new List<RecordOutcome>();
            string template = Records.Line("2026-11-20T10:00:01Z", "dev-1");
            for (int i = 0; i < 400_000; i++)
            {
                outcomes.Clear();
                string line = template.Replace("203.0.113.XXX", $"{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}.XXX");
                parser.ParseValue(Encoding.UTF8.GetBytes(line), new ConnectionEventFilter(), outcomes);
            }

            var cache = (Utf8StringCache)typeof(ConnectionRecordParser).GetField("_strings", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(parser)!;
            Assert.Equal(1 << 16, cache.Capacity);
        }

        [Fact]
        public void AnOutOfOrderChattyDevice_DoesNotAllocateALargeObjectPerCompaction()
        {
            // Compact runs at 2 * MaxEntries entries: sorting an unsorted timeline must reuse the thread's scratch array.
            var timeline = new DeviceTimeline("d");
            long t = T0.UtcTicks;
            for (int i = 0; i < 10_000; i++) timeline.Add(t + (i ^ 1) * TimeSpan.TicksPerSecond, EntryKind.Connect, 0, 0, "Mqtt", null); // warm up
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 10_000; i < 210_000; i++) timeline.Add(t + (i ^ 1) * TimeSpan.TicksPerSecond, EntryKind.Connect, 0, 0, "Mqtt", null);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 1024 * 1024, $"allocated {allocated / 1024} KB over 200,000 events");
        }

        // ---- Records the lean path once read differently from the full parse ----

        [Theory]
        // A top-level identity field before "properties": the lean scan leaves such a record to the full parse.
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"operationName\":\"deviceConnect\",\"moduleId\":\"$edgeHub\",\"properties\":\"{\\\"deviceId\\\":\\\"d\\\"}\"}")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"operationName\":\"deviceConnect\",\"maskedIpAddress\":\"10.0.0.XXX\",\"protocol\":\"Amqp\",\"properties\":\"{\\\"deviceId\\\":\\\"d\\\"}\"}")]
        // A kept key given twice (again as null): the full parse decides which stands.
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"operationName\":\"deviceConnect\",\"properties\":\"{\\\"deviceId\\\":\\\"d\\\",\\\"moduleId\\\":\\\"m\\\",\\\"moduleId\\\":null}\"}")]
        // deviceId_s is DeviceId to the full parse: the lean scan must not take it for an unknown key.
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"operationName\":\"deviceConnect\",\"properties\":\"{\\\"deviceId\\\":\\\"a\\\",\\\"deviceId_s\\\":\\\"b\\\"}\"}")]
        public void LeanReadsWhatTheFullParseReads(string line)
        {
            Assert.Equal(LeanParsingTests.Parse(line, lean: false), LeanParsingTests.Parse(line, lean: true));
        }
        // ---- An escaped lone surrogate in "time" is one damaged record, not the end of the file ----

        [Fact]
        public void ALoneSurrogateInTheTime_IsOneMalformedRecord_NotTheEndOfTheFile()
        {
            using var dir = new TempFolder();
            string file = dir.Write("PT1H.json",
                "{\"time\":\"2026-11-20T10:00:00\\ud800Z\",\"deviceId\":\"bad\"}\n"
                + Records.Line("2026-11-20T10:00:01Z", "good") + "\n");
            var reporter = new CollectingReporter();
            var events = new ConnectionLogReader(new ConnectionEventFilter(), reporter).ReadFiles(new[] { file }, System.Threading.CancellationToken.None).ToList();

            Assert.Equal(new[] { "MalformedLogRecord" }, reporter.Problems.Select(p => p.ErrorId));
            Assert.Equal(new[] { "good" }, events.Select(e => e.DeviceId));
        }

        // ---- The push path: a failing sink ends the read with LogReadFailed naming the file ----

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void AFailingSink_EndsTheReadWithLogReadFailed_NamingTheFile(int files)
        {
            using var dir = new TempFolder();
            var paths = Enumerable.Range(0, files).Select(i => dir.Write($"f{i}.json", Records.Line("2026-11-20T10:00:01Z", "d" + i) + "\n")).ToList();
            var reader = new ConnectionLogReader(new ConnectionEventFilter(), new CollectingReporter(), lean: true);
            var ex = Assert.Throws<TroubleshootException>(() => reader.ConsumeFilesInParallel(paths, 2, _ => e => throw new InvalidCastException("sink"), System.Threading.CancellationToken.None));
            Assert.Equal("LogReadFailed", ex.ErrorId);
            Assert.Contains(paths, p => ex.Message.Contains($"'{p}'"));
            Assert.IsType<InvalidCastException>(ex.InnerException);
        }

        [Fact]
        public void MoreDistinctSdkVersionsThanABufferNumbers_AreHandedOverInTime_AndEachDeviceKeepsItsLatest()
        {
            // A buffer numbers protocols and SDK versions (65,533 at most, then it hands over): 70,000 distinct
            // versions, a new one on every event, out of time order, must come out as they do one event at a time.
            var events = new List<IoTHubConnectionEvent>();
            for (int i = 0; i < 70_000; i++)
            {
                int minute = (i * 7919) % 70_000; // every minute once, in a scrambled order
                events.Add(new IoTHubConnectionEvent
                {
                    DeviceId = "dev-" + (i % 7), Category = "Connections", TimeGenerated = T0.AddMinutes(minute),
                    OperationName = "deviceConnect", Level = "Information", Protocol = i % 3 == 0 ? "Amqp" : "Mqtt", SdkVersion = "sdk/" + i,
                });
            }

            var clock = (Func<DateTimeOffset>)(() => T0.AddDays(100));
            var oneByOne = new DisconnectAnalyzer(clock) { PendingCapacity = 1 };
            var batched = new DisconnectAnalyzer(clock);
            foreach (var e in events)
            {
                oneByOne.Add(e);
                batched.Add(e);
            }

            Assert.Equal(State(oneByOne), State(batched));
            Assert.Contains("dev-0|Mqtt|sdk/", State(batched));
        }

        [Fact]
        public void PipedEventsBringingEachValueAsANewObject_ShareTheirNumbers_AndDoNotFillTheBufferEarly()
        {
            // Deserialised input: every record's protocol and SDK are new string objects with the same text.
            var analyzer = new DisconnectAnalyzer(() => T0.AddDays(100));
            for (int i = 0; i < 70_000; i++)
            {
                analyzer.Add(new IoTHubConnectionEvent
                {
                    DeviceId = "dev-" + (i % 5), Category = "Connections", TimeGenerated = T0.AddMinutes(i), OperationName = "deviceConnect",
                    Level = "Information", Protocol = new string("Mqtt".ToCharArray()), SdkVersion = new string("sdk/1.0".ToCharArray()),
                });
            }

            var pending = typeof(DisconnectAnalyzer).GetField("_pending", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(analyzer)!;
            Assert.Equal(70_000, ((PendingEvents)pending).Count); // never handed over: two texts, not 140,000
            Assert.Contains("dev-0|Mqtt|sdk/1.0|", State(analyzer));
        }

        private static string State(DisconnectAnalyzer a)
        {
            return string.Join("\n", a.Timelines.Select(t => t.Key).OrderBy(k => k, StringComparer.Ordinal).Select(k =>
            {
                var t = a.TimelineOf(k)!;
                var entries = a.EntriesOf(k);
                return $"{k}|{t.Protocol}|{t.SdkVersion}|{t.Dropped}|{entries.Count}|{string.Join(",", entries.Select(e => $"{e.Ticks}/{e.Kind}/{e.Code}/{e.AddressHash}"))}";
            })) + $"\nevents {a.EventCount} devices {a.DeviceCount}";
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(3)]
        [InlineData(65536)]
        [InlineData(65537)]
        public void ReaderBuffersOfAnySize_GiveWhatPipedEventsGive(int capacity) // 65,536: one chunk; 0: the default
        {
            using var dir = new TempFolder();
            var t0 = new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);
            var big = new StringBuilder();
            for (int i = 0; i < 70_000; i++)
            {
                int dev = i % 7;
                string time = t0.AddSeconds(i * 3 + (i % 5) * 7).ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ");
                big.Append(Records.Line(time, "dev-" + dev, i % 2 == 0 ? "deviceConnect" : "deviceDisconnect", i % 2 == 0 ? "Information" : "Error",
                    i % 2 == 0 ? null : "404104", protocol: i < 35_000 ? "Amqp" : "Mqtt", sdk: "sdk/" + (i / 10_000))).Append('\n');
            }

            var small = new StringBuilder();
            for (int i = 0; i < 50; i++)
            {
                string time = t0.AddSeconds(i * 13 + 1).ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ");
                small.Append(Records.Line(time, i % 2 == 0 ? "only-here" : "dev-3", i % 2 == 0 ? "deviceConnect" : "deviceDisconnect", protocol: "Amqp_WS")).Append('\n');
            }

            var files = new List<string> { dir.Write("a/PT1H.json", big.ToString()), dir.Write("b/PT1H.json", small.ToString()), dir.Write("c/PT1H.json", "") };
            var clock = (Func<DateTimeOffset>)(() => new DateTimeOffset(t0.AddDays(10)));
            var piped = new DisconnectAnalyzer(clock);
            foreach (var e in new ConnectionLogReader(new ConnectionEventFilter(), new CollectingReporter()).ReadFiles(files, CancellationToken.None)) piped.Add(e);
            var fast = new DisconnectAnalyzer(clock);
            if (capacity > 0) fast.PendingCapacity = capacity;
            fast.ReadFiles(files, new ConnectionEventFilter(), new CollectingReporter(), CancellationToken.None);
            Assert.Equal(State(piped), State(fast));
        }
    }
}
