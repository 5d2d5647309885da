using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Daemon;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Logs
{
    /// <summary>
    /// IoT Edge logs, live, each line parsed and handed on as the tool prints it: the security daemon's through
    /// 'journalctl -u &lt;unit&gt;... -o json' for the generation's units (iotedge; or aziot-edged and the four
    /// identity services, what 'iotedge system logs' reads), and a module's through 'iotedge logs &lt;name&gt;'.
    /// (On Windows the daemon's log is the iotedged events: <see cref="WindowsDaemonLog"/>.)
    /// </summary>
    public sealed class LiveLogReader
    {
        /// <summary>Long enough for a big log read to a slow pipeline; a stuck tool is still stopped.</summary>
        public static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(30);

        private readonly NativeTool _tool;
        private readonly IReporter _reporter;

        public LiveLogReader(NativeTool tool, IReporter reporter)
        {
            _tool = tool;
            _reporter = reporter;
        }

        /// <summary>
        /// journalctl's arguments, each value its own argument: the units, JSON output without a pager or field
        /// limit, the times as "@seconds since 1970" (what journalctl reads without any zone doubt), and the count.
        /// </summary>
        public static IReadOnlyList<string> JournalArguments(IReadOnlyList<string> units, DateTimeOffset? start, DateTimeOffset? end, int? tail)
        {
            var arguments = new List<string>();
            foreach (var unit in units)
            {
                arguments.Add("-u");
                arguments.Add(unit);
            }

            arguments.AddRange(new[] { "-o", "json", "--no-pager", "--all" });
            if (start != null)
            {
                arguments.Add("--since");
                arguments.Add(Epoch(start.Value));
            }

            if (end != null)
            {
                arguments.Add("--until");
                arguments.Add(Epoch(end.Value));
            }

            if (tail != null)
            {
                arguments.Add("-n");
                arguments.Add(tail.Value.ToString(CultureInfo.InvariantCulture));
            }

            return arguments;
        }

        /// <summary>Reads the generation's units from the journal; each entry goes to <paramref name="emit"/> on this thread as it is read.</summary>
        public void ReadJournal(EdgeGeneration generation, DateTimeOffset? start, DateTimeOffset? end, int? tail, Action<IoTEdgeLogEntry> emit, CancellationToken cancellationToken)
        {
            var units = DaemonUnits.For(generation);
            var command = new NativeCommand("journalctl", JournalArguments(units, start, end, tail), ToolTimeout)
            {
                WhatToTry = $"Check that the units exist with 'systemctl status {string.Join(" ", units)}'.",
            };
            var feed = new LogLineFeed("journalctl's output", null, emit, _reporter, journalRecordsOnly: true);
            _tool.Run(command, cancellationToken, feed.Add);
            feed.Complete();
            if (feed.Entries == 0) _reporter.Verbose($"The journal holds no entries of {string.Join(", ", units)} in that time.");
        }

        /// <summary>iotedge's arguments, each value its own: times as RFC 3339 in UTC, which 'iotedge logs' reads.</summary>
        public static IReadOnlyList<string> LogsArguments(string name, int? tail, DateTimeOffset? since, DateTimeOffset? until)
        {
            var arguments = new List<string> { "logs", name };
            if (tail != null)
            {
                arguments.Add("--tail");
                arguments.Add(tail.Value.ToString(CultureInfo.InvariantCulture));
            }

            if (since != null)
            {
                arguments.Add("--since");
                arguments.Add(Rfc3339(since.Value));
            }

            if (until != null)
            {
                arguments.Add("--until");
                arguments.Add(Rfc3339(until.Value));
            }

            return arguments;
        }

        /// <summary>Reads one module's log; entries are that module's (<see cref="IoTEdgeLogEntry.Source"/> = <paramref name="name"/>).</summary>
        public void ReadModule(string name, int? tail, DateTimeOffset? since, DateTimeOffset? until, Action<IoTEdgeLogEntry> emit, CancellationToken cancellationToken)
        {
            var command = new NativeCommand("iotedge", LogsArguments(name, tail, since, until), ToolTimeout)
            {
                WhatToTry = "List the modules and their names with 'iotedge list'.",
            };
            var feed = new LogLineFeed($"the output of 'iotedge logs {name}'", name, emit, _reporter);
            _tool.Run(command, cancellationToken, feed.Add);
            feed.Complete();
        }

        private static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        private static string Epoch(DateTimeOffset time) => "@" + time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    }
}
