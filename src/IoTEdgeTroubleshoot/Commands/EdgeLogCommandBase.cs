using System;
using System.Collections.Generic;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>What the edge log commands share: saved logs from -Path or -LiteralPath, and the time range check.</summary>
    public abstract class EdgeLogCommandBase : TroubleshootCmdlet
    {
        protected const string PathSet = "Path";
        protected const string LiteralPathSet = "LiteralPath";

        /// <summary>Saved logs named exactly ('[' and '*' are characters of the name); files piped from Get-ChildItem bind here.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>Whether the logs come from files (-Path or -LiteralPath) rather than a live tool or the pipeline.</summary>
        protected bool ReadsSavedLogs => ParameterSetName == PathSet || ParameterSetName == LiteralPathSet;

        /// <summary>Refuses an end before the start, naming both parameters.</summary>
        protected void CheckTimeRange(DateTime? start, string startName, DateTime? end, string endName)
        {
            if (start != null && end != null && ToUtc(end) <= ToUtc(start))
            {
                ThrowTerminatingError(ErrorRecordFor(new Problem(ErrorIds.EndTimeBeforeStartTime, ProblemKind.InvalidArgument, end,
                    $"-{endName} ({end:o}) must be later than -{startName} ({start:o}).")));
            }
        }

        /// <summary>
        /// Reads saved logs (files, wildcards, folders, support bundle .zip files); each entry goes to
        /// <paramref name="emit"/> as it is read, through the time window and -Tail (per file).
        /// </summary>
        protected void ReadSavedLogs(IEnumerable<string> paths, string? source, DateTime? start, DateTime? end, int? tail, Action<IoTEdgeLogEntry> emit)
        {
            bool literal = ParameterSetName == LiteralPathSet;
            ReadSavedLogs(literal ? LiteralPath : paths, literal, source, start, end, tail, emit);
        }

        /// <summary>As above, for paths that are wildcards (<paramref name="literal"/> false) or exact names.</summary>
        protected void ReadSavedLogs(IEnumerable<string> paths, bool literal, string? source, DateTime? start, DateTime? end, int? tail, Action<IoTEdgeLogEntry> emit)
        {
            var reader = new LogFileReader(Reporter, CancellationToken) { Source = source };
            foreach (var path in ResolveFileSystemPaths(paths, literal))
            {
                Invoke(() => reader.Read(path, new LogWindow(ToUtc(start), ToUtc(end), tail, emit)));
            }

            if (reader.DamagedLines > 0) WriteVerbose($"{reader.DamagedLines} line(s) could not be read.");
        }
    }
}
