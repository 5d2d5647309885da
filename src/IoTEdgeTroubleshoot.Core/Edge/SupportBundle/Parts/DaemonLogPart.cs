using System;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Daemon;
using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.SupportBundle.Parts
{
    /// <summary>
    /// logs/daemon_journal.json: the security daemon's log since -Since, streamed entry by entry. On Linux the
    /// journal of the generation's units ('journalctl -u ... -o json', what 'iotedge system logs' reads); on
    /// Windows the iotedged events. Each entry is written back as a journal record with only the fields the
    /// log commands read (time, priority, identifier, process, message masked), so Get-IoTEdgeDaemonLog -Path
    /// reads the bundle, and no other journal field (a command line, an environment) comes along.
    /// </summary>
    internal sealed class DaemonLogPart : IBundlePart
    {
        public const string Entry = "logs/daemon_journal.json";

        public string Name => "daemon logs";

        public string Plan(SupportBundleRequest request) => request.IsWindows
            ? $"{Entry} (the {WindowsDaemonLog.ProviderName} events since {request.Since.UtcDateTime:u})"
            : $"{Entry} (journalctl of {string.Join(", ", DaemonUnits.For(request.Generation))} since {request.Since.UtcDateTime:u})";

        public void Collect(BundleContext context, CancellationToken cancellationToken)
        {
            var request = context.Request;
            if (request.IsWindows && request.WindowsEventLog == null)
            {
                context.Skip(Name, "the Windows event log cannot be read in this session.");
                return;
            }

            // Checked before the entry is opened: a missing tool leaves no empty entry behind.
            if (!request.IsWindows && !context.Tool.IsAvailable("journalctl"))
            {
                context.Skip(Name, "'journalctl' was not found on PATH (this machine does not run systemd); copy the daemon's logs by hand.");
                return;
            }

            long entries = 0;
            using (var text = context.Archive.OpenText(Entry))
            {
                void Write(IoTEdgeLogEntry entry)
                {
                    text.WriteLine(ToJournalRecord(entry));
                    if (++entries % 10000 == 0) context.Reporter.Progress(new ProgressReport(SupportBundleBuilder.ProgressId + 1, "Daemon logs", $"{entries} entries", -1));
                }

                if (request.IsWindows)
                {
                    foreach (var entry in WindowsDaemonLog.Read(request.WindowsEventLog!, request.Since, null, null, cancellationToken)) Write(entry);
                }
                else
                {
                    new LiveLogReader(context.Tool, context.Reporter).ReadJournal(request.Generation, request.Since, null, null, Write, cancellationToken);
                }
            }

            context.Collected(Entry, request.IsWindows
                ? $"{entries} {WindowsDaemonLog.ProviderName} events since {request.Since.UtcDateTime:u}"
                : $"{entries} journal entries of {string.Join(", ", DaemonUnits.For(request.Generation))} since {request.Since.UtcDateTime:u}");
        }

        /// <summary>One entry as a 'journalctl -o json' record: the fields the log readers take, the message masked.</summary>
        internal static string ToJournalRecord(IoTEdgeLogEntry entry)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                if (entry.TimeCreated is DateTimeOffset time)
                {
                    long micro = (time.UtcTicks - DateTimeOffset.FromUnixTimeSeconds(0).UtcTicks) / 10;
                    writer.WriteString("__REALTIME_TIMESTAMP", micro.ToString(CultureInfo.InvariantCulture));
                }

                if (Priority(entry.Level) is int priority) writer.WriteString("PRIORITY", priority.ToString(CultureInfo.InvariantCulture));
                if (entry.Source.Length > 0) writer.WriteString("SYSLOG_IDENTIFIER", entry.Source);
                if (entry.ProcessId is int pid) writer.WriteString("_PID", pid.ToString(CultureInfo.InvariantCulture));
                writer.WriteString("MESSAGE", SecretMasker.MayHoldSecret(entry.Message) ? SecretMasker.Mask(entry.Message) : entry.Message); // one scan for most entries
                writer.WriteEndObject();
            }

            return new System.Text.UTF8Encoding(false).GetString(buffer.ToArray());
        }

        // The syslog priority of a level (journald's PRIORITY): the inverse of LogLevels.FromSyslogPriority.
        private static int? Priority(IoTEdgeLogLevel level) => level switch
        {
            IoTEdgeLogLevel.Critical => 2,
            IoTEdgeLogLevel.Error => 3,
            IoTEdgeLogLevel.Warning => 4,
            IoTEdgeLogLevel.Information => 6,
            IoTEdgeLogLevel.Debug => 7,
            IoTEdgeLogLevel.Trace => 7,
            _ => null,
        };
    }
}
