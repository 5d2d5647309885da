using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>The analysis' read: files on several threads, each thread with its own reader and consumer.</summary>
    public sealed partial class ConnectionLogReader
    {
        /// <summary>
        /// Reads the files on several threads (a file, or a part of a large one, at a time each: <see cref="PlanParts"/>), every reader thread handing its
        /// events to its own consumer (<paramref name="consumerForWorker"/>, called once per thread with the
        /// thread's number; consumers run at the same time: whatever they share, they must guard). Only each file's report crosses threads:
        /// problems, verbose lines and progress still reach the reporter on the calling thread. A consumer
        /// that fails ends the read with a <see cref="TroubleshootException"/> (<see cref="ErrorIds.LogReadFailed"/>)
        /// naming the file, never with the worker's raw exception.
        /// </summary>
        internal void ConsumeFilesInParallel(IReadOnlyList<string> files, int maxDegreeOfParallelism, Func<int, Action<IoTHubConnectionEvent>> consumerForWorker, CancellationToken cancellationToken)
        {
            var parts = PlanParts(files, maxDegreeOfParallelism);
            int workers = Math.Max(1, Math.Min(maxDegreeOfParallelism, parts.Count));
            if (workers == 1)
            {
                var consume = consumerForWorker(0);
                EventSink = consume;
                try
                {
                    foreach (var e in ReadFiles(files, cancellationToken)) consume(e);
                }
                catch (Exception ex) when (IsDefect(ex))
                {
                    throw ReadFailed(_currentFile ?? string.Empty, ex);
                }
                finally
                {
                    EventSink = null;
                }

                return;
            }

            long allBytes = parts.Sum(p => p.Bytes); // the sizes PlanParts asked the file system for
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var queue = new System.Collections.Concurrent.BlockingCollection<FileReport>(boundedCapacity: 4 * workers);
            int nextPart = -1;
            int running = workers;
            Exception? failure = null;
            string? failedFile = null;
            var threads = new List<Thread>();
            for (int w = 0; w < workers; w++)
            {
                int worker = w;
                var thread = new Thread(() =>
                {
                    string? file = null;
                    try
                    {
                        var consume = consumerForWorker(worker);
                        var collector = new CollectingReporter();
                        var reader = new ConnectionLogReader(_filter, collector, _lean) { EventSink = consume, DeviceKeys = DeviceKeys };
                        int index;
                        while ((index = Interlocked.Increment(ref nextPart)) < parts.Count && !stop.IsCancellationRequested)
                        {
                            var part = parts[index];
                            file = part.File;
                            var report = collector.Target = new FileReport(collector, part);
                            reader.LastFileCoverage = null;
                            if (part.IsWholeFile)
                            {
                                report.Verbose.Add($"Reading '{file}'.");
                                foreach (var e in reader.ReadFileGuarded(file, null, stop.Token)) consume(e);
                            }
                            else
                            {
                                report.Verbose.Add($"Reading '{file}', part {part.Number + 1} of {part.Of} (the lines that start in bytes {part.Start:N0} to {part.End - 1:N0}).");
                                if (part.Number == 0) report.Verbose.Add(LayoutMessage(file, part.Layout!.Value.Format));
                                foreach (var e in reader.Guard(file, reader.ReadInput(file, () => Utf8Input.OpenLines(file, part.Start, part.End), null, stop.Token, part.Layout))) consume(e);
                                report.LinesStart = reader.LastLinesStart;
                                report.Lines = reader.LastLineCount;
                                report.Complete = reader.LastInputComplete;
                            }

                            report.Bytes = part.Bytes;
                            report.Records = reader.RecordsRead;
                            report.Malformed = reader.MalformedRecords;
                            report.Coverage = reader.LastFileCoverage;
                            queue.Add(report, stop.Token);
                        }
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                    }
                    catch (Exception ex)
                    {
                        if (Interlocked.CompareExchange(ref failure, ex, null) == null) failedFile = file;
                        stop.Cancel();
                    }
                    finally
                    {
                        if (Interlocked.Decrement(ref running) == 0) queue.CompleteAdding();
                    }
                })
                {
                    IsBackground = true,
                    Name = "IoTEdgeTroubleshoot log reader " + w,
                };
                threads.Add(thread);
                thread.Start();
            }

            long doneBytes = 0;
            var totalsPerWorker = new Dictionary<CollectingReporter, (long Records, long Malformed)>();
            var overlap = new FormOverlap();
            var partsInOrder = new PartsInOrder(_reporter, overlap);
            try
            {
                foreach (var report in queue.GetConsumingEnumerable(cancellationToken))
                {
                    if (report.Part.IsWholeFile)
                    {
                        foreach (var message in report.Verbose) _reporter.Verbose(message);
                        foreach (var message in report.Warnings) _reporter.Warning(message);
                        foreach (var problem in report.Problems) _reporter.Problem(problem);
                        overlap.Add(report.Coverage);
                    }
                    else
                    {
                        partsInOrder.Add(report);
                    }

                    doneBytes += report.Bytes;
                    totalsPerWorker[report.Owner] = (report.Records, report.Malformed);
                    int percent = allBytes > 0 ? (int)(doneBytes * 100 / allBytes) : 0;
                    _reporter.Progress(new ProgressReport(ProgressActivityId, "Reading IoT Hub connection logs",
                        $"{FormatBytes(doneBytes)} of {FormatBytes(allBytes)} in {files.Count} files, {workers} at a time", percent));
                }
            }
            finally
            {
                stop.Cancel(); // done, or the caller was stopped: release the readers
                foreach (var thread in threads) thread.Join();
            }

            RecordsRead += totalsPerWorker.Values.Sum(v => v.Records);
            MalformedRecords += totalsPerWorker.Values.Sum(v => v.Malformed);
            if (failure is TroubleshootException known) ExceptionDispatchInfo.Capture(known).Throw();
            if (failure != null) throw ReadFailed(failedFile ?? string.Empty, failure);
            cancellationToken.ThrowIfCancellationRequested(); // the readers stopped early: never pass that off as the whole
            if (overlap.Warning() is string warning) _reporter.Warning(warning);
            _reporter.Progress(new ProgressReport(ProgressActivityId, "Reading IoT Hub connection logs", "Done", 100, completed: true));
        }

        /// <summary>
        /// Past this size a file of JSON lines is read in parts of about this size, each by whichever reader thread is free:
        /// the threads then finish together whatever the files' sizes (a day's 24 hourly exports of a large hub are about
        /// 27 MB each, so the last one read alone would leave a core idle for most of it), and a single large export is read
        /// by every thread, not one. A part costs an open and a seek. Lower in tests, to put part boundaries everywhere.
        /// </summary>
        internal long PartBytes { get; set; } = DefaultPartBytes;

        internal const long DefaultPartBytes = 16L << 20;

        /// <summary>
        /// The reads to share out: each file whole, except files of JSON lines in UTF-8 longer than <see cref="PartBytes"/>
        /// (the storage export's PT1H.json), which are cut into parts at byte offsets; a part holds the lines that start in it
        /// (<see cref="Utf8Input.OpenLines"/>). Other layouts are read whole: a CSV row or a JSON document's record can span
        /// lines, and a UTF-16 file's bytes are not its text's. One thread alone reads every file whole.
        /// </summary>
        private List<ReadPart> PlanParts(IReadOnlyList<string> files, int maxDegreeOfParallelism)
        {
            var parts = new List<ReadPart>(files.Count);
            for (int index = 0; index < files.Count; index++)
            {
                string file = files[index];
                long size = SizeOf(file);
                long count = maxDegreeOfParallelism > 1 && PartBytes > 0 && size > PartBytes ? (size + PartBytes - 1) / PartBytes : 1;
                var layout = count > 1 ? LinesLayoutOf(file) : null;
                if (layout == null)
                {
                    parts.Add(new ReadPart(file, index, 0, 1, 0, size, size, null));
                    continue;
                }

                for (long k = 0; k < count; k++)
                {
                    long start = size * k / count, end = size * (k + 1) / count;
                    parts.Add(new ReadPart(file, index, (int)k, (int)count, start, end, end - start, layout));
                }
            }

            return parts;
        }

        /// <summary>The layout and form of a UTF-8 file of JSON lines, read from its start; null for anything else, or a file that cannot be read (its whole read then reports why).</summary>
        private static (LogFormat Format, LogForm Form)? LinesLayoutOf(string file)
        {
            if (LogFileFinder.NotRegular(file) != null) return null;
            try
            {
                using var input = Utf8Input.Open(file);
                if (!input.IsFileBytes) return null; // UTF-16, re-encoded as it is read
                var layout = LogFormatSniffer.Detect(input.Peek(LogFormatSniffer.HeadLength));
                return layout.Format == LogFormat.JsonLines ? layout : null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>How many line breaks the file has in its first <paramref name="length"/> bytes.</summary>
        internal static long CountLineBreaks(string file, long length, CancellationToken cancellationToken)
        {
            long count = 0;
            var buffer = new byte[1 << 16];
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            long left = length;
            while (left > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (n == 0) break;
                left -= n;
                var rest = new ReadOnlySpan<byte>(buffer, 0, n);
                int at;
                while ((at = ByteScan.IndexOf(rest, (byte)'\n')) >= 0)
                {
                    count++;
                    rest = rest.Slice(at + 1);
                }
            }

            return count;
        }

        /// <summary>
        /// The parts of split files, passed on to the caller's reporter in file order whatever order they were read in, so
        /// that a file's problems come by line, and name the lines they are on, as from a whole read; at most
        /// <see cref="MaxProblemsPerFile"/> malformed records told per file, with one warning past that (each part's reader
        /// counts only its own); and one time span per file for <see cref="FormOverlap"/>.
        /// </summary>
        internal sealed class PartsInOrder
        {
            private readonly IReporter _reporter;
            private readonly FormOverlap _overlap;
            private readonly Dictionary<int, FileState> _files = new Dictionary<int, FileState>();

            public PartsInOrder(IReporter reporter, FormOverlap overlap)
            {
                _reporter = reporter;
                _overlap = overlap;
            }

            public void Add(FileReport report)
            {
                var part = report.Part;
                if (!_files.TryGetValue(part.FileIndex, out var state)) _files[part.FileIndex] = state = new FileState();
                state.Waiting.Add(part.Number, report);
                while (state.Waiting.TryGetValue(state.Next, out var next))
                {
                    state.Waiting.Remove(state.Next);
                    state.Next++;
                    Tell(next, state);
                    if (state.Next == part.Of)
                    {
                        if (state.Coverage != null) _overlap.Add(state.Coverage);
                        _files.Remove(part.FileIndex); // the file is done
                    }
                }
            }

            private void Tell(FileReport report, FileState state)
            {
                string file = report.Part.File;
                long? before = LinesBefore(report, state);
                state.LinesBefore = state.AllCounted ? state.LinesBefore + report.Lines : 0;
                state.AllCounted &= report.Complete;

                foreach (var message in report.Verbose) _reporter.Verbose(message);
                string tooMany = TooManyProblems(file);
                foreach (var message in report.Warnings)
                {
                    if (message != tooMany) _reporter.Warning(message); // said once for the file, below
                }

                foreach (var problem in report.Problems)
                {
                    // A part's problem names a line counted from the part's first line: moved to the file's.
                    var told = before is long lines ? problem.LinesLater(lines) : problem.WithoutPosition();
                    if (problem.ErrorId != ErrorIds.MalformedLogRecord && problem.ErrorId != ErrorIds.LogRecordTooLong)
                    {
                        _reporter.Problem(told); // read errors and defects are always told, as in a whole read
                    }
                    else if (++state.Malformed <= MaxProblemsPerFile)
                    {
                        _reporter.Problem(told);
                    }
                    else if (!state.Warned)
                    {
                        _reporter.Warning(tooMany);
                        state.Warned = true;
                    }
                }

                // A part that stopped telling its malformed records had more than the most: so has the file.
                if (!state.Warned && report.Warnings.Contains(tooMany))
                {
                    _reporter.Warning(tooMany);
                    state.Warned = true;
                }

                if (report.Coverage is { IsEmpty: false } coverage)
                {
                    state.Coverage ??= new FileCoverage(file, coverage.Form);
                    state.Coverage.Add(coverage.MinTicks);
                    state.Coverage.Add(coverage.MaxTicks);
                }
            }

            // How many lines the file has before the part: the parts before it read to their ends say so; when one of them
            // stopped early, the line breaks before the part are counted (null when that fails too: no line is named then).
            private static long? LinesBefore(FileReport report, FileState state)
            {
                if (report.Part.Number == 0) return 0;
                if (state.AllCounted) return state.LinesBefore;
                if (report.LinesStart < 0 || !report.Problems.Exists(p => p.Position != null)) return null;
                try
                {
                    return CountLineBreaks(report.Part.File, report.LinesStart, CancellationToken.None);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    return null;
                }
            }

            private sealed class FileState
            {
                public int Next;
                public long LinesBefore;
                public bool AllCounted = true;
                public long Malformed;
                public bool Warned;
                public FileCoverage? Coverage;
                public readonly SortedDictionary<int, FileReport> Waiting = new SortedDictionary<int, FileReport>();
            }
        }

        /// <summary>One reader thread's piece of work: a whole file, or part <see cref="Number"/> of <see cref="Of"/> of one.</summary>
        internal sealed class ReadPart
        {
            public ReadPart(string file, int fileIndex, int number, int of, long start, long end, long bytes, (LogFormat Format, LogForm Form)? layout)
            {
                File = file;
                FileIndex = fileIndex;
                Number = number;
                Of = of;
                Start = start;
                End = end;
                Bytes = bytes;
                Layout = layout;
            }

            public string File { get; }

            /// <summary>Its place in the files given: the same file named twice is read twice, as a whole read does.</summary>
            public int FileIndex { get; }

            public int Number { get; }

            public int Of { get; }

            public bool IsWholeFile => Of == 1;

            /// <summary>The bytes whose lines this part reads: those that start in [Start, End).</summary>
            public long Start { get; }

            public long End { get; }

            /// <summary>Its share of the files' bytes, for the progress.</summary>
            public long Bytes { get; }

            /// <summary>The file's layout and form, found from its start (a part may start anywhere).</summary>
            public (LogFormat Format, LogForm Form)? Layout { get; }
        }

        /// <summary>What a reader thread tells the calling thread about one file, or one part of one, it read.</summary>
        internal sealed class FileReport
        {
            public FileReport(CollectingReporter owner, ReadPart part)
            {
                Owner = owner;
                Part = part;
            }

            public CollectingReporter Owner { get; }

            public ReadPart Part { get; }

            public List<Problem> Problems { get; } = new List<Problem>();

            public List<string> Verbose { get; } = new List<string>();

            public List<string> Warnings { get; } = new List<string>();

            public long Bytes { get; set; }

            /// <summary>The reader thread's running totals after this file.</summary>
            public long Records { get; set; }

            public long Malformed { get; set; }

            public FileCoverage? Coverage { get; set; }

            /// <summary>A part's: where its first line starts in the file (-1: none), its lines, whether it was read to its end.</summary>
            public long LinesStart { get; set; } = -1;

            public long Lines { get; set; }

            public bool Complete { get; set; } = true;
        }

        /// <summary>A reader thread's reporter: keeps what it is told in the report of the file being read.</summary>
        internal sealed class CollectingReporter : IReporter
        {
            public FileReport? Target { get; set; }

            public void Verbose(string message) => Target?.Verbose.Add(message);

            public void Warning(string message) => Target?.Warnings.Add(message);

            public void Progress(ProgressReport progress) { }

            public void Problem(Problem problem) => Target?.Problems.Add(problem);
        }
    }
}
