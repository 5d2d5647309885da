using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Hub;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// What Get-IoTHubConnectionEvent and Get-IoTHubConnectionError share: the -Path and
    /// -LiteralPath inputs and the filters. Reading itself is Core's ConnectionLogReader.
    /// </summary>
    public abstract class ConnectionLogCommandBase : TroubleshootCmdlet
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

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] DeviceId { get; set; } = Array.Empty<string>();

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] ResultType { get; set; } = Array.Empty<string>();

        /// <summary>True for Get-IoTHubConnectionError: only Level == "Error", the guide's query.</summary>
        protected abstract bool ErrorsOnly { get; }

        protected override void BeginProcessing()
        {
            if (MyInvocation.BoundParameters.ContainsKey(nameof(StartTime))
                && MyInvocation.BoundParameters.ContainsKey(nameof(EndTime))
                && ToUtc(EndTime) <= ToUtc(StartTime))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException($"-EndTime ({EndTime:o}) must be later than -StartTime ({StartTime:o})."),
                    "EndTimeBeforeStartTime", ErrorCategory.InvalidArgument, EndTime));
            }
        }

        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            var resolved = ResolveFileSystemPaths(literal ? LiteralPath : Path, literal);
            var files = resolved.SelectMany(ConnectionLogReader.ExpandPath).ToList();
            foreach (var folder in resolved.Where(System.IO.Directory.Exists))
            {
                WriteVerbose($"Searching '{folder}' for *{string.Join(", *", ConnectionLogReader.LogFileExtensions)} files.");
            }

            var reader = new ConnectionLogReader(BuildFilter(), Reporter);
            Invoke(() =>
            {
                foreach (var e in reader.ReadFiles(files, CancellationToken))
                {
                    WriteObject(e);
                }
            });
            WriteVerbose($"{reader.RecordsRead} events read from {files.Count} file(s); {reader.MalformedRecords} malformed record(s) skipped.");
        }

        private ConnectionEventFilter BuildFilter()
        {
            var filter = new ConnectionEventFilter { ErrorsOnly = ErrorsOnly };
            if (MyInvocation.BoundParameters.ContainsKey(nameof(StartTime))) filter.StartTime = ToUtc(StartTime);
            if (MyInvocation.BoundParameters.ContainsKey(nameof(EndTime))) filter.EndTime = ToUtc(EndTime);
            if (ResultType.Length > 0) filter.ResultTypes = new HashSet<string>(ResultType.Select(r => r.Trim()), StringComparer.OrdinalIgnoreCase);
            if (DeviceId.Length > 0)
            {
                var patterns = DeviceId.Select(d => new WildcardPattern(d, WildcardOptions.IgnoreCase)).ToArray();
                filter.DeviceIdMatches = id => patterns.Any(p => p.IsMatch(id));
            }

            return filter;
        }

        // A DateTime from the command line is Unspecified (local) unless it says otherwise.
        private static DateTimeOffset ToUtc(DateTime time) =>
            time.Kind == DateTimeKind.Utc ? new DateTimeOffset(time) : new DateTimeOffset(time.ToUniversalTime());
    }
}
