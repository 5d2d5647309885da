using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using IoTEdgeTroubleshoot.Completion;
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

        /// <summary>Inclusive: a date (without a zone, this computer's local time) or how long ago ("15m", "2h", a TimeSpan).</summary>
        [Parameter]
        [LogTimeTransformation]
        public DateTime? StartTime { get; set; }

        /// <summary>Exclusive: a date or how long ago, as -StartTime.</summary>
        [Parameter]
        [LogTimeTransformation]
        public DateTime? EndTime { get; set; }

        /// <summary>Only the last entries (journalctl -n).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? Tail { get; set; }

        /// <summary>Saved logs: journalctl output (JSON or text), support bundles, folders; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>The IoT Edge version whose services to read; by default the one installed.</summary>
        [Parameter(ParameterSetName = LiveSet)]
        [ValidateEdgeGeneration]
        [ArgumentCompleter(typeof(EdgeGenerationCompleter))]
        public string? Generation { get; set; }

        protected override void BeginProcessing() => CheckTimeRange(StartTime, nameof(StartTime), EndTime, nameof(EndTime));

        protected override void ProcessRecord()
        {
            if (ReadsSavedLogs)
            {
                ReadSavedLogs(Path, null, StartTime, EndTime, Tail, WriteObject);
                return;
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                Invoke(() =>
                {
                    foreach (var entry in WindowsDaemonLog.Read(new GetWinEventLog(this), ToUtc(StartTime), ToUtc(EndTime), Tail, CancellationToken)) WriteObject(entry);
                });
                return;
            }

            var generation = EdgeGeneration.V1_2;
            Invoke(() => generation = Generation != null ? EdgeGenerations.FromVersion(Generation) : new DaemonStatusReader(reporter: Reporter).Installed(CancellationToken));
            WriteVerbose($"Reading the journal of IoT Edge {generation.Name()}: {string.Join(", ", DaemonUnits.For(generation))}.");
            var reader = new LiveLogReader(new NativeTool(reporter: Reporter), Reporter);
            Invoke(() => reader.ReadJournal(generation, ToUtc(StartTime), ToUtc(EndTime), Tail, WriteObject, CancellationToken));
        }
    }
}
