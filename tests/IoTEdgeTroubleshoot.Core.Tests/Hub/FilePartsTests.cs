using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    /// <summary>
    /// Large files of JSON lines read in parts by several threads (ConnectionLogReader.PartBytes): every line read once
    /// and whole wherever the parts are cut, and what a part reports (problems by line, the cap on them) the same as a
    /// whole read of the file says it.
    /// </summary>
    public class FilePartsTests
    {
        // ---- Utf8Input.OpenLines: the parts of a file hold its lines, each once and whole ----

        private static string ReadAll(Stream stream)
        {
            using var copy = new MemoryStream();
            var buffer = new byte[7]; // small reads: a part's end and a line break often fall inside one
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0) copy.Write(buffer, 0, n);
            return Encoding.UTF8.GetString(copy.ToArray());
        }

        [Theory]
        [InlineData("a\nbb\nccc\n")]
        [InlineData("a\r\nbb\r\n\r\nccc")] // CRLF, an empty line, no line break at the end
        [InlineData("\n\n\nx\n\n")] // empty lines only, nearly
        [InlineData("one line without a break, longer than many parts")]
        [InlineData("\uFEFFfirst\nsecond\n")] // a UTF-8 byte order mark: not part of the first line
        public void PartsThatMeet_HoldEveryLineOnceAndWhole_WhereverTheyAreCut(string text)
        {
            using var dir = new TempFolder();
            string file = dir.Write("PT1H.json", text, new UTF8Encoding(false));
            long size = new FileInfo(file).Length;
            string expected = text.TrimStart('\uFEFF');
            for (int parts = 1; parts <= size + 1; parts++)
            {
                var read = new StringBuilder();
                long previousEnd = 0;
                for (int k = 0; k < parts; k++)
                {
                    long start = size * k / parts, end = size * (k + 1) / parts;
                    Assert.Equal(previousEnd, start);
                    previousEnd = end;
                    using var input = Utf8Input.OpenLines(file, start, end);
                    string part = ReadAll(input.Stream);

                    // A part starts where a line starts, and ends with a line break unless the file ends there.
                    if (part.Length > 0)
                    {
                        Assert.True(read.Length == 0 || read[read.Length - 1] == '\n', $"{parts} parts: part {k} starts mid-line: '{part}'");
                        Assert.True(input.LinesStart >= start && (k > 0 || input.LinesStart <= 3), $"{parts} parts: part {k} says its lines start at {input.LinesStart}");
                    }

                    read.Append(part);
                }

                Assert.Equal(expected, read.ToString());
            }
        }

        [Fact]
        public void APartWhoseStartIsTheFirstByteOfALine_StartsWithThatLine()
        {
            using var dir = new TempFolder();
            string file = dir.Write("PT1H.json", "abc\ndef\nghi\n", new UTF8Encoding(false));
            using var input = Utf8Input.OpenLines(file, 4, 8); // "def\n" exactly
            Assert.Equal("def\n", ReadAll(input.Stream));
            Assert.Equal(4, input.LinesStart);
        }

        [Fact]
        public void APartInsideOneLongLine_IsEmpty_AndStopsReadingAtItsEnd()
        {
            // A damaged tail can be one line of hundreds of MB: a part inside it must not read on to that line's end.
            using var dir = new TempFolder();
            string file = dir.Write("PT1H.json", "first\n" + new string('x', 2_000_000) + "\nlast\n", new UTF8Encoding(false));
            using var input = Utf8Input.OpenLines(file, 1_000_000, 1_000_100);
            Assert.Equal(string.Empty, ReadAll(input.Stream));
            Assert.True(input.FilePosition <= 1_000_100 + 7, $"read on to byte {input.FilePosition}");
            Assert.True(input.ReachedEnd);
        }

        [Fact]
        public void LineBreaksAreCountedUpToAnOffset()
        {
            using var dir = new TempFolder();
            string file = dir.Write("PT1H.json", string.Concat(Enumerable.Repeat("x\n", 100_000)), new UTF8Encoding(false));
            Assert.Equal(0, ConnectionLogReader.CountLineBreaks(file, 1, CancellationToken.None));
            Assert.Equal(1, ConnectionLogReader.CountLineBreaks(file, 2, CancellationToken.None));
            Assert.Equal(70_000, ConnectionLogReader.CountLineBreaks(file, 140_000, CancellationToken.None));
            Assert.Equal(100_000, ConnectionLogReader.CountLineBreaks(file, 10_000_000, CancellationToken.None));
        }

        // ---- The read in parts against the whole read ----

        private sealed class ReadResult
        {
            public List<string> Events { get; } = new List<string>();

            public CollectingReporter Reporter { get; } = new CollectingReporter();

            public long Records { get; set; }

            public long Malformed { get; set; }

            public List<string> Problems => Reporter.Problems.Select(p => $"{p.ErrorId} {p.Message}").ToList();
        }

        // Reads the files on two threads, whole (partBytes 0) or in parts of about partBytes.
        private static ReadResult Read(IReadOnlyList<string> files, long partBytes)
        {
            var result = new ReadResult();
            var reader = new ConnectionLogReader(new ConnectionEventFilter(), result.Reporter, lean: true) { PartBytes = partBytes };
            var perWorker = new List<string>[2] { new List<string>(), new List<string>() };

            // Lean events are reused by the next record: what the test compares is copied at once.
            reader.ConsumeFilesInParallel(files, 2, worker => e => perWorker[worker].Add($"{e.DeviceId} {e.TimeGenerated:O} {e.OperationName} {e.ResultType}"), CancellationToken.None);
            result.Events.AddRange(perWorker.SelectMany(w => w).OrderBy(s => s, StringComparer.Ordinal));
            result.Records = reader.RecordsRead;
            result.Malformed = reader.MalformedRecords;
            return result;
        }

        // A storage export with what a damaged one holds: broken records, two records run together, blank lines, CRLF.
        private static string DamagedExport(int records)
        {
            var text = new StringBuilder();
            var t0 = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
            for (int i = 0; i < records; i++)
            {
                string line = Records.Line(t0.AddSeconds(i).ToString("yyyy-MM-ddTHH:mm:ssZ"), "dev-" + (i % 37), i % 2 == 0 ? "deviceConnect" : "deviceDisconnect");
                if (i % 97 == 5) line = line.Substring(0, line.Length / 2); // cut short: malformed
                if (i % 131 == 7) line += Records.Line(t0.AddSeconds(i).AddMilliseconds(500).ToString("yyyy-MM-ddTHH:mm:ss.fffZ"), "glued"); // a line break went missing
                text.Append(line).Append(i % 11 == 3 ? "\r\n" : "\n");
                if (i % 53 == 0) text.Append('\n');
            }

            return text.ToString();
        }

        private static string LogAnalyticsExport(int rows) =>
            "TenantId,TimeGenerated [UTC],ResourceId,Category,ResourceGroup,SubscriptionId,ResourceProvider,Resource,ResourceType,OperationName,ResultType,Level,Location,ResultDescription,properties_s,Type,_ResourceId\r\n"
            + string.Concat(Enumerable.Range(0, rows).Select(i =>
                $"t,\"2026-11-20T00:{i / 60:00}:{i % 60:00}Z\",/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.DEVICES/IOTHUBS/HUBX,Connections,RG,S,MICROSOFT.DEVICES,HUBX,IOTHUBS,deviceDisconnect,404104,Error,westus,DeviceConnectionClosedRemotely,"
                + $"\"{{\"\"deviceId\"\":\"\"d{i}\"\"}}\",AzureDiagnostics,/subscriptions/s\r\n"));

        [Theory]
        [InlineData(97)]
        [InlineData(1_000)]
        [InlineData(64 * 1024)]
        public void AFileReadInParts_GivesTheEventsProblemsAndCountsOfAWholeRead(long partBytes)
        {
            using var dir = new TempFolder();
            var files = new[]
            {
                dir.Write("a/PT1H.json", DamagedExport(2_000), new UTF8Encoding(false)),
                dir.Write("b/PT1H.json", DamagedExport(300), new UTF8Encoding(true)), // with a byte order mark

                // A Log Analytics export of the same hours: the overlap warning must count each split file once.
                dir.Write("c/export.csv", LogAnalyticsExport(20), new UTF8Encoding(true)),
            };

            var whole = Read(files, partBytes: 0);
            var parts = Read(files, partBytes);

            Assert.Contains(parts.Reporter.Verbose, v => v.Contains("part 2 of"));
            Assert.DoesNotContain(whole.Reporter.Verbose, v => v.Contains(" part "));
            Assert.True(whole.Problems.Count > 20, "the export should have damaged records to report");
            Assert.Equal(whole.Events, parts.Events);
            Assert.Equal(whole.Records, parts.Records);
            Assert.Equal(whole.Malformed, parts.Malformed);

            // The problems name the lines they are on in the file, in the file's order, as a whole read does (files may come in either order).
            Assert.Equal(whole.Problems.OrderBy(p => p, StringComparer.Ordinal), parts.Problems.OrderBy(p => p, StringComparer.Ordinal));
            foreach (var file in files)
            {
                Assert.Equal(whole.Problems.Where(p => p.Contains(file)), parts.Problems.Where(p => p.Contains(file)));
            }

            Assert.Contains(whole.Reporter.Warnings, w => w.Contains("a/PT1H.json") && w.Contains("export.csv"));
            Assert.Equal(whole.Reporter.Warnings, parts.Reporter.Warnings);
            Assert.Equal(whole.Reporter.Verbose.Where(v => !v.StartsWith("Reading ")).OrderBy(v => v, StringComparer.Ordinal),
                parts.Reporter.Verbose.Where(v => !v.StartsWith("Reading ")).OrderBy(v => v, StringComparer.Ordinal));
        }

        [Fact]
        public void TheSameFileNamedTwice_IsReadTwiceInParts_AsAWholeReadDoes()
        {
            using var dir = new TempFolder();
            string file = dir.Write("PT1H.json", DamagedExport(1_000), new UTF8Encoding(false));
            var files = new[] { file, file };

            var whole = Read(files, partBytes: 0);
            var parts = Read(files, partBytes: 5_000);

            // The two reads of the file may finish in either order, in a whole read as in parts: compared as sets.
            Assert.Equal(whole.Events, parts.Events);
            Assert.Equal(whole.Problems.OrderBy(p => p, StringComparer.Ordinal), parts.Problems.OrderBy(p => p, StringComparer.Ordinal));
            Assert.Equal(2 * Read(new[] { file }, partBytes: 0).Problems.Count, parts.Problems.Count);
        }

        [Fact]
        public void ProblemsPastTheMostAFileTells_AreCountedOverItsParts_WithOneWarning()
        {
            // 1,500 broken records in parts of about 100 each: each part tells all of its own, the file only the first 1,000.
            using var dir = new TempFolder();
            var text = new StringBuilder();
            for (int i = 0; i < 1_500; i++) text.Append("{\"time\":\"2026-11-20T00:00:00Z\",\"broken\n");
            string file = dir.Write("PT1H.json", text.ToString(), new UTF8Encoding(false));

            var whole = Read(new[] { file }, partBytes: 0);
            var parts = Read(new[] { file }, partBytes: 4_000);

            Assert.Equal(ConnectionLogReader.MaxProblemsPerFile, parts.Problems.Count);
            Assert.Equal(whole.Problems, parts.Problems);
            Assert.Single(parts.Reporter.Warnings, w => w.Contains("more than 1000 malformed records"));
            Assert.Equal(whole.Reporter.Warnings, parts.Reporter.Warnings);
            Assert.Equal(1_500, parts.Malformed);
        }

        [Fact]
        public void OnePartTellingTheMost_AndALaterOneTellingMore_GiveOneWarning()
        {
            // The first part alone has more than the most (its reader warns), the others add more: still one warning.
            using var dir = new TempFolder();
            var text = new StringBuilder();
            for (int i = 0; i < 1_200; i++) text.Append("{\"broken\n");
            for (int i = 0; i < 1_200; i++) text.Append("{\"broken too\n");
            string file = dir.Write("PT1H.json", text.ToString(), new UTF8Encoding(false));

            var parts = Read(new[] { file }, partBytes: 15_000);

            Assert.Equal(ConnectionLogReader.MaxProblemsPerFile, parts.Problems.Count);
            Assert.Single(parts.Reporter.Warnings, w => w.Contains("more than 1000 malformed records"));
            Assert.Equal(Read(new[] { file }, partBytes: 0).Problems, parts.Problems);
        }

        [Fact]
        public void OneLargeFile_IsReadByBothThreads()
        {
            using var dir = new TempFolder();
            string file = dir.Write("PT1H.json", DamagedExport(3_000), new UTF8Encoding(false));
            var reader = new ConnectionLogReader(new ConnectionEventFilter(), new CollectingReporter(), lean: true) { PartBytes = 10_000 };
            var threads = new HashSet<int>();
            var gate = new Barrier(2); // each worker waits for the other once: both must be reading at the same time
            var waited = new bool[2];
            reader.ConsumeFilesInParallel(new[] { file }, 2, worker => e =>
            {
                lock (threads) threads.Add(Environment.CurrentManagedThreadId);
                if (!waited[worker])
                {
                    waited[worker] = true;
                    Assert.True(gate.SignalAndWait(TimeSpan.FromSeconds(30)), "the other reader thread never read a record");
                }
            }, CancellationToken.None);

            Assert.Equal(2, threads.Count);
        }

        // ---- PartsInOrder alone: parts handed in out of order ----

        private static ConnectionLogReader.FileReport PartReport(string file, int number, int of, long lines, bool complete = true, long linesStart = 10, params (string ErrorId, long Line)[] problems)
        {
            var part = new ConnectionLogReader.ReadPart(file, 0, number, of, 0, 0, 0, null);
            var report = new ConnectionLogReader.FileReport(new ConnectionLogReader.CollectingReporter(), part) { Lines = lines, Complete = complete, LinesStart = linesStart };
            report.Verbose.Add($"part {number}");
            foreach (var (errorId, line) in problems)
            {
                report.Problems.Add(new Problem(errorId, ProblemKind.InvalidData, file, $"{errorId} at part line {line}", position: new FilePosition(file, line, 1)));
            }

            return report;
        }

        [Fact]
        public void PartsHandedInOutOfOrder_AreToldInOrder_WithTheFilesLineNumbers()
        {
            var reporter = new CollectingReporter();
            var inOrder = new ConnectionLogReader.PartsInOrder(reporter, new FormOverlap());
            inOrder.Add(PartReport("f", 2, 3, lines: 5, problems: ("MalformedLogRecord", 2)));
            Assert.Empty(reporter.Verbose); // part 2 waits for 0 and 1
            inOrder.Add(PartReport("f", 0, 3, lines: 100, problems: ("MalformedLogRecord", 7)));
            inOrder.Add(PartReport("f", 1, 3, lines: 50, problems: ("LogRecordTooLong", 1)));

            Assert.Equal(new[] { "part 0", "part 1", "part 2" }, reporter.Verbose);
            Assert.Equal(new long[] { 7, 101, 152 }, reporter.Problems.Select(p => p.Position!.Line));
        }

        [Fact]
        public void TheCapCountsMalformedRecordsOnly_ReadErrorsAreAlwaysTold()
        {
            var reporter = new CollectingReporter();
            var inOrder = new ConnectionLogReader.PartsInOrder(reporter, new FormOverlap());
            var malformed = Enumerable.Range(1, ConnectionLogReader.MaxProblemsPerFile).Select(i => ("MalformedLogRecord", (long)i)).ToArray();
            inOrder.Add(PartReport("f", 0, 2, lines: 2_000, problems: malformed));
            inOrder.Add(PartReport("f", 1, 2, lines: 10, problems: new[] { ("LogFileUnreadable", 3L), ("MalformedLogRecord", 4L) }));

            Assert.Equal(ConnectionLogReader.MaxProblemsPerFile + 1, reporter.Problems.Count);
            Assert.Equal("LogFileUnreadable", reporter.Problems.Last().ErrorId);
            Assert.Equal(2_003, reporter.Problems.Last().Position!.Line);
            Assert.Single(reporter.Warnings, w => w.Contains("more than 1000 malformed records"));
        }

        [Fact]
        public void APartThatStoppedEarly_LeavesTheNextPartsLinesToBeCountedInTheFile()
        {
            // Part 1 stopped early (a read error): its line count is short, so part 2's lines are counted from the file.
            using var dir = new TempFolder();
            string file = dir.Write("PT1H.json", string.Concat(Enumerable.Repeat("line\n", 40)), new UTF8Encoding(false));
            var reporter = new CollectingReporter();
            var inOrder = new ConnectionLogReader.PartsInOrder(reporter, new FormOverlap());
            inOrder.Add(PartReport(file, 0, 3, lines: 10));
            inOrder.Add(PartReport(file, 1, 3, lines: 2, complete: false));
            inOrder.Add(PartReport(file, 2, 3, lines: 10, linesStart: 25 * 5, problems: ("MalformedLogRecord", 3))); // its first line is the file's 26th

            Assert.Equal(28, Assert.Single(reporter.Problems).Position!.Line);
        }

        [Fact]
        public void WhenTheLinesCannotBeCounted_AProblemNamesNoLine()
        {
            var reporter = new CollectingReporter();
            var inOrder = new ConnectionLogReader.PartsInOrder(reporter, new FormOverlap());
            string gone = Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N"), "PT1H.json");
            inOrder.Add(PartReport(gone, 0, 2, lines: 10, complete: false));
            inOrder.Add(PartReport(gone, 1, 2, lines: 10, problems: ("MalformedLogRecord", 3)));

            var problem = Assert.Single(reporter.Problems);
            Assert.Null(problem.Position);
            Assert.StartsWith("MalformedLogRecord at part line 3", problem.Message);
        }

        [Theory]
        [InlineData("csv")]
        [InlineData("utf16")]
        [InlineData("document")]
        public void FilesOfOtherLayouts_AreReadWhole(string layout)
        {
            using var dir = new TempFolder();
            string line = Records.Line("2026-11-20T10:00:00Z", "d1");
            string file = layout switch
            {
                "csv" => dir.Write("export.csv", LogAnalyticsExport(100)), // a row's quoted properties could hold a line break: never cut
                "utf16" => dir.Write("PT1H.json", string.Concat(Enumerable.Repeat(line + "\n", 50)), Encoding.Unicode),
                _ => dir.Write("records.json", "{\"records\":[\n" + string.Join(",\n", Enumerable.Repeat(line, 50)) + "\n]}\n"),
            };

            var whole = Read(new[] { file }, partBytes: 0);
            var parts = Read(new[] { file }, partBytes: 500);

            Assert.DoesNotContain(parts.Reporter.Verbose, v => v.Contains(" part "));
            Assert.NotEmpty(parts.Events);
            Assert.Equal(whole.Events, parts.Events);
            Assert.Equal(whole.Problems, parts.Problems);
        }
    }
}
