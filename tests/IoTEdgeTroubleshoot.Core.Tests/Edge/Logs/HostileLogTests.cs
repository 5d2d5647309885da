using System;
using System.IO;
using System.Linq;
using System.Text;
using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Platform;
using IoTEdgeTroubleshoot.Tests.Platform;
using Xunit;
using static IoTEdgeTroubleshoot.Tests.Edge.Logs.LogReading;

namespace IoTEdgeTroubleshoot.Tests.Edge.Logs
{
    /// <summary>Damaged and hostile saved logs: every bad line is a problem at file:line:column, and reading goes on.</summary>
    public class HostileLogTests
    {
        private const string Good = "<6> 2026-07-20 10:11:12.000 +00:00 [INF] - fine";

        [Fact]
        public void AHugeLine_IsLogRecordTooLong_AtItsLine_AndTheNextLinesAreRead()
        {
            using var folder = new TempFolder();
            var reporter = new CollectingReporter();
            string huge = new string('x', LogFileReader.MaxLineBytes + 10);

            var entries = ReadText(folder, "edgeHub.log", Good + "\n" + huge + "\n" + Good + "\n", reporter);

            var problem = Assert.Single(reporter.Problems);
            Assert.Equal(ErrorIds.LogRecordTooLong, problem.ErrorId);
            Assert.Equal(2, problem.Position!.Line);
            Assert.StartsWith(Path.Combine(folder.Path, "edgeHub.log") + ":2:1: ", problem.Message);
            Assert.Equal(2, entries.Count);
        }

        [Fact]
        public void BinaryBytes_AreMalformedLogRecord_AtTheFirstBadByte()
        {
            using var folder = new TempFolder();
            var reporter = new CollectingReporter();
            var bytes = Encoding.UTF8.GetBytes(Good + "\n").Concat(new byte[] { 0x61, 0x62, 0x00, 0x63, (byte)'\n', 0x6f, 0x6b, 0x20, 0xC3, 0x28, (byte)'\n' }).Concat(Encoding.UTF8.GetBytes(Good + "\n")).ToList();

            var entries = ReadBytes(folder, "edgeHub.log", bytes.ToArray(), reporter);

            Assert.Equal(2, reporter.Problems.Count);
            Assert.All(reporter.Problems, p => Assert.Equal(ErrorIds.MalformedLogRecord, p.ErrorId));
            Assert.Equal((2L, 3L), (reporter.Problems[0].Position!.Line, reporter.Problems[0].Position!.Column));
            Assert.Equal((3L, 4L), (reporter.Problems[1].Position!.Line, reporter.Problems[1].Position!.Column));
            Assert.Equal(new[] { "fine", "fine" }, entries.Select(e => e.Message));
        }

        [Fact]
        public void TruncatedJournalJson_IsAProblemWithItsColumn_AndTheOtherRecordsAreRead()
        {
            using var folder = new TempFolder();
            var reporter = new CollectingReporter();
            string[] lines = File.ReadAllLines(Fixture("journal-1.5.json"));
            string cut = lines[3].Substring(0, 120);

            var entries = ReadText(folder, "journal.json", string.Join("\n", lines.Take(3).Concat(new[] { cut }).Concat(lines.Skip(4))) + "\n", reporter);

            var problem = Assert.Single(reporter.Problems);
            Assert.Equal(ErrorIds.MalformedLogRecord, problem.ErrorId);
            Assert.Equal(4, problem.Position!.Line);
            Assert.InRange(problem.Position.Column, 100, 121);
            Assert.Contains("not valid JSON", problem.Message);
            Assert.Equal(lines.Length - 1, entries.Count);
        }

        [Fact]
        public void AJournalFileThatIsOnlyCutRecords_ReportsEachOne()
        {
            using var folder = new TempFolder();
            var reporter = new CollectingReporter();

            var entries = ReadText(folder, "journal.json", "{\"__CURSOR\":\"s=1\",\"MESSAGE\":\"cut\n{\"__REALTIME_TIMESTAMP\":\"17\n", reporter);

            Assert.Empty(entries);
            Assert.Equal(new long[] { 1, 2 }, reporter.Problems.Select(p => p.Position!.Line));
        }

        [Fact]
        public void JournalStringsThatAreNotText_AreProblems_NotExceptions()
        {
            using var folder = new TempFolder();
            var reporter = new CollectingReporter();
            byte[] good = Encoding.UTF8.GetBytes("{\"__REALTIME_TIMESTAMP\":\"1784542272000000\",\"MESSAGE\":\"ok\"}\n");
            byte[] surrogate = Encoding.UTF8.GetBytes("{\"__REALTIME_TIMESTAMP\":\"1784542272000000\",\"MESSAGE\":\"lone \\ud800 half\"}\n");
            byte[] raw = Encoding.UTF8.GetBytes("{\"__REALTIME_TIMESTAMP\":\"1784542272000000\",\"MESSAGE\":\"raw ").Concat(new byte[] { 0xFF, 0xFE }).Concat(Encoding.UTF8.GetBytes("\"}\n")).ToArray();

            var entries = ReadBytes(folder, "journal.json", good.Concat(surrogate).Concat(raw).Concat(good).ToArray(), reporter);

            Assert.Equal(new[] { "ok", "ok" }, entries.Select(e => e.Message));
            Assert.Equal(new long[] { 2, 3 }, reporter.Problems.Select(p => p.Position!.Line));
            Assert.All(reporter.Problems, p => Assert.True(p.Position!.Column > 1));
        }

