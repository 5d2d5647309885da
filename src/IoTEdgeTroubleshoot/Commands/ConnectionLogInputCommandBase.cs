using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// What every command that reads exported Connections logs shares: the -Path and -LiteralPath
    /// inputs, the time and device filters, and their checks. Reading itself is Core's.
    /// </summary>
    public abstract class ConnectionLogInputCommandBase : TroubleshootCmdlet
    {
        protected const string PathSet = "Path";
        protected const string LiteralPathSet = "LiteralPath";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>Inclusive; a time without a zone is this computer's local time.</summary>
        [Parameter]
        public DateTime StartTime { get; set; }

        /// <summary>Exclusive.</summary>
        [Parameter]
        public DateTime EndTime { get; set; }

        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] DeviceId { get; set; } = Array.Empty<string>();

        /// <summary>How to read CSV dates whose day and month could be swapped; by default learned from the file.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        public DateOrder DateOrder { get; set; }

        protected override void BeginProcessing()
        {
            if (MyInvocation.BoundParameters.ContainsKey(nameof(StartTime))
                && MyInvocation.BoundParameters.ContainsKey(nameof(EndTime))
                && ToUtc(EndTime) <= ToUtc(StartTime))
            {
                ThrowTerminatingError(ErrorRecordFor(new Problem(ErrorIds.EndTimeBeforeStartTime, ProblemKind.InvalidArgument, EndTime,
                    $"-EndTime ({EndTime:o}) must be later than -StartTime ({StartTime:o}).")));
            }
        }

        /// <summary>
        /// The files that -Path or -LiteralPath name, folders searched; missing paths and unreadable folders are
        /// reported. Call it inside <see cref="TroubleshootCmdlet.Invoke"/>: a long search stops on Ctrl+C.
        /// </summary>
        protected List<string> ResolveInputFiles()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            var files = new List<string>();
            foreach (var path in ResolveFileSystemPaths(literal ? LiteralPath : Path, literal))
            {
                if (System.IO.Directory.Exists(path))
                {
                    WriteVerbose($"Searching '{path}' for *{string.Join(", *", ConnectionLogReader.LogFileExtensions)} files.");
                }

                files.AddRange(LogFileFinder.Find(path, Reporter, CancellationToken));
            }

            return files;
        }

        /// <summary>The filter the parameters ask for; readers may call it from several threads.</summary>
        protected virtual ConnectionEventFilter BuildFilter()
        {
            var filter = new ConnectionEventFilter();
            if (MyInvocation.BoundParameters.ContainsKey(nameof(StartTime))) filter.StartTime = ToUtc(StartTime);
            if (MyInvocation.BoundParameters.ContainsKey(nameof(EndTime))) filter.EndTime = ToUtc(EndTime);
            if (MyInvocation.BoundParameters.ContainsKey(nameof(DateOrder))) filter.DateOrder = DateOrder;
            if (DeviceId.Length > 0)
            {
                var patterns = DeviceId.Select(d => new WildcardPattern(d, WildcardOptions.IgnoreCase)).ToArray();
                for (int i = 0; i < patterns.Length; i++)
                {
                    try
                    {
                        patterns[i].IsMatch(string.Empty); // build the matchers now, not racing on reader threads
                    }
                    catch (WildcardPatternException ex)
                    {
                        ThrowTerminatingError(ErrorRecordFor(new Problem(ErrorIds.InvalidWildcardPattern, ProblemKind.InvalidArgument, DeviceId[i],
                            $"-DeviceId '{DeviceId[i]}' is not a valid wildcard pattern: {ex.Message.TrimEnd('.')}. "
                            + "To match [ or ] themselves, escape them with a backtick ('`[') or pass the id through [WildcardPattern]::Escape().", ex)));
                    }
                }

                filter.DeviceIdMatches = id => patterns.Any(p => p.IsMatch(id));
            }

            return filter;
        }
    }
}
