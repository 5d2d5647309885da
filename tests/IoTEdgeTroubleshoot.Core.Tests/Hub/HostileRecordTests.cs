using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using IoTEdgeTroubleshoot.Hub;
using Xunit;
using static IoTEdgeTroubleshoot.Tests.Hub.Hostile;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    /// <summary>
    /// Issue 8, class 2: one bad record never stops the read. Each is a MalformedLogRecord at file:line:column,
    /// in the full parse (Get-IoTHubConnectionEvent), the lean one and the analysis' threads (-Path), and the
    /// files after it are read.
    /// </summary>
    public class HostileRecordTests
    {
        private const string Marker = "@@";

        // A storage record whose properties (or a top-level value) carry the marker where the hostile bytes go.
        public static IEnumerable<object[]> BadBytes() => new[]
        {
            new object[] { "invalid UTF-8 in the properties' deviceId", Records.Line("2026-11-20T10:00:01Z", "dev" + Marker), new byte[] { 0xFF } },
            new object[] { "invalid UTF-8 in a properties field the analysis skips", Records.Line("2026-11-20T10:00:01Z", "dev-b").Replace("closed", "clo" + Marker), new byte[] { 0xC3, 0x28 } },
            new object[] { "invalid UTF-8 in a top-level value", Records.Line("2026-11-20T10:00:01Z", "dev-b").Replace("westus", "west" + Marker), new byte[] { 0x80 } },
            new object[] { "an overlong UTF-8 form", Records.Line("2026-11-20T10:00:01Z", "dev" + Marker), new byte[] { 0xC0, 0xAF } },
            new object[] { "a UTF-8 encoded surrogate", Records.Line("2026-11-20T10:00:01Z", "dev" + Marker), new byte[] { 0xED, 0xA0, 0x80 } },
            new object[] { "a UTF-8 sequence cut short", Records.Line("2026-11-20T10:00:01Z", "dev" + Marker), new byte[] { 0xE2, 0x82 } },
            new object[] { "a NUL byte in the properties", Records.Line("2026-11-20T10:00:01Z", "dev" + Marker), new byte[] { 0x00 } },
            new object[] { "a NUL byte in a top-level value", Records.Line("2026-11-20T10:00:01Z", "dev-b").Replace("westus", "west" + Marker), new byte[] { 0x00 } },
            new object[] { "a control character in a skipped field", Records.Line("2026-11-20T10:00:01Z", "dev-b").Replace("DeviceConnectionClosedRemotely", "Closed" + Marker), new byte[] { 0x01 } },
        };

        [Theory]
        [MemberData(nameof(BadBytes))]
        public void BadBytes_AreOneMalformedRecordAtTheirPlace_AndEveryOtherRecordAndFileIsRead(string what, string template, byte[] raw)
        {
            using var dir = new TempFolder();
            byte[] bad = Bytes(template, Marker, raw);
            int column = Encoding.UTF8.GetBytes(template).AsSpan().IndexOf(Utf8(Marker)) + 1;
            var files = new[]
            {
                dir.WriteBytes("1.json", Utf8(Records.Line("2026-11-20T09:00:00Z", "first-1")), Utf8(Records.Line("2026-11-20T09:00:01Z", "first-2"))),
                dir.WriteBytes("2.json", Utf8(Records.Line("2026-11-20T10:00:00Z", "before")), bad, Utf8(Records.Line("2026-11-20T10:00:02Z", "after"))),
                dir.WriteBytes("3.json", Utf8(Records.Line("2026-11-20T11:00:00Z", "last"))),
            };
            var expected = new[] { "first-1", "first-2", "before", "after", "last" };

            var full = new CollectingReporter();
            var lean = new CollectingReporter();
            var threads = new CollectingReporter();
            var events = ReadFull(files, full);
            var leanEvents = ReadLean(files, lean);
            var analyzer = Analyze(files, threads);

            Assert.Equal(expected, events.Select(e => e.DeviceId));
            Assert.Equal(events.Select(Fields), leanEvents);
            Assert.Equal(expected.Length, analyzer.EventCount);
            foreach (var reporter in new[] { full, lean, threads })
            {
                var problem = Assert.Single(reporter.Problems);
                Assert.Equal("MalformedLogRecord", problem.ErrorId);
                Assert.Equal((files[1], 2L, (long)column), (problem.Position!.Path, problem.Position.Line, problem.Position.Column));
                Assert.StartsWith($"{files[1]}:2:{column}: ", problem.Message);
            }

            Assert.True(what.Length > 0);
        }

        [Theory]
        [InlineData("in the properties' deviceId (escaped once: the properties text holds the surrogate itself)", "\\ud800x", "\uFFFDx")]
        [InlineData("in the properties' deviceId (escaped twice: the inner JSON escapes it)", "\\\\ud800x", "\uFFFDx")]
        [InlineData("a low surrogate alone", "\\\\udc00x", "\uFFFDx")]
        [InlineData("a high surrogate before a character that is no low surrogate", "\\\\ud83dx", "\uFFFDx")]
        [InlineData("a whole pair stays a character", "\\\\ud83d\\\\ude00", "\U0001F600")]
        public void LoneSurrogateEscapes_AreReadAsTheReplacementCharacter_ByEveryPath(string what, string escaped, string deviceId)
        {
            // \ud800 is JSON syntax (RFC 8259 leaves lone surrogates to the reader) but no character: read as U+FFFD, never a crash.
            using var dir = new TempFolder();
            string line = Records.Line("2026-11-20T10:00:01Z", "DEVICE").Replace("DEVICE", escaped);
            var files = new[]
            {
                dir.Write("1.json", Records.Line("2026-11-20T10:00:00Z", "before") + "\n" + line + "\n"),
                dir.Write("2.json", Records.Line("2026-11-20T11:00:00Z", "last") + "\n"),
                dir.Write("3.json", "{\"time\":\"2026-11-20T10:00:00Z\",\"operationName\":\"deviceDisconnect\",\"level\":\"Err\\ud800\",\"deviceId\":\"top\\ud800\",\"resultDescription\":\"\\udfff\",\"\\ud800key\":1}\n"),
            };
            var reporter = new CollectingReporter();

            var events = ReadFull(files, reporter);
            var lean = ReadLean(files, reporter);
            var analyzer = Analyze(files, reporter);

            Assert.Empty(reporter.Problems);
            Assert.Equal(new[] { "before", deviceId, "last", "top\uFFFD" }, events.Select(e => e.DeviceId));
            Assert.Equal("Err\uFFFD", events[3].Level);
            Assert.Equal(events.Select(Fields), lean);
            Assert.Equal(4, analyzer.EventCount);
            Assert.True(what.Length > 0);
        }

        [Fact]
        public void BadRecordInsideAnEventHubsBatchLine_CostsThatRecord()
        {
            using var dir = new TempFolder();
            string Batch(params string[] records) => "{\"records\":[" + string.Join(",", records) + "]}";
            string good = Batch(Records.Line("2026-11-20T10:00:00Z", "a"), Records.Line("2026-11-20T10:00:01Z", "b"));
            string invalidBytes = Batch(Records.Line("2026-11-20T10:00:02Z", "c"), Records.Line("2026-11-20T10:00:03Z", "d" + Marker), Records.Line("2026-11-20T10:00:04Z", "e"));
            string brokenSyntax = Batch(Records.Line("2026-11-20T10:00:05Z", "f"), Records.Line("2026-11-20T10:00:06Z", "g").Replace("\"level\":", "\"level\" "), Records.Line("2026-11-20T10:00:07Z", "h"));
            var files = new[]
            {
                dir.WriteBytes("eh.json", Utf8(good), Bytes(invalidBytes, Marker, 0xFF), Utf8(brokenSyntax)),
                dir.Write("later.json", Records.Line("2026-11-20T11:00:00Z", "later") + "\n"),
            };
            var reporter = new CollectingReporter();
            var lean = new CollectingReporter();

            var events = ReadFull(files, reporter);
            var leanEvents = ReadLean(files, lean);

            Assert.Equal(new[] { "a", "b", "c", "e", "f", "h", "later" }, events.Select(e => e.DeviceId));
            Assert.Equal(events.Select(Fields), leanEvents);
            Assert.Equal(new[] { (2L, (long)Utf8(invalidBytes).AsSpan().IndexOf(Utf8(Marker)) + 1), (3L, (long)brokenSyntax.IndexOf("\"level\" ", StringComparison.Ordinal) + 9) },
                reporter.Problems.Select(p => (p.Position!.Line, p.Position.Column)));
            Assert.All(reporter.Problems, p => Assert.Equal("MalformedLogRecord", p.ErrorId));
            Assert.Equal(reporter.Problems.Select(p => p.Message), lean.Problems.Select(p => p.Message));
        }

        [Fact]
        public void BadRecordsInPrettyPrintedDocuments_CostOnlyThemselves()
        {
            using var dir = new TempFolder();
            string Pretty(string open, string close, params string[] records) => open + "\n  " + string.Join(",\n  ", records) + "\n" + close + "\n";
            string eventHubs = Pretty("{\"records\": [", "]}", Records.Line("2026-11-20T10:00:00Z", "a"), Records.Line("2026-11-20T10:00:01Z", "b" + Marker), Records.Line("2026-11-20T10:00:02Z", "c"));
            string array = Pretty("[", "]", Records.Line("2026-11-20T10:00:03Z", "d"), Records.Line("2026-11-20T10:00:04Z", "e").Replace(",\"level\"", ",,\"level\""), Records.Line("2026-11-20T10:00:05Z", "f"));
            var files = new[]
            {
                dir.WriteBytes("eh.json", Bytes(eventHubs, Marker, 0xFE)),
                dir.Write("az.json", array),
                dir.Write("later.json", Records.Line("2026-11-20T11:00:00Z", "later") + "\n"),
            };
            var reporter = new CollectingReporter();
            var lean = new CollectingReporter();

            var events = ReadFull(files, reporter);
            var leanEvents = ReadLean(files, lean);

            Assert.Equal(new[] { "a", "c", "d", "f", "later" }, events.Select(e => e.DeviceId));
            Assert.Equal(events.Select(Fields), leanEvents);
            Assert.Equal(new[] { (files[0], 3L), (files[1], 3L) }, reporter.Problems.Select(p => (p.Position!.Path, p.Position.Line)));
            Assert.Equal(1 + eventHubs.Split('\n')[2].IndexOf(Marker, StringComparison.Ordinal), reporter.Problems[0].Position!.Column);
            Assert.Equal(reporter.Problems.Select(p => p.Message), lean.Problems.Select(p => p.Message));
        }

        [Fact]
        public void BadBytesInACsvRow_AreOneMalformedRecordAtTheirField()
        {
            using var dir = new TempFolder();
            string header = "TimeGenerated [UTC],OperationName,Level,ResultType,properties_s";
            string Row(string time, string device) => $"\"{time}\",deviceDisconnect,Error,404104,\"{{\"\"deviceId\"\":\"\"{device}\"\"}}\"";
            var files = new[]
            {
                dir.WriteBytes("export.csv", Utf8(header), Utf8(Row("11/20/2026, 1:00:00.000 PM", "a")), Bytes(Row("11/20/2026, 1:00:01.000 PM", "b" + Marker), Marker, 0xFF, 0xFE),
                    Utf8(Row("11/20/2026, 1:00:02.000 PM", "c\\ud800")), Utf8(Row("11/20/2026, 1:00:03.000 PM", "d"))),
                dir.Write("later.json", Records.Line("2026-11-20T14:00:00Z", "later") + "\n"),
            };
            var reporter = new CollectingReporter();

            var events = ReadFull(files, reporter);

            Assert.Equal(new[] { "a", "c\uFFFD", "d", "later" }, events.Select(e => e.DeviceId));
            var problem = Assert.Single(reporter.Problems);
            long propertiesColumn = Row("11/20/2026, 1:00:01.000 PM", "b").IndexOf(",\"{", StringComparison.Ordinal) + 2;
            Assert.Equal(("MalformedLogRecord", 3L, propertiesColumn), (problem.ErrorId, problem.Position!.Line, problem.Position.Column)); // the properties_s field
            Assert.Contains("not UTF-8", problem.Message);
        }

        // Years at the calendar's ends: 0000 does not exist, 0001 and 9999 do (to their last tick in UTC).
        [Theory]
        [InlineData("0000-01-01T00:00:00Z", false)]
        [InlineData("0001-01-01T00:00:00Z", true)]
        [InlineData("0001-01-01T00:00:00.0000000Z", true)]
        [InlineData("9999-12-31T23:59:59.9999999Z", true)]
        [InlineData("0001-01-01T00:00:00+01:00", false)] // before the first UTC instant
        [InlineData("9999-12-31T23:59:59-01:00", false)] // after the last one
        [InlineData("10000-01-01T00:00:00Z", false)]
        [InlineData("9999-13-01T00:00:00Z", false)]
        public void JsonTimesAtTheCalendarsEnds_AreReadOrMalformed_NeverACrash(string time, bool readable)
        {
            using var dir = new TempFolder();
            var files = new[]
            {
                dir.Write("1.json", Records.Line("2026-11-20T10:00:00Z", "before") + "\n" + Records.Line(time, "edge") + "\n" + Records.Line("2026-11-20T10:00:02Z", "after") + "\n"),
                dir.Write("2.json", Records.Line("2026-11-20T11:00:00Z", "last") + "\n"),
            };
            var reporter = new CollectingReporter();
            var threads = new CollectingReporter();

            var events = ReadFull(files, reporter);
            var lean = ReadLean(files, new CollectingReporter());
            var analyzer = Analyze(files, threads);

            var expected = readable ? new[] { "before", "edge", "after", "last" } : new[] { "before", "after", "last" };
            Assert.Equal(expected, events.Select(e => e.DeviceId));
            Assert.Equal(events.Select(Fields), lean);
            Assert.Equal(3, analyzer.EventCount); // a readable date at the calendar's end is read, and the analysis leaves it out as implausible
            Assert.Equal(readable ? 0 : 1, reporter.Problems.Count);
            Assert.Equal(reporter.Problems.Select(p => p.Message), threads.Problems.Select(p => p.Message));
            if (!readable) Assert.Equal((2L, "MalformedLogRecord"), (reporter.Problems[0].Position!.Line, reporter.Problems[0].ErrorId));
        }

        [Theory]
        [InlineData("{0}/{1}/{2}, {3} PM", "MM/dd")] // en-US
        [InlineData("{1}/{0}/{2}, {3}", "dd/MM")]    // en-GB
        [InlineData("{1}.{0}.{2}, {3}", "dd.MM")]    // de-DE
        [InlineData("{2}/{0}/{1} {3}", "yyyy/MM/dd")] // zh-CN
        [InlineData("{2}-{0}-{1}T{3}Z", "ISO 8601")]
        public void CsvDatesAtTheCalendarsEnds_AreReadOrMalformed_NeverACrash(string form, string name)
        {
            using var dir = new TempFolder();
            string Time(string month, string day, string year, string time) => string.Format(CultureInfo.InvariantCulture, form, month, day, year, time);
            string header = "TimeGenerated [UTC],OperationName,Level,properties_s";
            string Row(string time, string device) => $"\"{time}\",deviceDisconnect,Error,\"{{\"\"deviceId\"\":\"\"{device}\"\"}}\"";
            // A day above 12 settles the order for the numeric forms; then the calendar's ends.
            string csv = string.Join("\n", header,
                Row(Time("11", "20", "2026", "11:00:00"), "settles-order"),
                Row(Time("01", "01", "0000", "11:00:00"), "year-0000"),
                Row(Time("01", "01", "0001", "11:00:00"), "year-0001"),
                Row(Time("12", "31", "9999", "11:59:59"), "year-9999"),
                Row(Time("02", "29", "9999", "11:00:00"), "not-a-leap-year"),
                Row(Time("11", "20", "2026", "11:00:01"), "after")) + "\n";
            var files = new[] { dir.Write("export.csv", csv), dir.Write("later.json", Records.Line("2026-11-21T00:00:00Z", "later") + "\n") };
            var reporter = new CollectingReporter();

            var events = ReadFull(files, reporter);
            var analyzer = Analyze(files, new CollectingReporter());

            Assert.Equal(new[] { "settles-order", "year-0001", "year-9999", "after", "later" }, events.Select(e => e.DeviceId));
            Assert.Equal(1, events[1].TimeGenerated.Year);
            Assert.Equal(9999, events[2].TimeGenerated.Year);
            Assert.Equal(new long[] { 3, 6 }, reporter.Problems.Select(p => p.Position!.Line));
            Assert.All(reporter.Problems, p => Assert.Equal(("MalformedLogRecord", 1L), (p.ErrorId, p.Position!.Column)));
            Assert.Equal(3, analyzer.EventCount); // years 0001 and 9999 are read, and the analysis leaves them out as implausible
            Assert.True(name.Length > 0);
        }

        [Theory]
        [InlineData("01/01/0001, 12:00:00.000 AM", 14)]  // local midnight of the first day, east of UTC: before the first UTC instant
        [InlineData("12/31/9999, 11:59:59.999 PM", -12)] // local end of the last day, west of UTC: after the last one
        [InlineData("0001-01-01 00:00:00", 1)]
        [InlineData("9999/12/31 23:59:59", -1)]
        public void LocalTimesWithoutAUtcTime_AreNotDates(string value, int offsetHours)
        {
            var zone = TimeZoneInfo.CreateCustomTimeZone("test", TimeSpan.FromHours(offsetHours), "test", "test");
            var parser = new ExportTimeParser(assumeUtc: false, CultureInfo.GetCultureInfo("en-US"), localZone: zone);

            Assert.False(parser.TryParse(value, out _));
            Assert.True(parser.TryParse("11/20/2026, 1:00:00.000 PM", out var ordinary));
            Assert.Equal(new DateTimeOffset(2026, 11, 20, 13, 0, 0, TimeSpan.FromHours(offsetHours)), ordinary);
        }

        [Theory]
        [InlineData("١١/٢٠/٢٠٢٦, 1:00:00 PM")] // Arabic-Indic digits, which \d matches and int.Parse refuses
        [InlineData("11/20/2026, 1:00:00" + "                                                                        x")]
        public void DatesOfOtherDigitsOrEndlessSpaces_AreNotDates(string value)
        {
            var parser = new ExportTimeParser(assumeUtc: true, CultureInfo.GetCultureInfo("en-US"));
            parser.Learn(value);

            Assert.False(parser.TryParse(value, out _));
        }
    }
}
