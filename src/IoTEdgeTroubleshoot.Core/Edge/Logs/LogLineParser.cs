using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.Logs
{
    internal enum LineKind
    {
        /// <summary>A line that starts an entry (it has a time, or it is a journal line).</summary>
        Entry,

        /// <summary>A line that carries on the entry before it: a stack trace, a banner, a wrapped message.</summary>
        Continuation,

        /// <summary>journalctl's own lines: "-- Boot 4e0c... --", "-- No entries --".</summary>
        Marker,
    }

    /// <summary>What one text line says; <see cref="TimeProblem"/> when its time is no time.</summary>
    internal sealed class ParsedLine
    {
        public LineKind Kind;
        public DateTimeOffset? Time;
        public IoTEdgeLogLevel Level;
        public string? Source;
        public int? ProcessId;
        public string Message = string.Empty;
        public string? Category;

        /// <summary>The line had the writer's own "time [level] -" prefix (not only the journal's).</summary>
        public bool HasOwnPrefix;

        /// <summary>1-based column of a timestamp that could not be read, 0 when none.</summary>
        public int TimeProblemColumn;
        public string? TimeProblem;
    }

    /// <summary>
    /// Reads the text lines of every IoT Edge log form:
    /// journalctl's short and short-iso lines ("May 31 12:09:28 host iotedged[3600]: ...",
    /// "2019-05-31T12:09:28+0000 host aziot-edged[916]: ..."), the daemons' own prefix
    /// ("2019-05-31T06:39:28Z [ERR!] - msg", 1.2+ "&lt;6&gt;2026-07-20T10:11:12Z [INFO] - msg"), and the
    /// modules' ("&lt;6&gt; 2021-02-25 05:27:39.262 +00:00 [INF] - msg", before 1.0.8 without "&lt;6&gt;", with a
    /// "[Category]", or a start-up script's "2022-11-04 17:13:48  Starting Edge Agent"). The patterns are compiled
    /// once; a line that is none of these continues the entry before it.
    /// </summary>
    internal sealed class LogLineParser
    {
        private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.Compiled | RegexOptions.ExplicitCapture;

        private static readonly Regex JournalShort = new Regex(
            @"^(?<mon>\p{L}{3,9}\.?) {1,2}(?<day>\d{1,2}) (?<time>\d\d:\d\d:\d\d)(?:\.\d+)? (?<host>\S+) (?<ident>[^\s\[\]:]+)(?:\[(?<pid>\d{1,10})\])?: ?",
            Options);

        private static readonly Regex JournalIso = new Regex(
            @"^(?<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?)(?<tz>Z|[+-]\d\d:?\d\d) (?<host>\S+) (?<ident>[^\s\[\]:]+)(?:\[(?<pid>\d{1,10})\])?: ?",
            Options);

        private static readonly Regex DaemonPrefix = new Regex(
            @"^(?:<(?<pri>\d)>)?(?<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?)(?<tz>Z|[+-]\d\d:?\d\d) \[(?<lvl>INFO|WARN|ERR!|DBUG|TRCE|ERROR|DEBUG|TRACE)\] - ?",
            Options);

        private static readonly Regex ModulePrefix = new Regex(
            @"^(?:<(?<pri>\d)> ?)?(?<ts>\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d{1,9})?)(?: ?(?<tz>Z|[+-]\d\d:?\d\d))?(?: +\[(?<lvl>VRB|DBG|INF|WRN|ERR|FTL)\])?(?: *\[(?<cat>[^\]\s]{1,200})\])?(?: *- ?| +|$)",
            Options);

        private static readonly string[] Months = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

        private readonly DateTime _reference;

        /// <param name="reference">
        /// When the log was saved (the file's time, or now): journalctl's short form has no year, and a month later
        /// in the year than this belongs to the year before.
        /// </param>
        public LogLineParser(DateTime reference) => _reference = reference;

        public ParsedLine Parse(string line)
        {
            var parsed = new ParsedLine();
            if (line.Length >= 5 && line.StartsWith("-- ", StringComparison.Ordinal) && line.EndsWith(" --", StringComparison.Ordinal))
            {
                parsed.Kind = LineKind.Marker;
                return parsed;
            }

            if (line.Length > 16 && char.IsDigit(line[0]) && line.Length > 10 && line[10] == 'T' && JournalIso.Match(line) is { Success: true } iso)
            {
                var ts = iso.Groups["ts"];
                if (LogTimestamp.TryParse(line, ts.Index, ts.Length, iso.Groups["tz"].Value, out var time)) parsed.Time = time;
                else BadTime(parsed, ts.Index);
                return Journal(parsed, line, iso);
            }

            if (line.Length > 16 && char.IsLetter(line[0]) && JournalShort.Match(line) is { Success: true } shortForm)
            {
                parsed.Time = ShortTime(shortForm);
                return Journal(parsed, line, shortForm);
            }

            if (ReadOwnPrefix(parsed, line, 0)) return parsed;
            parsed.Kind = LineKind.Continuation;
            parsed.Message = line;
            return parsed;
        }

        /// <summary>
        /// Reads the writer's own prefix of a message that came without one from elsewhere (a journal JSON record's
        /// MESSAGE): true when it had one, and the time, level and message are then the prefix's.
        /// </summary>
        public bool ReadOwnPrefix(ParsedLine parsed, string text, int columnOffset)
        {
            if (text.Length < 19 || !(char.IsDigit(text[0]) || text[0] == '<')) return false;
            var daemon = DaemonPrefix.Match(text);
            if (daemon.Success)
            {
                Stamp(parsed, text, daemon, columnOffset);
                parsed.Level = LogLevels.FromDaemonWord(daemon.Groups["lvl"].Value);
                parsed.Message = text.Substring(daemon.Length);
                return true;
            }

            var module = ModulePrefix.Match(text);
            if (!module.Success) return false;
            Stamp(parsed, text, module, columnOffset);
            var level = module.Groups["lvl"];
            var priority = module.Groups["pri"];
            parsed.Level = level.Success ? LogLevels.FromModuleWord(level.Value)
                : priority.Success ? LogLevels.FromSyslogPriority(priority.Value[0] - '0')
                : IoTEdgeLogLevel.Unknown;
            var category = module.Groups["cat"];
            if (category.Success) parsed.Category = category.Value;
            parsed.Message = text.Substring(module.Length);
            return true;
        }

        private void Stamp(ParsedLine parsed, string text, Match match, int columnOffset)
        {
            parsed.Kind = LineKind.Entry;
            parsed.HasOwnPrefix = true;
            var ts = match.Groups["ts"];
            if (LogTimestamp.TryParse(text, ts.Index, ts.Length, match.Groups["tz"].Value, out var time)) parsed.Time = time;
            else if (parsed.Time == null) BadTime(parsed, columnOffset + ts.Index);
        }

        private ParsedLine Journal(ParsedLine parsed, string line, Match journal)
        {
            parsed.Kind = LineKind.Entry;
            parsed.Source = journal.Groups["ident"].Value;
            var pid = journal.Groups["pid"];
            if (pid.Success && int.TryParse(pid.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int id)) parsed.ProcessId = id;
            string message = line.Substring(journal.Length);
            var journalTime = parsed.Time;
            if (!ReadOwnPrefix(parsed, message, journal.Length))
            {
                parsed.Message = message;
                parsed.Level = IoTEdgeLogLevel.Unknown;
            }
            else if (parsed.Time == null)
            {
                parsed.Time = journalTime;
            }

            parsed.Kind = LineKind.Entry;
            return parsed;
        }

        // "May 31 12:09:28": the year is the reference's, or the one before for a later month; a month name in
        // another language (journalctl follows the locale) leaves the time to the message's own prefix.
        private DateTimeOffset? ShortTime(Match match)
        {
            int month = Array.IndexOf(Months, match.Groups["mon"].Value.TrimEnd('.')) + 1;
            if (month == 0) return null;
            int day = int.Parse(match.Groups["day"].Value, CultureInfo.InvariantCulture);
            string clock = match.Groups["time"].Value;
            int year = month > _reference.Month + 1 ? _reference.Year - 1 : _reference.Year;
            if (day > DateTime.DaysInMonth(year, month)) return null;
            if (!TimeSpan.TryParseExact(clock, @"hh\:mm\:ss", CultureInfo.InvariantCulture, out var timeOfDay)) return null;
            var local = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Local) + timeOfDay;
            return new DateTimeOffset(local);
        }

        private static void BadTime(ParsedLine parsed, int index)
        {
            parsed.TimeProblemColumn = index + 1;
            parsed.TimeProblem = "The time at the start of the entry is not a date and time (a month, day or hour out of range); the entry is kept without a time.";
        }
    }
}
