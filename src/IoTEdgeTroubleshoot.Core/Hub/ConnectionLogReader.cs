using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>
    /// Reads IoT Hub Connections logs from files in every form users hold them:
    /// the storage-account export (one JSON record a line, PT1H.json), the Event Hubs form
    /// (<c>{"records":[...]}</c>, one a line or pretty-printed), a JSON array of records, and a
    /// Log Analytics portal CSV export. Streams: memory does not grow with the file.
    /// A malformed record is reported (file, line, column) and the rest is read; so is a record
    /// longer than <see cref="MaxRecordBytes"/>, a file that cannot be read, or one the reader
    /// itself fails on: the other files are read.
    /// </summary>
    public sealed class ConnectionLogReader
    {
        /// <summary>The file endings taken when a folder is searched.</summary>
        public static readonly string[] LogFileExtensions = { ".json", ".jsonl", ".ndjson", ".csv" };

        /// <summary>
        /// The longest record kept: a line of JSON lines, a record of a JSON document, a CSV row. A hub record
        /// is about a kilobyte, and the longest line an export writes is an Event Hubs batch, which the Event
        /// Hubs event size limit holds to 1 MB: 4 MiB leaves that room four times over, while a file without a
        /// line break (or an endless stream) costs at most 4 MiB a reader thread, not all memory.
        /// </summary>
        public const int MaxRecordBytes = 4 * 1024 * 1024;

        /// <summary>
        /// Malformed records reported one by one in a file; past it they are counted, and one warning says so.
        /// A damaged or hostile file can hold millions, and an error record each would swamp the session.
        /// </summary>
        public const int MaxProblemsPerFile = 1000;

        private const int ProgressActivityId = 41;
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        // CSV text is decoded with a mark for bytes that are not UTF-8 (a noncharacter, never in a real export),
        // so that the row holding them is reported, not read with replacement characters.
        private const char NotUtf8Mark = '\uFFFF';
        private static readonly Encoding CsvEncoding = CreateCsvEncoding();

        private readonly ConnectionEventFilter _filter;
        private readonly IReporter _reporter;

        private readonly bool _lean;

        // Kept from file to file: the parser's string cache and the line buffer are large (on the large object
        // heap), and making them anew per file made the GC collect generation 2 again and again.
        private ConnectionRecordParser? _parser;
        private byte[]? _lineBuffer;
        private FileCoverage? _coverage;
        private string? _currentFile;
        private int _problemsInFile;

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

        /// <summary>The form and time span of the last file read, for <see cref="FormOverlap"/>.</summary>
        internal FileCoverage? LastFileCoverage { get; private set; }

        /// <summary>
        /// A file as is; a folder's log files, recursively, in a stable order: <see cref="LogFileFinder.Find"/>
        /// for callers with nothing to report to (tools, tests). Commands use Find, which reports.
        /// </summary>
        public static IEnumerable<string> ExpandPath(string path) => LogFileFinder.Find(path, NullReporter.Instance, CancellationToken.None);

        /// <summary>Reads the files one after the other, with progress by bytes over all of them.</summary>
        public IEnumerable<IoTHubConnectionEvent> ReadFiles(IReadOnlyList<string> files, CancellationToken cancellationToken)
        {
            // Sizes once, up front: the total for progress, and each file's share when it is done.
            long[] sizes = files.Select(SizeOf).ToArray();
            long totalBytes = sizes.Sum();
            var overlap = new FormOverlap();

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

                LastFileCoverage = null;
                _currentFile = file;
                foreach (var e in ReadFileGuarded(file, OnProgress, cancellationToken))
                {
                    yield return e;
                }

                overlap.Add(LastFileCoverage);
                doneBytes += sizes[i];
            }

            if (overlap.Warning() is string warning) _reporter.Warning(warning);
            _reporter.Progress(new ProgressReport(ProgressActivityId, "Reading IoT Hub connection logs", "Done", 100, completed: true));
        }

        /// <summary>
        /// Reads the files on several threads (one file at a time each), every reader thread handing its
        /// events to its own consumer (<paramref name="consumerForWorker"/>, called once per thread with the
        /// thread's number; consumers must not share state). Only each file's report crosses threads:
        /// problems, verbose lines and progress still reach the reporter on the calling thread. A consumer
        /// that fails ends the read with a <see cref="TroubleshootException"/> (<see cref="ErrorIds.LogReadFailed"/>)
        /// naming the file, never with the worker's raw exception.
        /// </summary>
        internal void ConsumeFilesInParallel(IReadOnlyList<string> files, int maxDegreeOfParallelism, Func<int, Action<IoTHubConnectionEvent>> consumerForWorker, CancellationToken cancellationToken)
        {
            int workers = Math.Max(1, Math.Min(maxDegreeOfParallelism, files.Count));
            if (workers == 1)
            {
                var consume = consumerForWorker(0);
                try
                {
                    foreach (var e in ReadFiles(files, cancellationToken)) consume(e);
                }
                catch (Exception ex) when (IsDefect(ex))
                {
                    throw ReadFailed(_currentFile ?? string.Empty, ex);
                }

                return;
            }

            long totalBytes = files.Sum(SizeOf);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var queue = new System.Collections.Concurrent.BlockingCollection<FileReport>(boundedCapacity: 4 * workers);
            int nextFile = -1;
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
                        var reader = new ConnectionLogReader(_filter, collector, _lean);
                        int index;
                        while ((index = Interlocked.Increment(ref nextFile)) < files.Count && !stop.IsCancellationRequested)
                        {
                            file = files[index];
                            var report = collector.Target = new FileReport(collector);
                            report.Verbose.Add($"Reading '{file}'.");
                            reader.LastFileCoverage = null;
                            foreach (var e in reader.ReadFileGuarded(file, null, stop.Token)) consume(e);
                            report.Bytes = SizeOf(file);
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
            try
            {
                foreach (var report in queue.GetConsumingEnumerable(cancellationToken))
                {
                    foreach (var message in report.Verbose) _reporter.Verbose(message);
                    foreach (var message in report.Warnings) _reporter.Warning(message);
                    foreach (var problem in report.Problems) _reporter.Problem(problem);
                    doneBytes += report.Bytes;
                    totalsPerWorker[report.Owner] = (report.Records, report.Malformed);
                    overlap.Add(report.Coverage);
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
            if (failure is TroubleshootException known) ExceptionDispatchInfo.Capture(known).Throw();
            if (failure != null) throw ReadFailed(failedFile ?? string.Empty, failure);
            cancellationToken.ThrowIfCancellationRequested(); // the readers stopped early: never pass that off as the whole
            if (overlap.Warning() is string warning) _reporter.Warning(warning);
            _reporter.Progress(new ProgressReport(ProgressActivityId, "Reading IoT Hub connection logs", "Done", 100, completed: true));
        }

        private static long SizeOf(string file) => Math.Max(0, LogFileFinder.LengthOf(file));

        /// <summary>A failure that is no problem with the data but a defect: reported as one, never as a raw exception.</summary>
        private static bool IsDefect(Exception ex) => !(ex is OperationCanceledException) && !(ex is OutOfMemoryException) && !(ex is TroubleshootException);

        private static TroubleshootException ReadFailed(string file, Exception ex) =>
            new TroubleshootException(ErrorIds.LogReadFailed, ProblemKind.InvalidOperation, file,
                $"Reading the connection logs failed at '{file}': {ex.GetType().Name}: {ex.Message} This is a defect of IoTEdgeTroubleshoot: please report it (with the file, if you can share it).", ex);

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

            public FileCoverage? Coverage { get; set; }
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

        private IEnumerable<IoTHubConnectionEvent> ReadFileGuarded(string path, Action<long>? progress, CancellationToken cancellationToken) =>
            Guard(path, ReadFile(path, progress, cancellationToken));

        /// <summary>
        /// The events of one file; a defect in reading them (an exception the readers do not expect) becomes that
        /// file's <see cref="ErrorIds.LogReadFailed"/> problem, and the other files are still read.
        /// </summary>
        internal IEnumerable<IoTHubConnectionEvent> Guard(string path, IEnumerable<IoTHubConnectionEvent> fileEvents)
        {
            using var events = fileEvents.GetEnumerator();
            while (true)
            {
                bool more;
                try
                {
                    more = events.MoveNext();
                }
                catch (Exception ex) when (IsDefect(ex))
                {
                    var failure = ReadFailed(path, ex);
                    _reporter.Problem(new Problem(failure.ErrorId, failure.Kind, path, failure.Message + " The other files are read.", ex));
                    yield break;
                }

                if (!more) yield break;
                yield return events.Current;
            }
        }

        private IEnumerable<IoTHubConnectionEvent> ReadFile(string path, Action<long>? progress, CancellationToken cancellationToken)
        {
            // A named pipe could block the read for ever, a device such as /dev/zero never ends: neither is opened.
            if (LogFileFinder.NotRegular(path) is string why)
            {
                _reporter.Warning($"'{path}' {why}: it was not read.");
                return Enumerable.Empty<IoTHubConnectionEvent>();
            }

            return ReadInput(path, () => Utf8Input.Open(path), progress, cancellationToken);
        }

        /// <summary>Reads what <paramref name="open"/> opens (a file, or a stream in tests) as the log file <paramref name="path"/>.</summary>
        internal IEnumerable<IoTHubConnectionEvent> ReadInput(string path, Func<Utf8Input> open, Action<long>? progress, CancellationToken cancellationToken)
        {
            _problemsInFile = 0;
            Utf8Input? input = OpenOrReport(path, open);
            if (input == null) yield break;
            using (input)
            {
                (LogFormat format, LogForm form) sniffed;
                try
                {
                    sniffed = LogFormatSniffer.Detect(input.Peek(LogFormatSniffer.HeadLength));
                }
                catch (IOException ex)
                {
                    _reporter.Problem(OpenFailure(path, ex));
                    yield break;
                }

                _reporter.Verbose($"'{path}' is {LogFormatSniffer.Describe(sniffed.format)}.");
                _coverage = new FileCoverage(path, sniffed.form);
                IEnumerable<IoTHubConnectionEvent> events = sniffed.format switch
                {
                    LogFormat.Csv => ReadCsv(path, input, open, progress, cancellationToken),
                    LogFormat.JsonDocument => ReadJsonDocument(path, input, progress, cancellationToken),
                    LogFormat.Empty => Enumerable.Empty<IoTHubConnectionEvent>(),
                    _ => ReadJsonLines(path, input, progress, cancellationToken),
                };
                foreach (var e in events) yield return e;
                LastFileCoverage = _coverage;
            }
        }

        private Utf8Input? OpenOrReport(string path, Func<Utf8Input> open)
        {
            try
            {
                return open();
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

        // An I/O error in the middle of a file (a disk error, a network share gone): the file's problem.
        private void ReportReadFailure(string path, long line, IOException ex)
        {
            _reporter.Problem(new Problem(ErrorIds.LogFileUnreadable, ProblemKind.ReadError, path,
                $"Reading stopped: {ex.Message} The rest of the file was not read.", ex, new FilePosition(path, Math.Max(1, line), 1)));
        }

        private IEnumerable<IoTHubConnectionEvent> ReadJsonLines(string path, Utf8Input input, Action<long>? progress, CancellationToken cancellationToken)
        {
            var lines = new Utf8LineReader(input.Stream, _lineBuffer ??= new byte[1 << 20], MaxRecordBytes, cancellationToken);
            var parser = Parser;
            var outcomes = new List<RecordOutcome>();
            while (NextLine(lines, path, out var line))
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(input.FilePosition);
                if (lines.LineTooLong)
                {
                    ReportTooLong(path, lines.LineNumber, 1, $"The line is longer than {MaxRecordBytes / (1024 * 1024)} MiB, the most a record may have; it was read past, not kept.");
                    continue;
                }

                if (IsBlank(line)) continue;
                outcomes.Clear();
                bool broken = false;
                try
                {
                    parser.ParseValue(line.AsSpan(), _filter, outcomes);
                }
                catch (MalformedRecordException)
                {
                    broken = true;
                }

                if (broken)
                {
                    // Not one whole value: split the line as a document is split, so that the records the damage
                    // spared (in a batch, or after a line break that went missing) are read and the rest reported.
                    foreach (var e in ReadBrokenLine(path, line, lines.LineNumber, cancellationToken)) yield return e;
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

        private bool NextLine(Utf8LineReader lines, string path, out ArraySegment<byte> line)
        {
            try
            {
                return lines.TryReadLine(out line);
            }
            catch (IOException ex)
            {
                ReportReadFailure(path, lines.LineNumber + 1, ex);
                line = default;
                return false;
            }
        }

        // Only for broken lines: whole ones are parsed in one go.
        private IEnumerable<IoTHubConnectionEvent> ReadBrokenLine(string path, ArraySegment<byte> line, long lineNumber, CancellationToken cancellationToken)
        {
            var splitter = new StreamingRecordSplitter(new MemoryStream(line.Array!, line.Offset, line.Count, writable: false), 1 << 16, MaxRecordBytes, cancellationToken);
            foreach (var e in ReadElements(path, splitter, null, null, lineNumber - 1, cancellationToken)) yield return e;
        }

        private IEnumerable<IoTHubConnectionEvent> ReadJsonDocument(string path, Utf8Input input, Action<long>? progress, CancellationToken cancellationToken)
        {
            var splitter = new StreamingRecordSplitter(input.Stream, 1 << 20, MaxRecordBytes, cancellationToken);
            return ReadElements(path, splitter, input, progress, 0, cancellationToken);
        }

        // The records a splitter cuts out, each parsed; its problems reported. lineOffset: where its text starts in the file.
        private IEnumerable<IoTHubConnectionEvent> ReadElements(string path, StreamingRecordSplitter splitter, Utf8Input? input, Action<long>? progress,
            long lineOffset, CancellationToken cancellationToken)
        {
            var parser = Parser;
            var outcomes = new List<RecordOutcome>();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                StreamingRecordSplitter.Element element;
                try
                {
                    if (!splitter.TryReadElement(out element)) break;
                }
                catch (IOException ex)
                {
                    ReportReadFailure(path, lineOffset + 1, ex);
                    yield break;
                }

                if (input != null) progress?.Invoke(input.FilePosition);
                long line = lineOffset + element.Line;
                if (element.Error != null)
                {
                    if (element.TooLong) ReportTooLong(path, line, element.Column, element.Error);
                    else ReportMalformed(path, line, element.Column, element.Error);
                    continue;
                }

                outcomes.Clear();
                try
                {
                    parser.ParseValue(element.Bytes.AsSpan(), _filter, outcomes);
                }
                catch (MalformedRecordException ex)
                {
                    var at = PositionIn(element, ex.Offset);
                    ReportMalformed(path, lineOffset + at.Line, at.Column, ex.Message);
                    continue;
                }

                foreach (var outcome in outcomes)
                {
                    if (outcome.Error != null)
                    {
                        var at = PositionIn(element, outcome.Offset);
                        ReportMalformed(path, lineOffset + at.Line, at.Column, outcome.Error);
                    }
                    else if (outcome.Event != null)
                    {
                        yield return Stamp(outcome.Event, path, line);
                    }
                }
            }
        }

        // The line and column of a byte offset within an element, from where the element starts.
        private static (long Line, long Column) PositionIn(StreamingRecordSplitter.Element element, long offset)
        {
            var bytes = element.Bytes;
            int end = (int)Math.Max(0, Math.Min(offset, bytes.Length));
            long line = element.Line;
            int lineStart = -1;
            for (int i = 0; i < end; i++)
            {
                if (bytes[i] != (byte)'\n') continue;
                line++;
                lineStart = i;
            }

            return lineStart < 0 ? (line, element.Column + end) : (line, end - lineStart);
        }

        private IEnumerable<IoTHubConnectionEvent> ReadCsv(string path, Utf8Input input, Func<Utf8Input> open, Action<long>? progress, CancellationToken cancellationToken)
        {
            // First pass over the time column only: learn the file's day/month order (exports are small).
            var timeParser = LearnDateOrder(path, open, cancellationToken, out var columns);
            if (timeParser == null || columns == null) yield break;

            if (!columns.TimeIsUtc)
            {
                _reporter.Warning($"The time column of '{path}' is not marked [UTC]; its times are read as this computer's local time.");
            }

            if (timeParser.AmbiguousExample is string example)
            {
                string other = timeParser.EffectiveOrder == DateOrder.DayFirst ? nameof(DateOrder.MonthFirst) : nameof(DateOrder.DayFirst);
                _reporter.Warning($"Every date of '{path}' reads both ways, day/month or month/day (such as '{example}'): they were read "
                    + (timeParser.EffectiveOrder == DateOrder.DayFirst ? "day first (dd/MM)" : "month first (MM/dd)")
                    + $", the order of this computer's culture ({timeParser.CultureName}). If the browser that exported the file used the other order, read it again with -DateOrder {other}.");
            }

            var csv = new CsvReader(new StreamReader(input.Stream, CsvEncoding, detectEncodingFromByteOrderMarks: false), ',', MaxRecordBytes, cancellationToken);
            var parser = Parser;
            NextCsvRow(csv, path, columns.FieldCount, out _); // header
            List<string>? fields;
            while ((fields = NextCsvRow(csv, path, columns.FieldCount, out var state)) != null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(input.FilePosition);
                if (state == CsvRowState.Blank) continue;
                long line = csv.RowLine;
                switch (state)
                {
                    case CsvRowState.TooLong:
                        ReportTooLong(path, line, 1, $"The row is longer than {MaxRecordBytes / (1024 * 1024)} MiB, the most a record may have; it was read past, not kept.");
                        continue;
                    case CsvRowState.UnterminatedQuote:
                        ReportMalformed(path, csv.OpenQuote.Line, csv.OpenQuote.Column, "The quote opened here is never closed (is the file truncated, or a quote missing?).");
                        continue;
                    case CsvRowState.WrongFieldCount:
                        ReportMalformed(path, line, 1, $"The row has {fields.Count} fields where the header has {columns.FieldCount} (a quote or a comma missing, or one too many?).");
                        continue;
                }

                int notUtf8 = fields.FindIndex(f => f.IndexOf(NotUtf8Mark) >= 0);
                if (notUtf8 >= 0)
                {
                    var at = csv.StartOf(notUtf8);
                    ReportMalformed(path, at.Line, at.Column, "The row holds bytes that are not UTF-8: the file is damaged, or was saved in another encoding.");
                    continue;
                }

                IoTHubConnectionEvent e;
                try
                {
                    e = columns.ToEvent(fields, timeParser, parser);
                }
                catch (MalformedRecordException ex)
                {
                    var at = ex.CsvField >= 0 ? csv.StartOf(ex.CsvField) : new FieldStart(line, ex.Offset + 1);
                    ReportMalformed(path, at.Line, at.Column, ex.Message);
                    continue;
                }

                if (_filter.Accepts(e)) yield return Stamp(e, path, line);
            }
        }

        // The header, then the time column of every whole row: the order of day and month, unless the user gave it.
        private ExportTimeParser? LearnDateOrder(string path, Func<Utf8Input> open, CancellationToken cancellationToken, out CsvColumns? columns)
        {
            columns = null;
            Utf8Input? learnInput = OpenOrReport(path, open);
            if (learnInput == null) return null;
            using (learnInput)
            {
                var learner = new CsvReader(new StreamReader(learnInput.Stream, CsvEncoding, detectEncodingFromByteOrderMarks: false), ',', MaxRecordBytes, cancellationToken);
                columns = CsvColumns.FromHeader(NextCsvRow(learner, path, int.MaxValue, out _));
                if (columns == null)
                {
                    _reporter.Problem(new Problem(ErrorIds.UnrecognizedLogFile, ProblemKind.InvalidData, path,
                        $"'{path}' is neither JSON nor a Log Analytics CSV export with a TimeGenerated column; it was skipped.",
                        position: new FilePosition(path, 1, 1)));
                    return null;
                }

                var timeParser = new ExportTimeParser(columns.TimeIsUtc, order: _filter.DateOrder);
                List<string>? row;
                while (!timeParser.DayFirst.HasValue && (row = NextCsvRow(learner, path, columns.FieldCount, out var state)) != null)
                {
                    if (state == CsvRowState.Whole) timeParser.Learn(row[columns.Time]);
                }

                return timeParser;
            }
        }

        private enum CsvRowState
        {
            Whole,
            Blank,
            TooLong,
            UnterminatedQuote,
            WrongFieldCount,
        }

        /// <summary>
        /// The next row and whether it is whole. A row that a stray quote carried across lines is given back
        /// broken, and the reader goes on from its second line: one broken quote costs one row, not the file.
        /// Both passes over a CSV cut it the same way through here.
        /// </summary>
        private List<string>? NextCsvRow(CsvReader csv, string path, int fieldCount, out CsvRowState state)
        {
            state = CsvRowState.Whole;
            List<string>? row;
            try
            {
                row = csv.ReadRow();
            }
            catch (IOException ex)
            {
                ReportReadFailure(path, csv.RowLine + 1, ex);
                return null;
            }

            if (row == null) return null;
            if (csv.RowTooLong) state = CsvRowState.TooLong;
            else if (row.Count == 1 && row[0].Length == 0 && !csv.UnterminatedQuote) state = CsvRowState.Blank;
            else if (csv.UnterminatedQuote) state = CsvRowState.UnterminatedQuote;
            else if (fieldCount != int.MaxValue && row.Count != fieldCount) state = CsvRowState.WrongFieldCount;

            if ((state == CsvRowState.UnterminatedQuote || state == CsvRowState.WrongFieldCount) && csv.RowSpansLines) csv.RereadFromSecondLine();
            return row;
        }

        private static Encoding CreateCsvEncoding()
        {
            var encoding = (Encoding)new UTF8Encoding(false).Clone();
            encoding.DecoderFallback = new DecoderReplacementFallback(NotUtf8Mark.ToString());
            return encoding;
        }

        private IoTHubConnectionEvent Stamp(IoTHubConnectionEvent e, string path, long line)
        {
            RecordsRead++;
            _coverage?.Add(e.TimeGenerated.UtcTicks);
            if (!_lean) e.Source = path + ":" + line;
            return e;
        }

        private void ReportMalformed(string path, long line, long column, string message) =>
            Report(new Problem(ErrorIds.MalformedLogRecord, ProblemKind.InvalidData, path,
                $"{message} The record was skipped.", position: new FilePosition(path, line, column)));

        private void ReportTooLong(string path, long line, long column, string message) =>
            Report(new Problem(ErrorIds.LogRecordTooLong, ProblemKind.InvalidData, path,
                message + " If the file is a log export, it is damaged there; the rest of it is read.", position: new FilePosition(path, line, column)));

        private void Report(Problem problem)
        {
            MalformedRecords++;
            if (++_problemsInFile <= MaxProblemsPerFile)
            {
                _reporter.Problem(problem);
            }
            else if (_problemsInFile == MaxProblemsPerFile + 1)
            {
                _reporter.Warning($"'{problem.Target}' has more than {MaxProblemsPerFile} malformed records: the others are skipped without an error each (-Verbose gives their number). Is it a Connections log?");
            }
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
