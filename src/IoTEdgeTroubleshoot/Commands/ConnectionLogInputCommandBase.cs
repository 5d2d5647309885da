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

        /// <summary>The files that -Path or -LiteralPath name, folders expanded; missing ones are reported.</summary>
        protected List<string> ResolveInputFiles()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            var resolved = ResolveFileSystemPaths(literal ? LiteralPath : Path, literal);
            foreach (var folder in resolved.Where(System.IO.Directory.Exists))
            {
                WriteVerbose($"Searching '{folder}' for *{string.Join(", *", ConnectionLogReader.LogFileExtensions)} files.");
            }

            return resolved.SelectMany(ConnectionLogReader.ExpandPath).ToList();
        }

        /// <summary>The filter the parameters ask for; readers may call it from several threads.</summary>
        protected virtual ConnectionEventFilter BuildFilter()
        {
            var filter = new ConnectionEventFilter();
            if (MyInvocation.BoundParameters.ContainsKey(nameof(StartTime))) filter.StartTime = ToUtc(StartTime);
            if (MyInvocation.BoundParameters.ContainsKey(nameof(EndTime))) filter.EndTime = ToUtc(EndTime);
            if (DeviceId.Length > 0)
            {
                var patterns = DeviceId.Select(d => new WildcardPattern(d, WildcardOptions.IgnoreCase)).ToArray();
                foreach (var pattern in patterns) pattern.IsMatch(string.Empty); // build the matchers now, not racing on reader threads
                filter.DeviceIdMatches = id => patterns.Any(p => p.IsMatch(id));
            }

            return filter;
        }

        // A DateTime from the command line is Unspecified (local) unless it says otherwise.
        private static DateTimeOffset ToUtc(DateTime time) =>
            time.Kind == DateTimeKind.Utc ? new DateTimeOffset(time) : new DateTimeOffset(time.ToUniversalTime());
    }
}
