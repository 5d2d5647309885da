using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Daemon;
using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The security daemon's log as objects: the journal of the generation's units on Linux (journalctl -o json),
    /// the iotedged events on Windows, or saved logs with -Path.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "IoTEdgeDaemonLog", DefaultParameterSetName = LiveSet)]
    [OutputType(typeof(IoTEdgeLogEntry))]
    public sealed class GetIoTEdgeDaemonLogCommand : EdgeLogCommandBase
    {
        private const string LiveSet = "Live";
        private const string PathSet = "Path";

        /// <summary>Inclusive; a time without a zone is this computer's local time.</summary>
        [Parameter]
        public DateTime? StartTime { get; set; }

        /// <summary>Exclusive.</summary>
        [Parameter]
        public DateTime? EndTime { get; set; }

        /// <summary>Only the last entries (journalctl -n).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? Tail { get; set; }

        /// <summary>Saved logs: journalctl output (JSON or text), support bundles, folders; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>The IoT Edge version whose services to read; by default the one installed.</summary>
        [Parameter(ParameterSetName = LiveSet)]
        [ValidateSet("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6")]
        public string? Generation { get; set; }

        protected override void BeginProcessing() => CheckTimeRange(StartTime, nameof(StartTime), EndTime, nameof(EndTime));

        protected override void ProcessRecord()
        {
            if (ParameterSetName == PathSet)
            {
                ReadSavedLogs(Path, null, StartTime, EndTime, Tail, WriteObject);
                return;
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                Invoke(() =>
                {
                    foreach (var entry in WindowsDaemonLog.Read(new GetWinEventLog(this), ToOffset(StartTime), ToOffset(EndTime), Tail, CancellationToken)) WriteObject(entry);
                });
                return;
            }

            var generation = DaemonUnits.Resolve(Generation == null ? (EdgeGeneration?)null : EdgeGenerations.FromVersion(Generation));
            WriteVerbose($"Reading the journal of IoT Edge {generation.Name()}: {string.Join(", ", DaemonUnits.For(generation))}.");
            var reader = new LiveLogReader(new NativeTool(reporter: Reporter), Reporter);
            Invoke(() => reader.ReadJournal(generation, ToOffset(StartTime), ToOffset(EndTime), Tail, WriteObject, CancellationToken));
        }
    }
}
