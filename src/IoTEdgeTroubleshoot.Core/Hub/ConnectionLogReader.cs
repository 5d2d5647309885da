using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
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
    /// itself fails on: the other files are read. The readers of each layout, and the parallel
    /// read of the analysis, are in the ConnectionLogReader.*.cs files beside this one.
    /// </summary>
    public sealed partial class ConnectionLogReader
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

        private ConnectionRecordParser Parser => _parser ??= new ConnectionRecordParser(_lean, DeviceKeys);

        /// <summary>
        /// Where the lean parse looks device ids up (the analysis' table, shared by its reader threads); null: in each
        /// parser's own cache. Set before the first read.
        /// </summary>
        internal DeviceKeyTable? DeviceKeys { get; set; }

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

        internal static long SizeOf(string file) => Math.Max(0, LogFileFinder.LengthOf(file));

        /// <summary>A failure that is no problem with the data but a defect: reported as one, never as a raw exception.</summary>
        private static bool IsDefect(Exception ex) => !(ex is OperationCanceledException) && !(ex is OutOfMemoryException) && !(ex is TroubleshootException);

        private static TroubleshootException ReadFailed(string file, Exception ex) =>
            new TroubleshootException(ErrorIds.LogReadFailed, ProblemKind.InvalidOperation, file,
                $"Reading the connection logs failed at '{file}': {ex.GetType().Name}: {ex.Message} This is a defect of IoTEdgeTroubleshoot: please report it (with the file, if you can share it).", ex);

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

        /// <summary>
        /// Reads what <paramref name="open"/> opens (a file, or a stream in tests) as the log file <paramref name="path"/>.
        /// <paramref name="known"/>: the layout and form already found from the file's start (a part of a file, which
        /// may start anywhere in it), else they are found from what is read first.
        /// </summary>
        internal IEnumerable<IoTHubConnectionEvent> ReadInput(string path, Func<Utf8Input> open, Action<long>? progress, CancellationToken cancellationToken,
            (LogFormat Format, LogForm Form)? known = null)
        {
            _problemsInFile = 0;
            LastLinesStart = -1;
            LastLineCount = 0;
            LastInputComplete = false;
            Utf8Input? input = OpenOrReport(path, open);
            if (input == null) yield break;
            bool complete = false;
            using (input)
            try
            {
                (LogFormat format, LogForm form) sniffed;
                if (known is { } given)
                {
                    sniffed = given;
                }
                else
                {
                    try
                    {
                        sniffed = LogFormatSniffer.Detect(input.Peek(LogFormatSniffer.HeadLength));
                    }
                    catch (IOException ex)
                    {
                        _reporter.Problem(OpenFailure(path, ex));
                        yield break;
                    }

                    _reporter.Verbose(LayoutMessage(path, sniffed.format));
                }
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
                complete = true;
            }
            finally
            {
                // Also when the read ends early (a defect caught by Guard, a stop): a part's lines are then not all counted.
                LastLinesStart = input.LinesStart;
                LastInputComplete = complete && input.ReachedEnd;
            }
        }

        /// <summary>Where the lines of the last input read start in its file: 0 for a whole file, a part's first line for a part (-1: none).</summary>
        internal long LastLinesStart { get; private set; } = -1;

        /// <summary>How many lines the last input of JSON lines had (the last line counted also without a line break).</summary>
        internal long LastLineCount { get; private set; }

        /// <summary>Whether the last input was read to its end: then <see cref="LastLineCount"/> is all its lines.</summary>
        internal bool LastInputComplete { get; private set; }

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

        /// <summary>
        /// When set, read events go to it as they are read instead of being yielded: a reader thread's whole file then
        /// runs in one loop, which the runtime optimises while it runs, not one iterator step (three nested
        /// iterators) per record. The analysis' reader threads use it. A failure of the sink ends the read with
        /// <see cref="ErrorIds.LogReadFailed"/> naming the file (<see cref="Push"/>), as a failing consumer always did.
        /// </summary>
        internal Action<IoTHubConnectionEvent>? EventSink { get; set; }

        [MethodImpl(JitHints.AggressiveOptimization)] // every record of the analysis goes through it
        private void Push(IoTHubConnectionEvent e, string path)
        {
            try
            {
                EventSink!(e);
            }
            catch (Exception ex) when (IsDefect(ex))
            {
                throw ReadFailed(path, ex);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)] // once per record
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
                _reporter.Warning(TooManyProblems(problem.Target));
            }
        }

        private static string LayoutMessage(string path, LogFormat format) => $"'{path}' is {LogFormatSniffer.Describe(format)}.";

        private static string TooManyProblems(object? file) =>
            $"'{file}' has more than {MaxProblemsPerFile} malformed records: the others are skipped without an error each (-Verbose gives their number). Is it a Connections log?";

        [MethodImpl(MethodImplOptions.AggressiveInlining)] // once per line
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
