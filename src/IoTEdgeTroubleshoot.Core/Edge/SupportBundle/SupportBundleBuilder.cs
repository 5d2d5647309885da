using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.SupportBundle.Parts;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.SupportBundle
{
    /// <summary>
    /// Export-IoTEdgeSupportBundle (local): one zip with the check results, the daemon's and the modules' logs
    /// since a time, the config with its secrets masked, the module containers' settings, the versions of the
    /// runtime and the container engine, and summary.txt (what is inside, what could not be collected and why).
    /// A part that cannot be collected here is noted and warned about, never a failure; only the zip itself
    /// failing to be written is. The zip is written to a temporary file and moved into place when whole.
    /// </summary>
    public static class SupportBundleBuilder
    {
        /// <summary>Write-Progress ids: this one for the parts, the next for the part's own progress.</summary>
        public const int ProgressId = 7301;

        public const string SummaryEntry = "summary.txt";

        private static readonly IBundlePart[] Parts =
        {
            new CheckResultsPart(),
            new ConfigPart(),
            new DaemonLogPart(),
            new ModuleLogsPart(),
            new ContainerSettingsPart(),
            new VersionsPart(),
        };

        /// <summary>The default file name: iotedge-support-&lt;host&gt;-&lt;UTC time&gt;.zip.</summary>
        public static string DefaultFileName(string hostName, DateTimeOffset utcNow)
        {
            var host = new StringBuilder();
            foreach (char c in hostName) host.Append(char.IsLetterOrDigit(c) && c < 128 || c == '-' ? c : '_');
            return $"iotedge-support-{(host.Length == 0 ? "device" : host.ToString())}-{utcNow.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.zip";
        }

        /// <summary>What the bundle would hold, for -WhatIf.</summary>
        public static IReadOnlyList<string> Plan(SupportBundleRequest request) =>
            Parts.Select(part => part.Plan(request)).Concat(new[] { $"{SummaryEntry} (what is inside and what could not be collected)" }).ToList();

        /// <summary>
        /// Refuses a target that is a folder, or a file without <see cref="SupportBundleRequest.Force"/>: before anything
        /// is collected, so the user is told at once.
        /// </summary>
        public static void CheckTarget(SupportBundleRequest request)
        {
            if (Directory.Exists(request.Path))
            {
                throw new TroubleshootException(ErrorIds.PathIsFolder, ProblemKind.InvalidArgument, request.Path,
                    $"'{request.Path}' is a folder; give the zip file's path (for example '{Path.Combine(request.Path, DefaultFileName(request.HostName, request.UtcNow()))}').");
            }

            if (File.Exists(request.Path) && !request.Force) throw BundleArchive.Exists(request.Path);
        }

        public static IoTEdgeSupportBundle Build(SupportBundleRequest request, IReporter reporter, CancellationToken cancellationToken)
        {
            CheckTarget(request);
            var started = request.UtcNow();
            using var archive = new BundleArchive(request.Path, request.UtcNow);
            var context = new BundleContext(request, archive, reporter);
            var collected = new List<string>();
            for (int i = 0; i < Parts.Length; i++)
            {
                var part = Parts[i];
                cancellationToken.ThrowIfCancellationRequested();
                reporter.Progress(new ProgressReport(ProgressId, "Export-IoTEdgeSupportBundle", $"Collecting the {part.Name}", 100 * i / (Parts.Length + 1)));
                int before = context.Contents.Count;
                try
                {
                    part.Collect(context, cancellationToken);
                }
                catch (TroubleshootException ex) when (ex.ErrorId != ErrorIds.SupportBundleWriteFailed)
                {
                    context.Skip(part.Name, ex.Message);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    context.Skip(part.Name, ex.Message);
                }

                if (context.Contents.Count > before) collected.Add(part.Name);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var finished = request.UtcNow();
            archive.WriteText(SummaryEntry, Summary(request, context, started, finished));
            long length = archive.Commit(request.Force);
            reporter.Progress(new ProgressReport(ProgressId, "Export-IoTEdgeSupportBundle", "Done", 100, completed: true));
            return new IoTEdgeSupportBundle(request.Path, length, finished, request.Since, collected, archive.Entries.ToList(), context.Skipped.ToList());
        }

        private static string Summary(SupportBundleRequest request, BundleContext context, DateTimeOffset started, DateTimeOffset finished)
        {
            var text = new StringBuilder();
            text.Append("IoT Edge support bundle (Export-IoTEdgeSupportBundle)\n\n");
            text.Append($"Device:      {request.HostName}\n");
            text.Append($"Runtime:     IoT Edge {request.Generation.Name()}\n");
            text.Append($"Config:      {request.ConfigPath}\n");
            text.Append($"Logs since:  {Time(request.Since)}\n");
            text.Append($"Created:     {Time(finished)} (collected in {(finished - started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)\n");
            text.Append("Secrets:     masked (***) in every entry: connection strings, keys, passwords, tokens, private keys; containers' environment values are left out.\n\n");

            var rows = context.Contents.Concat(new[] { (Entry: SummaryEntry, What: "this file") }).ToList();
            int width = rows.Max(row => row.Entry.Length) + 2;
            text.Append($"Contents ({rows.Count} entries):\n");
            foreach (var (entry, what) in rows) text.Append("  ").Append(entry.PadRight(width)).Append(what).Append('\n');

            text.Append($"\nNot collected ({context.Skipped.Count}):\n");
            if (context.Skipped.Count == 0) text.Append("  nothing: every part was collected.\n");
            foreach (var skipped in context.Skipped) text.Append($"  {skipped.Part}: {skipped.Reason}\n");

            if (context.Warnings.Count > 0)
            {
                text.Append($"\nWarnings while collecting ({context.Warnings.Count}):\n");
                foreach (var warning in context.Warnings.Take(100)) text.Append($"  {warning}\n");
                if (context.Warnings.Count > 100) text.Append($"  ... and {context.Warnings.Count - 100} more.\n");
            }

            return SecretMasker.Mask(text.ToString());
        }

        private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
