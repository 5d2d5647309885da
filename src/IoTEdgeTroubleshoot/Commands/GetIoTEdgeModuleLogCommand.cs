using System;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Cloud;
using IoTEdgeTroubleshoot.Completion;
using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Edge.Remote;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// A module's log as objects, through 'iotedge logs' (the guide's container logs), or saved module logs
    /// with -Path, or from edge devices without SSH through IoT Hub (-HubName -DeviceId: edgeAgent's GetModuleLogs
    /// direct method, many devices at once). Stack traces and banners are folded into the entry they belong to.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "IoTEdgeModuleLog", DefaultParameterSetName = LiveSet)]
    [OutputType(typeof(IoTEdgeLogEntry))]
    public sealed class GetIoTEdgeModuleLogCommand : EdgeLogCommandBase, IDynamicParameters
    {
        private const string LiveSet = "Live";
        private readonly RemoteEdge _remote = new RemoteEdge();

        /// <summary>The modules (edgeAgent, edgeHub, yours); with -Path, the source of the entries.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = LiveSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [Parameter(ParameterSetName = RemoteEdge.ParameterSet)]
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

        /// <summary>The IoT hub the edge devices are registered in (its name, such as contoso-iot-prod).</summary>
        [Parameter(Mandatory = true, ParameterSetName = RemoteEdge.ParameterSet)]
        [ValidateNotNullOrEmpty]
        public string HubName { get; set; } = string.Empty;

        /// <summary>The edge devices; device ids or Get-IoTHubDeviceStatus output from the pipeline.</summary>
        [Parameter(Mandatory = true, ParameterSetName = RemoteEdge.ParameterSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] DeviceId { get; set; } = Array.Empty<string>();


        /// <summary>The remote parameter set's shared parameters (connection, throttle), declared once in <see cref="RemoteEdgeParameters"/>.</summary>
        public object GetDynamicParameters() => _remote.Parameters;

        protected override void BeginProcessing() => CheckTimeRange(Since, nameof(Since), Until, nameof(Until));

        protected override void ProcessRecord()
        {
            if (ParameterSetName == RemoteEdge.ParameterSet)
            {
                _remote.Add(DeviceId); // asked all at once, in parallel, when the pipeline ends
                return;
            }

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
                    reader.ReadModule(name, Tail, ToUtc(Since), ToUtc(Until), WriteObject, CancellationToken);
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

        protected override void EndProcessing()
        {
            if (ParameterSetName == RemoteEdge.ParameterSet)
            {
                var fleet = new RemoteEdgeFleet(_remote.Parameters.Connection(HubName), Reporter) { ThrottleLimit = _remote.Parameters.ThrottleLimit };
                var query = new ModuleLogQuery { Names = Name, Tail = Tail, Since = ToUtc(Since), Until = ToUtc(Until) };
                Invoke(() =>
                {
                    foreach (var outcome in fleet.GetModuleLogs(_remote.Devices, query, CancellationToken)) RemoteEdge.Write(this, outcome, WriteObject);
                });
            }

            base.EndProcessing();
        }
    }
}
