using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Logs
{
    /// <summary>The 1.0/1.1 daemon's events to log entries, and the event log's failures to errors that say what to do.</summary>
    public static class WindowsDaemonLog
    {
        /// <summary>The event provider the Windows daemon writes as (the guide's ProviderName).</summary>
        public const string ProviderName = "iotedged";

        /// <summary>
        /// The events as entries, oldest first (the guide's sort; Get-WinEvent gives the newest first), the last
        /// <paramref name="tail"/> with -Tail; the daemon's own prefix read when a message has one.
        /// </summary>
        public static IReadOnlyList<IoTEdgeLogEntry> Read(IWindowsEventLog eventLog, DateTimeOffset? start, DateTimeOffset? end, int? tail, CancellationToken cancellationToken)
        {
            var events = new List<WindowsEventRecord>();
            try
            {
                foreach (var record in eventLog.Read(ProviderName, start, end, tail, cancellationToken))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    events.Add(record);
                }
            }
            catch (Exception ex) when (NoEvents(ex))
            {
                // an empty time range
            }
            catch (Exception ex) when (Failure(ex) is TroubleshootException failure)
            {
                throw failure;
            }

            var parser = new LogLineParser(DateTime.Now);
            var entries = events
                .Select((record, index) => (Entry: ToEntry(record, parser), Index: index))
                .OrderBy(e => e.Entry.TimeCreated ?? DateTimeOffset.MinValue).ThenByDescending(e => e.Index) // same time: the log's newest-first order, reversed
                .Select(e => e.Entry)
                .ToList();
            return tail != null && entries.Count > tail.Value ? entries.GetRange(entries.Count - tail.Value, tail.Value) : entries;
        }

        /// <summary>One event as an entry.</summary>
        public static IoTEdgeLogEntry ToEntry(WindowsEventRecord record) => ToEntry(record, new LogLineParser(DateTime.Now));

        private static IoTEdgeLogEntry ToEntry(WindowsEventRecord record, LogLineParser parser)
        {
            // A device's text must not drive the admin's terminal (Windows line breaks are kept as line breaks).
            string message = TerminalSafeText.Of((record.Message ?? string.Empty).TrimEnd('\r', '\n').Replace("\r\n", "\n"));
            if (SecretMasker.MayHoldSecret(message)) message = SecretMasker.Mask(message);
            var parsed = new ParsedLine();
            bool prefixed = parser.ReadOwnPrefix(parsed, message, 0);
            var level = LogLevels.FromWindowsEventLevel(record.Level);
            return new IoTEdgeLogEntry
            {
                TimeCreated = record.TimeCreated ?? parsed.Time,
                Level = prefixed && parsed.Level != IoTEdgeLogLevel.Unknown ? parsed.Level : level,
                Source = record.ProviderName.Length == 0 ? ProviderName : record.ProviderName,
                ProcessId = record.ProcessId,
                Message = prefixed ? parsed.Message : message,
            };
        }

        /// <summary>Get-WinEvent's way of saying the time range holds no events: an empty answer, not a failure.</summary>
        public static bool NoEvents(Exception ex)
        {
            for (Exception? e = ex; e != null; e = e.InnerException)
            {
                if ((e.Message ?? string.Empty).IndexOf("No events were found", StringComparison.OrdinalIgnoreCase) >= 0) return true;
            }

            return false;
        }

        /// <summary>
        /// What an event-log failure means (see <see cref="NoEvents"/> for an empty answer): an unregistered iotedged provider or an
        /// unreadable log (EventLogException, the guide's symptom) is <see cref="ErrorIds.DaemonEventLogUnavailable"/>
        /// naming Repair-IoTEdgeEventLog; access denied says to run elevated. Anything else is not the event log's: null.
        /// </summary>
        public static TroubleshootException? Failure(Exception ex)
        {
            for (Exception? e = ex; e != null; e = e.InnerException)
            {
                string type = e.GetType().Name;
                string text = e.Message ?? string.Empty;
                if (e is UnauthorizedAccessException || type == "EventLogException" && text.IndexOf("access is denied", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return new TroubleshootException(ErrorIds.NativeToolAccessDenied, ProblemKind.PermissionDenied, ProviderName,
                        $"The Application event log cannot be read: {text.TrimEnd('.')}. Run PowerShell elevated (as Administrator).", e);
                }

                if (type == "EventLogException" || type == "EventLogNotFoundException" || type == "EventLogProviderDisabledException"
                    || text.IndexOf("There is not an event provider", StringComparison.OrdinalIgnoreCase) >= 0
                    || text.IndexOf("NoMatchingProvidersFound", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return new TroubleshootException(ErrorIds.DaemonEventLogUnavailable, ProblemKind.ObjectNotFound, ProviderName,
                        $"The IoT Edge daemon's events cannot be read ({type}: {text.TrimEnd('.')}). The '{ProviderName}' event source is not registered: run Repair-IoTEdgeEventLog in an elevated PowerShell (it writes the registry key HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\{ProviderName}, or a .reg file with -ExportPath), then try again.", e);
                }
            }

            return null;
        }
    }
}
