using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>
    /// Reads IoT Hub Connections logs from files in every form users hold them:
    /// the storage-account export (one JSON record a line, PT1H.json), the Event Hubs form
    /// (<c>{"records":[...]}</c>, one a line or pretty-printed), a JSON array of records, and a
    /// Log Analytics portal CSV export. Streams: memory does not grow with the file.
    /// A malformed record is reported (file, line, column) and the rest is read.
    /// </summary>
    public sealed class ConnectionLogReader
    {
        /// <summary>The file endings taken when a folder is searched.</summary>
        public static readonly string[] LogFileExtensions = { ".json", ".jsonl", ".ndjson", ".csv" };

        private const int ProgressActivityId = 41;
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        private readonly ConnectionEventFilter _filter;
        private readonly IReporter _reporter;

        private readonly bool _lean;

        // Kept from file to file: the parser's string cache and the line buffer are large (on the large object
        // heap), and making them anew per file made the GC collect generation 2 again and again.
        private ConnectionRecordParser? _parser;
        private byte[]? _lineBuffer;

        private ConnectionRecordParser Parser => _parser ??= new ConnectionRecordParser(_lean);

        public ConnectionLogReader(ConnectionEventFilter filter, IReporter reporter)
            : this(filter, reporter, lean: false)
        {
        }

        /// <summary>
        /// <paramref name="lean"/>: for the disconnect analysis, which copies what it needs at once. Fields it
        /// does not use are skipped, event objects are reused (valid only until the next one is read), and
        /// <see cref="IoTHubConnectionEvent.Source"/> is not set.
        /// </summary>
        internal ConnectionLogReader(ConnectionEventFilter filter, IReporter reporter, bool lean)
        {
            _filter = filter;
            _reporter = reporter;
            _lean = lean;
        }

        /// <summary>Events read so far, malformed records seen so far (for callers that summarise).</summary>
        public long RecordsRead { get; private set; }

        public long MalformedRecords { get; private set; }

        /// <summary>A file as is; a folder's log files, recursively, in a stable order.</summary>
        public static IEnumerable<string> ExpandPath(string path)
        {
            if (!Directory.Exists(path)) return new[] { path };
            return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => LogFileExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .OrderBy(f => f, StringComparer.Ordinal);
        }

        /// <summary>Reads the files one after the other, with progress by bytes over all of them.</summary>
        public IEnumerable<IoTHubConnectionEvent> ReadFiles(IReadOnlyList<string> files, CancellationToken cancellationToken)
        {
            // Sizes once, up front: the total for progress, and each file's share when it is done.
            long[] sizes = files.Select(SizeOf).ToArray();
            long totalBytes = sizes.Sum();

            long doneBytes = 0;
            var clock = Stopwatch.StartNew();
            var lastReport = TimeSpan.Zero;
            for (int i = 0; i < files.Count; i++)
            {
                string file = files[i];
                _reporter.Verbose($"Reading '{file}'.");
                long baseBytes = doneBytes;
                int fileIndex = i;
                void OnProgress(long position)
                {
                    if (clock.Elapsed - lastReport < ProgressInterval) return;
                    lastReport = clock.Elapsed;
                    long done = baseBytes + position;
                    int percent = totalBytes > 0 ? (int)(done * 100 / totalBytes) : 0;
                    _reporter.Progress(new ProgressReport(ProgressActivityId, "Reading IoT Hub connection logs",
                        $"File {fileIndex + 1} of {files.Count}: {Path.GetFileName(file)} ({FormatBytes(done)} of {FormatBytes(totalBytes)})", percent));
                }

                foreach (var e in ReadFile(file, OnProgress, cancellationToken))
                {
                    yield return e;
                }

                doneBytes += sizes[i];
            }

            _reporter.Progress(new ProgressReport(ProgressActivityId, "Reading IoT Hub connection logs", "Done", 100, completed: true));
        }

        /// <summary>
        /// Reads the files on several threads (one file at a time each), every reader thread handing its
        /// events to its own consumer (<paramref name="consumerForWorker"/>, called once per thread with the
        /// thread's number; consumers must not share state). Only each file's report crosses threads:
        /// problems, verbose lines and progress still reach the reporter on the calling thread.
        /// </summary>
        internal void ConsumeFilesInParallel(IReadOnlyList<string> files, int maxDegreeOfParallelism, Func<int, Action<IoTHubConnectionEvent>> consumerForWorker, CancellationToken cancellationToken)
        {
            int workers = Math.Max(1, Math.Min(maxDegreeOfParallelism, files.Count));
            if (workers == 1)
            {
                var consume = consumerForWorker(0);
                foreach (var e in ReadFiles(files, cancellationToken)) consume(e);
                return;
            }

            long totalBytes = files.Sum(SizeOf);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var queue = new System.Collections.Concurrent.BlockingCollection<FileReport>(boundedCapacity: 4 * workers);
            int nextFile = -1;
            int running = workers;
            Exception? failure = null;
            var threads = new List<Thread>();
            for (int w = 0; w < workers; w++)
            {
                int worker = w;
                var thread = new Thread(() =>
                {
                    try
                    {
                        var consume = consumerForWorker(worker);
                        var collector = new CollectingReporter();
                        var reader = new ConnectionLogReader(_filter, collector, _lean);
                        int index;
                        while ((index = Interlocked.Increment(ref nextFile)) < files.Count && !stop.IsCancellationRequested)
                        {
                            string file = files[index];
                            var report = collector.Target = new FileReport(collector);
                            report.Verbose.Add($"Reading '{file}'.");
                            foreach (var e in reader.ReadFile(file, stop.Token)) consume(e);
                            report.Bytes = SizeOf(file);
                            report.Records = reader.RecordsRead;
                            report.Malformed = reader.MalformedRecords;
                            queue.Add(report, stop.Token);
                        }
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                    }
                    catch (Exception ex)
                    {
                        Interlocked.CompareExchange(ref failure, ex, null);
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
            try
            {
                foreach (var report in queue.GetConsumingEnumerable(cancellationToken))
                {
                    foreach (var message in report.Verbose) _reporter.Verbose(message);
                    foreach (var message in report.Warnings) _reporter.Warning(message);
                    foreach (var problem in report.Problems) _reporter.Problem(problem);
                    doneBytes += report.Bytes;
                    totalsPerWorker[report.Owner] = (report.Records, report.Malformed);
                    int percent = totalBytes > 0 ? (int)(doneBytes * 100 / totalBytes) : 0;
                    _reporter.Progress(new ProgressReport(ProgressActivityId, "Reading IoT Hub connection logs",
                        $"{FormatBytes(doneBytes)} of {FormatBytes(totalBytes)} in {files.Count} files, {workers} at a time", percent));
                }
            }
            finally
            {
                stop.Cancel(); // done, or the caller was stopped: release the readers
                foreach (var thread in threads) thread.Join();
            }

            RecordsRead += totalsPerWorker.Values.Sum(v => v.Records);
            MalformedRecords += totalsPerWorker.Values.Sum(v => v.Malformed);
            if (failure != null) throw new AggregateException("Reading the log files failed: " + failure.Message, failure);
            _reporter.Progress(new ProgressReport(ProgressActivityId, "Reading IoT Hub connection logs", "Done", 100, completed: true));
        }

        private static long SizeOf(string file)
        {
            try
            {
                return new FileInfo(file).Length;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return 0;
            }
        }

        /// <summary>What a reader thread tells the calling thread about one file it read.</summary>
        private sealed class FileReport
        {
            public FileReport(CollectingReporter owner) => Owner = owner;

            public CollectingReporter Owner { get; }

            public List<Problem> Problems { get; } = new List<Problem>();

            public List<string> Verbose { get; } = new List<string>();

            public List<string> Warnings { get; } = new List<string>();

            public long Bytes { get; set; }

            /// <summary>The reader thread's running totals after this file.</summary>
            public long Records { get; set; }

            public long Malformed { get; set; }
        }

        /// <summary>A reader thread's reporter: keeps what it is told in the report of the file being read.</summary>
        private sealed class CollectingReporter : IReporter
        {
            public FileReport? Target { get; set; }

            public void Verbose(string message) => Target?.Verbose.Add(message);

            public void Warning(string message) => Target?.Warnings.Add(message);

            public void Progress(ProgressReport progress) { }

            public void Problem(Problem problem) => Target?.Problems.Add(problem);
        }

        public IEnumerable<IoTHubConnectionEvent> ReadFile(string path, CancellationToken cancellationToken) =>
            ReadFile(path, null, cancellationToken);

        private IEnumerable<IoTHubConnectionEvent> ReadFile(string path, Action<long>? progress, CancellationToken cancellationToken)
        {
            LogFormat format;
            using (var sniff = OpenOrReport(path))
            {
                if (sniff == null) yield break;
                format = DetectFormat(sniff);
            }

            Utf8Input? input = OpenOrReport(path);
            if (input == null) yield break;
            using (input)
            {
                _reporter.Verbose($"'{path}' is {Describe(format)}.");
                IEnumerable<IoTHubConnectionEvent> events = format switch
                {
                    LogFormat.Csv => ReadCsv(path, input, progress, cancellationToken),
                    LogFormat.JsonDocument => ReadJsonDocument(path, input, progress, cancellationToken),
                    LogFormat.Empty => Enumerable.Empty<IoTHubConnectionEvent>(),
                    _ => ReadJsonLines(path, input, progress, cancellationToken),
                };
                foreach (var e in events) yield return e;
            }
        }

        private Utf8Input? OpenOrReport(string path)
        {
            try
            {
                return Utf8Input.Open(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                _reporter.Problem(OpenFailure(path, ex));
                return null;
            }
        }

        /// <summary>What to tell the user when a log file cannot be opened.</summary>
        internal static Problem OpenFailure(string path, Exception ex) => ex switch
        {
            FileNotFoundException or DirectoryNotFoundException =>
                new Problem(ErrorIds.LogFileNotFound, ProblemKind.ObjectNotFound, path, $"Cannot find the log file '{path}'.", ex),
            UnauthorizedAccessException =>
                new Problem(ErrorIds.LogFileUnreadable, ProblemKind.PermissionDenied, path,
                    $"Cannot read the log file '{path}': access is denied. Run as a user who can read it (elevated, or in the file's group), or copy it somewhere readable.", ex),
            _ => new Problem(ErrorIds.LogFileUnreadable, ProblemKind.ReadError, path, $"Cannot read the log file '{path}': {ex.Message}", ex),
        };

        private enum LogFormat
        {
            Empty,
            JsonLines,
            JsonDocument,
            Csv,
        }

        private static string Describe(LogFormat format) => format switch
        {
            LogFormat.Csv => "a Log Analytics CSV export",
            LogFormat.JsonDocument => "a JSON document of records",
            LogFormat.Empty => "empty",
            _ => "JSON lines (one record a line)",
        };

        // Decided from the first bytes: a CSV header, a JSON array, a record or wrapper that ends on its first line
        // (JSON lines) or one that goes on (a pretty-printed document).
        private static LogFormat DetectFormat(Utf8Input input)
        {
            var head = new byte[64 * 1024];
            int n = 0;
            while (n < head.Length)
            {
                int read = input.Stream.Read(head, n, head.Length - n);
                if (read == 0) break;
                n += read;
            }

            int first = 0;
            while (first < n && (head[first] == ' ' || head[first] == '\t' || head[first] == '\r' || head[first] == '\n')) first++;
            if (first == n) return LogFormat.Empty;
            if (head[first] == '[') return LogFormat.JsonDocument;
            if (head[first] != '{')
            {
                return LogFormat.Csv;
            }

            int newline = Array.IndexOf(head, (byte)'\n', first, n - first);
            int lineEnd = newline < 0 ? n : newline;
            if (newline < 0 && n == head.Length) return LogFormat.JsonDocument; // a first line longer than 64 KiB: stream it
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(head, first, lineEnd - first), isFinalBlock: true, default);
            try
            {
                return reader.Read() && reader.TrySkip() && reader.TokenType == JsonTokenType.EndObject
                    ? LogFormat.JsonLines
                    : LogFormat.JsonDocument;
            }
            catch (JsonException)
            {
                // An incomplete first line is a pretty-printed document; a broken one is still read as lines.
                return newline >= 0 && IsLoneOpeningLine(head, first, lineEnd) ? LogFormat.JsonDocument : LogFormat.JsonLines;
            }
        }

        private static bool IsLoneOpeningLine(byte[] head, int from, int to)
        {
            string line = Encoding.UTF8.GetString(head, from, to - from).Trim();
            return line == "{" || line.EndsWith("[", StringComparison.Ordinal) || line.EndsWith("{", StringComparison.Ordinal);
        }

        private IEnumerable<IoTHubConnectionEvent> ReadJsonLines(string path, Utf8Input input, Action<long>? progress, CancellationToken cancellationToken)
        {
            var lines = new Utf8LineReader(input.Stream, _lineBuffer ??= new byte[1 << 20]);
            var parser = Parser;
            var outcomes = new List<RecordOutcome>();
            while (lines.TryReadLine(out var line))
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(input.FilePosition);
                if (IsBlank(line)) continue;
                outcomes.Clear();
                try
                {
                    parser.ParseValue(line.AsSpan(), _filter, outcomes);
                }
                catch (MalformedRecordException ex)
                {
                    ReportMalformed(path, lines.LineNumber, ex.Offset + 1, ex.Message);
                    continue;
                }

                foreach (var outcome in outcomes)
                {
                    if (outcome.Error != null) ReportMalformed(path, lines.LineNumber, outcome.Offset + 1, outcome.Error);
                    else if (outcome.Event != null) yield return Stamp(outcome.Event, path, lines.LineNumber);
                }
            }

            _lineBuffer = lines.Buffer; // keep a buffer that had to grow
        }

        private IEnumerable<IoTHubConnectionEvent> ReadJsonDocument(string path, Utf8Input input, Action<long>? progress, CancellationToken cancellationToken)
        {
            var document = new StreamingRecordSplitter(input.Stream);
            var parser = Parser;
            var outcomes = new List<RecordOutcome>();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                StreamingRecordSplitter.Element element;
                try
                {
                    if (!document.TryReadElement(out element)) break;
                }
                catch (JsonException ex)
                {
                    ReportMalformed(path, (ex.LineNumber ?? 0) + 1, (ex.BytePositionInLine ?? 0) + 1,
                        ConnectionRecordParser.CleanJsonMessage(ex) + " The rest of the file was not read.");
                    yield break;
                }

                progress?.Invoke(input.FilePosition);
                outcomes.Clear();
                try
                {
                    parser.ParseValue(element.Bytes.AsSpan(), _filter, outcomes);
                }
                catch (MalformedRecordException ex)
                {
                    ReportMalformed(path, element.Line, element.Column, ex.Message);
                    continue;
                }

                foreach (var outcome in outcomes)
                {
                    if (outcome.Error != null) ReportMalformed(path, element.Line, element.Column, outcome.Error);
                    else if (outcome.Event != null) yield return Stamp(outcome.Event, path, element.Line);
                }
            }
        }

        private IEnumerable<IoTHubConnectionEvent> ReadCsv(string path, Utf8Input input, Action<long>? progress, CancellationToken cancellationToken)
        {
            // First pass over the time column only: learn the file's day/month order (exports are small).
            CsvColumns? columns;
            ExportTimeParser? timeParser;
            using (var learnInput = Utf8Input.Open(path))
            {
                var learner = new CsvReader(new StreamReader(learnInput.Stream, new UTF8Encoding(false)));
                columns = CsvColumns.FromHeader(learner.ReadRow());
                if (columns == null)
                {
                    _reporter.Problem(new Problem(ErrorIds.UnrecognizedLogFile, ProblemKind.InvalidData, path,
                        $"'{path}' is neither JSON nor a Log Analytics CSV export with a TimeGenerated column; it was skipped.",
                        position: new FilePosition(path, 1, 1)));
                    yield break;
                }

                timeParser = new ExportTimeParser(columns.TimeIsUtc);
                List<string>? row;
                while (!timeParser.DayFirst.HasValue && (row = learner.ReadRow()) != null)
                {
                    if (columns.Time < row.Count) timeParser.Learn(row[columns.Time]);
                }
            }

            if (!columns.TimeIsUtc)
            {
                _reporter.Warning($"The time column of '{path}' is not marked [UTC]; its times are read as this computer's local time.");
            }

            var csv = new CsvReader(new StreamReader(input.Stream, new UTF8Encoding(false)));
            var parser = Parser;
            csv.ReadRow(); // header
            List<string>? fields;
            while ((fields = csv.ReadRow()) != null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(input.FilePosition);
                if (fields.Count == 1 && fields[0].Length == 0) continue;
                long line = csv.RowLine;
                if (csv.UnterminatedQuote)
                {
                    ReportMalformed(path, line, 1, "The row has an unterminated quote (is the file truncated?).");
                    continue;
                }

                IoTHubConnectionEvent e;
                try
                {
                    e = columns.ToEvent(fields, timeParser, parser);
                }
                catch (MalformedRecordException ex)
                {
                    ReportMalformed(path, line, ex.Offset + 1, ex.Message);
                    continue;
                }

                if (_filter.Accepts(e)) yield return Stamp(e, path, line);
            }
        }

        private IoTHubConnectionEvent Stamp(IoTHubConnectionEvent e, string path, long line)
        {
            RecordsRead++;
            if (!_lean) e.Source = path + ":" + line;
            return e;
        }

        private void ReportMalformed(string path, long line, long column, string message)
        {
            MalformedRecords++;
            _reporter.Problem(new Problem(ErrorIds.MalformedLogRecord, ProblemKind.InvalidData, path,
                $"{message} The record was skipped.", position: new FilePosition(path, line, column)));
        }

        private static bool IsBlank(ArraySegment<byte> line)
        {
            for (int i = line.Offset; i < line.Offset + line.Count; i++)
            {
                byte b = line.Array![i];
                if (b != ' ' && b != '\t' && b != '\r') return false;
            }

            return true;
        }

        private static string FormatBytes(long bytes) =>
            bytes >= 1 << 30 ? $"{bytes / (double)(1 << 30):0.0} GB"
            : bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):0.0} MB"
            : $"{bytes / 1024.0:0} KB";
    }
}
