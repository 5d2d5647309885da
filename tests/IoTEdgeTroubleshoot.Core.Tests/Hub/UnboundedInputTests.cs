using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Platform;
using IoTEdgeTroubleshoot.Tests.Platform;
using Xunit;
using static IoTEdgeTroubleshoot.Tests.Hub.Hostile;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    /// <summary>
    /// Issue 8, class 3: no input makes the work unbounded. Each real folder is searched once, files that are
    /// not regular are not opened, a record is at most <see cref="ConnectionLogReader.MaxRecordBytes"/>, and
    /// cancellation stops even a read that would never end.
    /// </summary>
    public class UnboundedInputTests
    {
        private static List<string> Relative(TempFolder dir, IEnumerable<string> files) =>
            files.Select(f => Path.GetRelativePath(dir.Path, f).Replace('\\', '/')).ToList();

        [MachineFact]
        public void SymlinkLoops_AreSearchedOnce()
        {
            using var dir = new TempFolder();
            dir.Write("top.json", "");
            dir.Write("a/a.json", "");
            dir.Write("a/b/b.json", "");
            Directory.CreateSymbolicLink(Path.Combine(dir.Path, "a", "loop"), "..");          // back to the top
            Directory.CreateSymbolicLink(Path.Combine(dir.Path, "a", "b", "up"), "../..");    // the same, from deeper
            Directory.CreateSymbolicLink(Path.Combine(dir.Path, "a", "b", "self"), ".");      // itself
            var reporter = new CollectingReporter();

            var files = Within(30, () => LogFileFinder.Find(dir.Path, reporter, CancellationToken.None));

            Assert.Equal(new[] { "a/a.json", "a/b/b.json", "top.json" }, Relative(dir, files));
            Assert.Equal(3, reporter.Warnings.Count);
            Assert.All(reporter.Warnings, w => Assert.Contains("(a loop)", w));
            Assert.Contains(reporter.Warnings, w => w.Contains(Path.Combine(dir.Path, "a", "loop"), StringComparison.Ordinal));
        }

        [MachineFact]
        public void TwoWaysToOneFolder_ReadItsFilesOnce_AndALinkOutOfTheTreeIsFollowed()
        {
            using var dir = new TempFolder();
            using var outside = new TempFolder();
            dir.Write("real/x.json", "");
            outside.Write("y.json", "");
            Directory.CreateSymbolicLink(Path.Combine(dir.Path, "alias"), Path.Combine(dir.Path, "real"));
            Directory.CreateSymbolicLink(Path.Combine(dir.Path, "elsewhere"), outside.Path);
            var reporter = new CollectingReporter();

            var files = LogFileFinder.Find(dir.Path, reporter, CancellationToken.None);

            Assert.Single(files, f => f.EndsWith("x.json", StringComparison.Ordinal));
            Assert.Contains("elsewhere/y.json", Relative(dir, files));
            var warning = Assert.Single(reporter.Warnings);
            Assert.Contains("searched already", warning);
        }

        [Fact]
        public void FoldersDeeperThanAnyExport_AreNotSearched_WithAWarning()
        {
            // What a bind mount of a folder inside itself looks like to a search: endless depth, no link to see.
            using var dir = new TempFolder();
            string deep = Path.Combine(new[] { dir.Path }.Concat(Enumerable.Repeat("d", LogFileFinder.MaxDepth + 2)).ToArray());
            Directory.CreateDirectory(deep);
            File.WriteAllText(Path.Combine(deep, "..", "at-max-depth-plus-one.json"), "");
            File.WriteAllText(Path.Combine(dir.Path, "top.json"), "");
            var reporter = new CollectingReporter();

            var files = LogFileFinder.Find(dir.Path, reporter, CancellationToken.None);

            Assert.Equal(new[] { "top.json" }, Relative(dir, files));
            Assert.Contains($"{LogFileFinder.MaxDepth} folders below", Assert.Single(reporter.Warnings));
        }

        [Fact]
        public void FolderSearch_StopsWhenCancelled()
        {
            using var dir = new TempFolder();
            dir.Write("a/b/c.json", "");
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();

            Assert.Throws<OperationCanceledException>(() => LogFileFinder.Find(dir.Path, new CollectingReporter(), cancelled.Token));
        }

        [MachineFact]
        public void NamedPipeAndDevice_NamedLikeLogs_AreNotOpened_AndTheOtherFilesAreRead()
        {
            using var dir = new TempFolder();
            string good = dir.Write("a-good.json", Records.Line("2026-11-20T10:00:00Z", "a") + "\n");
            string pipe = Path.Combine(dir.Path, "b-pipe.json");
            Assert.Equal(0, Machine.Run("mkfifo", pipe));
            string zero = Path.Combine(dir.Path, "c-zero.json");
            File.CreateSymbolicLink(zero, "/dev/zero");
            string later = dir.Write("d-later.json", Records.Line("2026-11-20T11:00:00Z", "d") + "\n");
            var files = LogFileFinder.Find(dir.Path, new CollectingReporter(), CancellationToken.None);
            Assert.Equal(new[] { good, pipe, zero, later }, files);
            var reporter = new CollectingReporter();
            var threads = new CollectingReporter();

            var events = Within(30, () => ReadFull(files, reporter));
            var analyzer = Within(30, () => Analyze(files, threads));

            Assert.Equal(new[] { "a", "d" }, events.Select(e => e.DeviceId));
            Assert.Equal(2, analyzer.EventCount);
            string Why(string kind) => $"is {kind}, not a regular file: it was not read.";
            foreach (var warnings in new[] { reporter.Warnings, threads.Warnings })
            {
                Assert.Equal(2, warnings.Count);
                Assert.Contains($"'{pipe}' {Why("a named pipe (FIFO)")}", warnings);
                Assert.Contains($"'{zero}' {Why("a character device")}", warnings);
            }

            Assert.Empty(reporter.Problems);
        }

        [Fact]
        public void A64MegabyteLine_IsOneTooLongRecord_ReadPastInBoundedMemory()
        {
            using var dir = new TempFolder();
            string file = Path.Combine(dir.Path, "PT1H.json");
            using (var stream = File.Create(file))
            {
                stream.Write(Utf8(Records.Line("2026-11-20T10:00:00Z", "before") + "\n"));
                stream.Write(Utf8("{\"time\":\"2026-11-20T10:00:01Z\",\"junk\":\""));
                var chunk = Enumerable.Repeat((byte)'x', 1 << 20).ToArray();
                for (int i = 0; i < 65; i++) stream.Write(chunk);
                stream.Write(Utf8("\"}\n" + Records.Line("2026-11-20T10:00:02Z", "after") + "\n"));
            }

            var reporter = new CollectingReporter();
            var reader = new ConnectionLogReader(new ConnectionEventFilter(), reporter);
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var events = reader.ReadFiles(new[] { file }, CancellationToken.None).ToList();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

            Assert.Equal(new[] { "before", "after" }, events.Select(e => e.DeviceId));
            var problem = Assert.Single(reporter.Problems);
            Assert.Equal(("LogRecordTooLong", 2L, 1L), (problem.ErrorId, problem.Position!.Line, problem.Position.Column));
            Assert.Contains("longer than 4 MiB", problem.Message);
            Assert.True(allocated < 16 << 20, $"{allocated:N0} bytes allocated to read past a 65 MiB line");
        }

        [Fact]
        public void A64MegabyteFirstRecord_OfADocument_IsReadPast_AndTheRecordsAfterItAreRead()
        {
            // A first line longer than the sniffer's head makes the file a document, read by the splitter.
            using var dir = new TempFolder();
            string file = Path.Combine(dir.Path, "big.json");
            using (var stream = File.Create(file))
            {
                stream.Write(Utf8("{\"time\":\"2026-11-20T10:00:01Z\",\"junk\":[\"{\\\"x\\\":1}\","));
                var chunk = Utf8(string.Concat(Enumerable.Repeat("[{\"a\":\"}]\\\"\"},1],", 1 << 14)));
                for (long written = 0; written < 65L << 20; written += chunk.Length) stream.Write(chunk);
                stream.Write(Utf8("0]}\n" + Records.Line("2026-11-20T10:00:02Z", "after") + "\n" + Records.Line("2026-11-20T10:00:03Z", "last") + "\n"));
            }

            var reporter = new CollectingReporter();
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var events = new ConnectionLogReader(new ConnectionEventFilter(), reporter).ReadFiles(new[] { file }, CancellationToken.None).ToList();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

            Assert.Equal(new[] { "after", "last" }, events.Select(e => e.DeviceId));
            var problem = Assert.Single(reporter.Problems);
            Assert.Equal(("LogRecordTooLong", 1L, 1L), (problem.ErrorId, problem.Position!.Line, problem.Position.Column));
            Assert.True(allocated < 32 << 20, $"{allocated:N0} bytes allocated to read past a 65 MiB record");
        }

        [Fact]
        public void ACsvRowLongerThanTheLimit_IsReadPast_AndTheNextRowsAreRead()
        {
            using var dir = new TempFolder();
            string Row(string time, string device) => $"\"{time}\",deviceDisconnect,Error,\"{{\"\"deviceId\"\":\"\"{device}\"\"}}\"";
            string csv = "TimeGenerated [UTC],OperationName,Level,properties_s\n" + Row("11/20/2026, 1:00:00.000 PM", "a") + "\n"
                + "\"11/20/2026, 1:00:01.000 PM\",deviceDisconnect,Error,\"" + new string('x', ConnectionLogReader.MaxRecordBytes + 10) + "\n"
                + Row("11/20/2026, 1:00:02.000 PM", "c") + "\n";
            var reporter = new CollectingReporter();

            var events = ReadFull(new[] { dir.Write("export.csv", csv) }, reporter);

            Assert.Equal(new[] { "a", "c" }, events.Select(e => e.DeviceId));
            Assert.Equal(("LogRecordTooLong", 3L), (Assert.Single(reporter.Problems).ErrorId, reporter.Problems[0].Position!.Line));
        }

        [Fact]
        public void AFloodOfBadRecords_IsCountedPastTheReportingLimit()
        {
            using var dir = new TempFolder();
            string file = dir.Write("junk.json", "[" + string.Join(",", Enumerable.Repeat("1", ConnectionLogReader.MaxProblemsPerFile + 500)) + "]\n");
            var reporter = new CollectingReporter();
            var reader = new ConnectionLogReader(new ConnectionEventFilter(), reporter);

            Assert.Empty(reader.ReadFiles(new[] { file }, CancellationToken.None).ToList());
            Assert.Equal(ConnectionLogReader.MaxProblemsPerFile, reporter.Problems.Count);
            Assert.Equal(ConnectionLogReader.MaxProblemsPerFile + 500, reader.MalformedRecords);
            Assert.Contains($"more than {ConnectionLogReader.MaxProblemsPerFile} malformed records", Assert.Single(reporter.Warnings));
        }

        public static IEnumerable<object[]> EndlessStreams() => new[]
        {
            new object[] { "valid records, one a line", Records.Line("2026-11-20T10:00:00Z", "d") + "\n", "" },
            new object[] { "one line that never ends", "x", "{" },
            new object[] { "a line of spaces that never ends", " ", "" },
            new object[] { "an array that never closes", Records.Line("2026-11-20T10:00:00Z", "d") + ",\n", "[" },
            new object[] { "one string value that never ends", "x", "[{\"time\":\"" },
            new object[] { "an object nested without end", "{\"a\":[", "[" },
            new object[] { "a CSV quote that never closes", "x", "TimeGenerated [UTC],Level\n\"" },
            new object[] { "CSV rows without end", "\"11/20/2026, 1:00:00 PM\",Error\n", "TimeGenerated [UTC],Level\n" },
        };

        [Theory]
        [MemberData(nameof(EndlessStreams))]
        public void CancellationStops_AReadThatWouldNeverEnd(string what, string pattern, string head)
        {
            using var cancellation = new CancellationTokenSource();
            var reader = new ConnectionLogReader(new ConnectionEventFilter(), new CollectingReporter());
            int events = 0;
            cancellation.CancelAfter(TimeSpan.FromMilliseconds(300));

            var failure = Within(60, () => Record.Exception(() =>
            {
                foreach (var unused in reader.ReadInput("endless.json", () => Utf8Input.FromStream(new EndlessStream(pattern, head)), null, cancellation.Token)) events++;
            }));

            Assert.IsAssignableFrom<OperationCanceledException>(failure);
            Assert.True(what.Length > 0);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        public void CancellationStops_TheAnalysisThreads_InTheMiddleOfAFile(int workers)
        {
            using var dir = new TempFolder();
            string line = Records.Line("2026-11-20T10:00:00Z", "d") + "\n";
            var files = Enumerable.Range(0, 3).Select(i => dir.Write($"f{i}.json", string.Concat(Enumerable.Repeat(line, 2_000)))).ToList();
            using var cancellation = new CancellationTokenSource();
            int seen = 0;
            var reader = new ConnectionLogReader(new ConnectionEventFilter(), new CollectingReporter(), lean: true);

            var failure = Within(60, () => Record.Exception(() => reader.ConsumeFilesInParallel(files, workers, _ => e =>
            {
                Interlocked.Increment(ref seen);
                cancellation.Cancel(); // Ctrl+C while the first file is being read
            }, cancellation.Token)));

            Assert.IsAssignableFrom<OperationCanceledException>(failure);
            Assert.True(seen < 3 * 2_000, $"{seen} events were handed on after the cancellation");
        }
    }
}