        [Fact]
        public void BadTimes_AreProblemsAtTheTimesColumn_AndTheEntryIsKeptWithoutATime()
        {
            using var folder = new TempFolder();
            var reporter = new CollectingReporter();
            string text = "<6> 2026-13-45 10:11:12.000 +00:00 [INF] - month thirteen\n"
                + "May 20 10:11:12 gw iotedged[1]: 2026-05-20T25:61:00Z [INFO] - hour 25\n"
                + "{\"__REALTIME_TIMESTAMP\":\"yesterday\",\"MESSAGE\":\"no number\",\"_PID\":\"3\"}\n"
                + "2026-07-20 10:11:12.000 +99:00 [INF] - zone out of range\n";

            var entries = ReadText(folder, "mixed.log", text, reporter);

            Assert.Equal(4, entries.Count);
            Assert.Null(entries[0].TimeCreated);
            Assert.Equal("month thirteen", entries[0].Message);
            Assert.NotNull(entries[1].TimeCreated); // the journal's own clock stands in
            Assert.Null(entries[2].TimeCreated);
            Assert.Null(entries[3].TimeCreated);
            Assert.Equal(new[] { (1L, 5L), (3L, 25L), (4L, 1L) }, reporter.Problems.Select(p => (p.Position!.Line, p.Position.Column)));
            Assert.All(reporter.Problems, p => Assert.Equal(ErrorIds.MalformedLogRecord, p.ErrorId));
        }

        [Fact]
        public void AnEndlessStackTrace_IsCappedAndCounted_NotHeld()
        {
            var lines = new[] { Good }.Concat(Enumerable.Range(0, 200_000).Select(i => $"   at Frame{i}.Method() in /src/File{i}.cs:line {i}"));

            var entry = Assert.Single(Feed(lines));

            Assert.InRange(entry.Message.Length, LogEntryAssembler.MaxMessageLength - 200, LogEntryAssembler.MaxMessageLength + 100);
            Assert.Matches(@"\.\.\. \(\d+ more lines not kept\)$", entry.Message);
        }

        [Fact]
        public void Utf16_AsWindowsPowerShellSavesIt_IsRead()
        {
            using var folder = new TempFolder();
            var reporter = new CollectingReporter();

            var entries = ReadBytes(folder, "edgeAgent.log", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Good + "\r\n" + Good + "\r\n")).ToArray(), reporter);

            Assert.Empty(reporter.Problems);
            Assert.Equal(2, entries.Count);
        }

        [MachineFact]
        public void ANamedPipe_IsNotOpened()
        {
            using var folder = new TempFolder();
            string fifo = Path.Combine(folder.Path, "edgeHub.log");
            Assert.Equal(0, Machine.Run("mkfifo", fifo));
            var reporter = new CollectingReporter();

            var entries = Read(fifo, reporter);

            Assert.Empty(entries);
            Assert.Contains(reporter.Warnings, w => w.Contains("named pipe"));
        }

        [Fact]
        public void ANotAZipBundle_IsUnrecognizedLogFile()
        {
            using var folder = new TempFolder();
            var reporter = new CollectingReporter();

            ReadText(folder, "support_bundle.zip", "not a zip", reporter);

            Assert.Equal(ErrorIds.UnrecognizedLogFile, Assert.Single(reporter.Problems).ErrorId);
        }

        [Fact]
        public void RandomBytes_NeverThrow_AndEveryProblemHasAPlace()
        {
            var random = new Random(20261201);
            using var folder = new TempFolder();
            for (int round = 0; round < 40; round++)
            {
                var bytes = new byte[random.Next(1, 20_000)];
                random.NextBytes(bytes);
                // Mix in the shapes the parser looks for, cut and damaged.
                var text = Encoding.UTF8.GetBytes("{\"MESSAGE\":[1,2,300,\"x\"],\"__REALTIME_TIMESTAMP\":\"99999999999999999999\"}\n<6> 2026-02-30 10:11:12 [INF] - feb 30\n{\"MESSAGE\":{\"a\":[[[[[[[[[[1]]]]]]]]]]}}\n");
                var reporter = new CollectingReporter();

                var entries = ReadBytes(folder, $"r{round}.log", text.Concat(bytes).ToArray(), reporter);

                Assert.All(reporter.Problems, p => Assert.NotNull(p.Position));
                Assert.All(entries, e => Assert.NotNull(e.Message));
            }
        }
    }
}
