using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.KnownIssues;
using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Edge.Modules;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Adapters
{
    /// <summary>
    /// Find-IoTEdgeKnownIssue over the last hour of the daemon's journal (Linux) and of every module's log
    /// ('iotedge list', then 'iotedge logs &lt;name&gt; --since'): one Error per issue found, with its fix.
    /// </summary>
    public sealed class KnownIssuesDeviceCheck : BlockingDeviceCheck
    {
        public const string CheckId = "log-known-issues";

        /// <summary>How far back the logs are read: recent enough that what is found is still going on.</summary>
        public static readonly TimeSpan Window = TimeSpan.FromHours(1);

        public override string Id => CheckId;

        public override string Description => "no known issue in the last hour of daemon and module logs (Find-IoTEdgeKnownIssue)";

        public override DeviceCheckCategory Category => DeviceCheckCategory.Logs;

        public override IReadOnlyList<string> ResultIds { get; } = new[] { CheckId };

        protected override IEnumerable<IoTEdgeCheckResult> Run(DeviceCheckContext context, CancellationToken cancellationToken)
        {
            var since = context.UtcNow() - Window;
            var tool = new NativeTool(context.Processes, NullReporter.Instance);
            var reader = new LiveLogReader(tool, NullReporter.Instance);
            var matcher = new KnownIssueMatcher();
            var notRead = new List<string>();

            // Tools that ignore --since (old ones, saved output) must not bring older lines in.
            void Observe(IoTEdgeLogEntry entry)
            {
                if (entry.TimeCreated == null || entry.TimeCreated >= since) matcher.Observe(entry);
            }

            if (context.IsWindows)
            {
                notRead.Add("the daemon's Windows events (read them with Get-IoTEdgeDaemonLog | Find-IoTEdgeKnownIssue)");
            }
            else
            {
                ReadOrNote(() => reader.ReadJournal(context.Generation, since, null, null, Observe, cancellationToken), "the daemon's journal", notRead);
            }

            IReadOnlyList<IoTEdgeModule> modules = Array.Empty<IoTEdgeModule>();
            ReadOrNote(() => modules = ModuleList.Read(tool, cancellationToken, context.Timeout), "the module list (iotedge list)", notRead);
            foreach (var module in modules)
            {
                ReadOrNote(() => reader.ReadModule(module.Name, null, since, null, Observe, cancellationToken), $"{module.Name}'s log", notRead);
            }

            var issues = matcher.Complete();
            string unread = notRead.Count == 0 ? string.Empty : $" Not read: {string.Join("; ", notRead)}.";
            if (issues.Count == 0)
            {
                bool nothing = notRead.Count > 0 && matcher.Entries == 0;
                yield return Own(nothing ? CheckStatus.Skipped : CheckStatus.Pass,
                    (nothing ? "Skipped: no log could be read." : $"No known issue in {matcher.Entries.ToString(CultureInfo.InvariantCulture)} log entries of the last hour ({modules.Count} module(s)).") + unread);
                yield break;
            }

            foreach (var issue in issues)
            {
                string last = issue.LastSeen is DateTimeOffset seen ? seen.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "an unknown time";
                string evidence = issue.Evidence.Length == 0 ? string.Empty : " Last line: " + issue.Evidence[issue.Evidence.Length - 1];
                var result = Own(CheckStatus.Error,
                    $"{issue.IssueId}: {issue.Title} ({issue.Occurrences} time(s) in the last hour, last at {last}, in {issue.Source}).{evidence}{unread}",
                    $"{issue.RootCause} {issue.Resolution}", issue.RemedyCommand);
                yield return result;
            }
        }

        // One log that cannot be read (no journalctl, the daemon down so no 'iotedge list') leaves the others to read.
        private static void ReadOrNote(Action read, string what, List<string> notRead)
        {
            try
            {
                read();
            }
            catch (TroubleshootException ex)
            {
                notRead.Add($"{what} ({ex.Message})");
            }
        }
    }
}
