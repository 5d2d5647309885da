using System;
using System.Text;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Logs
{
    /// <summary>
    /// Turns lines into entries as they come, in the order they come: a line with a time starts an entry, a
    /// line without one (a stack trace, the start-up banner, a wrapped message) is folded into the entry before
    /// it, and an entry is handed on as soon as the next one starts. A journal line that lacks the daemon's own
    /// prefix but comes from the same process right after one that had it is that message's next line ("Please
    /// update the config.yaml ...") and is folded too. Memory is one entry: a folded message keeps at most
    /// <see cref="MaxMessageLength"/> characters, and what is left out is counted at its end.
    /// </summary>
    internal sealed class LogEntryAssembler
    {
        /// <summary>The most a folded entry keeps: a .NET stack trace with inner exceptions is 10-30 KB.</summary>
        public const int MaxMessageLength = 64 * 1024;

        private readonly LogLineParser _parser;
        private readonly Action<IoTEdgeLogEntry> _emit;
        private readonly Action<long, int, string> _problem;
        private readonly string? _defaultSource;
        private readonly string? _originPath;

        private bool _journalSeen;
        private IoTEdgeLogEntry? _pending;
        private StringBuilder? _folded;
        private bool _pendingHasOwnPrefix;
        private long _linesLeftOut;

        /// <param name="defaultSource">The source of entries whose lines do not name one (a module's log, named by -Name or the file).</param>
        /// <param name="originPath">The file, for <see cref="IoTEdgeLogEntry.Origin"/>; null for a native tool's output.</param>
        /// <param name="problem">A line that cannot be read: its number, the 1-based column and why.</param>
        public LogEntryAssembler(LogLineParser parser, string? defaultSource, string? originPath, Action<IoTEdgeLogEntry> emit, Action<long, int, string> problem)
        {
            _parser = parser;
            _defaultSource = defaultSource;
            _originPath = originPath;
            _emit = emit;
            _problem = problem;
        }

        /// <summary>Entries handed on so far.</summary>
        public long Entries { get; private set; }

        /// <summary>A text line, or a journal JSON record (a line that starts with '{').</summary>
        public void AddLine(string line, long lineNumber)
        {
            if (line.Length > 0 && line[0] == '{')
            {
                AddJson(Encoding.UTF8.GetBytes(line), lineNumber, line);
                return;
            }

            Add(_parser.Parse(line), lineNumber);
        }

        /// <summary>
        /// A line of 'journalctl -o json' output, which is one journal record a line and nothing else: any other
        /// line (a tool that printed something else, a wrapper's message) is a problem, never an entry.
        /// </summary>
        public void AddJournalRecord(string line, long lineNumber)
        {
            if (line.Trim().Length == 0) return;
            if (line[0] != '{')
            {
                _problem(lineNumber, 1, "The line is not a journal record (journalctl -o json prints one JSON object a line); it was skipped.");
                return;
            }

            var parsed = new ParsedLine();
            if (JournalJsonParser.TryParse(Encoding.UTF8.GetBytes(line), _parser, parsed, out int column, out string? error, out _))
            {
                _journalSeen = true;
                Add(parsed, lineNumber);
                return;
            }

            _problem(lineNumber, Math.Max(column, 1), error ?? "The line is not a journal record; it was skipped.");
        }

        /// <summary>
        /// A line that looks like a 'journalctl -o json' record. Broken JSON is a problem once the source has given
        /// journal records; before that, and for JSON without journal fields, the line is a module's own text.
        /// </summary>
        public void AddJson(ReadOnlySpan<byte> json, long lineNumber, string? text = null)
        {
            var parsed = new ParsedLine();
            if (JournalJsonParser.TryParse(json, _parser, parsed, out int column, out string? error, out bool isJournal))
            {
                _journalSeen = true;
                Add(parsed, lineNumber);
                return;
            }

            if (isJournal || ((_journalSeen || LooksLikeJournal(json)) && error != null && column > 1))
            {
                _problem(lineNumber, column, error!);
                return;
            }

            Add(_parser.Parse(text ?? Encoding.UTF8.GetString(json.ToArray())), lineNumber);
        }

        private static readonly byte[] CursorField = Encoding.ASCII.GetBytes("\"__CURSOR\"");
        private static readonly byte[] RealtimeField = Encoding.ASCII.GetBytes("\"__REALTIME_TIMESTAMP\"");
        private static readonly byte[] MessageField = Encoding.ASCII.GetBytes("\"MESSAGE\"");

        // A record cut short still shows the journal's field names.
        private static bool LooksLikeJournal(ReadOnlySpan<byte> json) =>
            json.IndexOf(CursorField) >= 0 || json.IndexOf(RealtimeField) >= 0 || json.IndexOf(MessageField) >= 0;

        /// <summary>Hands on the last entry.</summary>
        public void Complete() => Flush();

        private void Add(ParsedLine parsed, long lineNumber)
        {
            if (parsed.TimeProblem != null) _problem(lineNumber, parsed.TimeProblemColumn, parsed.TimeProblem);
            switch (parsed.Kind)
            {
                case LineKind.Marker:
                    Flush(); // a boot or a rotation in between: nothing carries over it
                    return;
                case LineKind.Continuation:
                    if (_pending == null) Start(parsed, lineNumber); // what came before the first entry: a banner, a cut stack trace
                    else Fold(parsed.Message);
                    return;
            }

            if (!parsed.HasOwnPrefix && _pending != null && _pendingHasOwnPrefix && parsed.Source != null && parsed.Source != "systemd"
                && parsed.Source == _pending.Source && parsed.ProcessId == _pending.ProcessId)
            {
                Fold(parsed.Message);
                return;
            }

            Flush();
            Start(parsed, lineNumber);
        }

        private void Start(ParsedLine parsed, long lineNumber)
        {
            _pending = new IoTEdgeLogEntry
            {
                TimeCreated = parsed.Time,
                Level = parsed.Level,
                Source = parsed.Source ?? _defaultSource ?? string.Empty,
                ProcessId = parsed.ProcessId,
                Message = parsed.Message.Length > MaxMessageLength ? parsed.Message.Substring(0, MaxMessageLength) : parsed.Message,
                Category = parsed.Category,
                Origin = _originPath == null ? null : _originPath + ":" + lineNumber,
            };
            _pendingHasOwnPrefix = parsed.HasOwnPrefix;
        }

        private void Fold(string line)
        {
            var pending = _pending!;
            if (_folded == null)
            {
                _folded = new StringBuilder(pending.Message, Math.Min(MaxMessageLength, pending.Message.Length + line.Length + 64));
            }

            if (_folded.Length + 1 + line.Length > MaxMessageLength)
            {
                _linesLeftOut++;
                return;
            }

            _folded.Append('\n').Append(line);
        }

        private void Flush()
        {
            if (_pending == null) return;
            if (_folded != null)
            {
                if (_linesLeftOut > 0) _folded.Append("\n... (").Append(_linesLeftOut).Append(" more lines not kept)");
                _pending.Message = _folded.ToString();
            }

            var entry = _pending;
            entry.Message = TerminalSafeText.Of(entry.Message); // a device's text must not drive the admin's terminal
            if (SecretMasker.MayHoldSecret(entry.Message)) entry.Message = SecretMasker.Mask(entry.Message); // a debug log may print a SAS token
            _pending = null;
            _folded = null;
            _linesLeftOut = 0;
            Entries++;
            _emit(entry);
        }
    }
}
