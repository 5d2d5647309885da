using System;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Logs
{
    /// <summary>
    /// Log lines handed over one at a time (a native tool's output, strings from the pipeline) into entries,
    /// continuations folded; a line that cannot be read is a problem that names the line's number in the feed.
    /// </summary>
    public sealed class LogLineFeed
    {
        private readonly LogEntryAssembler _assembler;
        private readonly bool _journalRecordsOnly;
        private long _line;

        /// <param name="origin">What the lines come from, for problems: "journalctl", "iotedge logs", "the pipeline".</param>
        /// <param name="source">The source of entries whose lines do not name one (the module of 'iotedge logs').</param>
        /// <param name="journalRecordsOnly">The lines are 'journalctl -o json' output: a line that is no journal record is a problem.</param>
        public LogLineFeed(string origin, string? source, Action<IoTEdgeLogEntry> emit, IReporter reporter, bool journalRecordsOnly = false)
        {
            _journalRecordsOnly = journalRecordsOnly;
            _assembler = new LogEntryAssembler(new LogLineParser(DateTime.Now), source, null, emit,
                (line, column, message) => reporter.Problem(new Problem(ErrorIds.MalformedLogRecord, ProblemKind.InvalidData, origin,
                    $"Line {line} of {origin}, column {column}: {message}")));
        }

        /// <summary>Entries handed on so far.</summary>
        public long Entries => _assembler.Entries;

        public void Add(string line)
        {
            if (_journalRecordsOnly) _assembler.AddJournalRecord(line, ++_line);
            else _assembler.AddLine(line, ++_line);
        }

        /// <summary>Hands on the last entry.</summary>
        public void Complete() => _assembler.Complete();
    }
}
