using System;
using IoTEdgeTroubleshoot.Completion;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// A module's log as objects, through 'iotedge logs' (the guide's container logs), or saved module logs
    /// with -Path. Stack traces and banners are folded into the entry they belong to.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "IoTEdgeModuleLog", DefaultParameterSetName = LiveSet)]
    [OutputType(typeof(IoTEdgeLogEntry))]
    public sealed class GetIoTEdgeModuleLogCommand : EdgeLogCommandBase
    {
        private const string LiveSet = "Live";

        /// <summary>The modules (edgeAgent, edgeHub, yours); with -Path, the source of the entries.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = LiveSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [Alias("ModuleName")]
        [ArgumentCompleter(typeof(EdgeModuleNameCompleter))]
        [ValidateNotNullOrEmpty]
        [ValidateModuleName]
        public string[] Name { get; set; } = Array.Empty<string>();

        /// <summary>Only the last entries (iotedge logs --tail).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? Tail { get; set; }

        /// <summary>Inclusive: a date (local time unless it says otherwise) or how long ago ("15m", "2h", a TimeSpan).</summary>
        [Parameter]
        [LogTimeTransformation]
        public DateTime? Since { get; set; }

        /// <summary>Exclusive: a date or how long ago, as -Since.</summary>
        [Parameter]
        [LogTimeTransformation]
        public DateTime? Until { get; set; }

        /// <summary>Saved module logs: 'iotedge logs' or 'docker logs' output, support bundles, folders; wildcards allowed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        protected override void BeginProcessing() => CheckTimeRange(Since, nameof(Since), Until, nameof(Until));

        protected override void ProcessRecord()
        {
            if (ReadsSavedLogs)
            {
                ReadSavedLogs(Path, Name.Length == 0 ? null : Name[0], Since, Until, Tail, WriteObject);
                return;
            }

            var reader = new LiveLogReader(new NativeTool(reporter: Reporter), Reporter);
            foreach (var name in Name)
            {
                try
                {
                    reader.ReadModule(name, Tail, ToOffset(Since), ToOffset(Until), WriteObject, CancellationToken);
                }
                catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
                catch (TroubleshootException ex) when (ex.ErrorId != ErrorIds.NativeToolNotFound)
                {
                    WriteError(ErrorRecordFor(ex)); // one module's failure (no such module): the others are read
                }
                catch (TroubleshootException ex)
                {
                    ThrowTerminatingError(ErrorRecordFor(ex));
                }
            }
        }
    }
}
