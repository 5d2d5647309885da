using System;
using System.Management.Automation;
using System.Security;
using IoTEdgeTroubleshoot.Cloud;
using IoTEdgeTroubleshoot.Completion;
using IoTEdgeTroubleshoot.Edge.Remote;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// A support bundle from edge devices without SSH: edgeAgent's UploadSupportBundle direct method writes it to a
    /// blob container (-SasUrl), then GetTaskStatus is asked until the upload ends. The SAS URL is never shown.
    /// </summary>
    [Cmdlet(VerbsData.Export, "IoTEdgeSupportBundle", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = RemoteEdge.ParameterSet)]
    [OutputType(typeof(IoTEdgeSupportBundleUpload), ParameterSetName = new[] { RemoteEdge.ParameterSet })]
    public sealed class ExportIoTEdgeSupportBundleCommand : TroubleshootCmdlet, IDynamicParameters
    {
        private readonly RemoteEdge _remote = new RemoteEdge();

        /// <summary>The IoT hub the edge devices are registered in (its name, such as contoso-iot-prod).</summary>
        [Parameter(Mandatory = true, ParameterSetName = RemoteEdge.ParameterSet)]
        [ValidateNotNullOrEmpty]
        public string HubName { get; set; } = string.Empty;

        /// <summary>The edge devices; device ids or Get-IoTHubDeviceStatus output from the pipeline.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = RemoteEdge.ParameterSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] DeviceId { get; set; } = Array.Empty<string>();

        /// <summary>A blob container's SAS URL that allows writing: a secret, never shown.</summary>
        [Parameter(Mandatory = true, ParameterSetName = RemoteEdge.ParameterSet)]
        [SecureStringTransformation]
        [ValidateNotNull]
        public SecureString? SasUrl { get; set; }

        /// <summary>Only logs since this time: a date (local time unless it says otherwise) or how long ago ("15m", "2h").</summary>
        [Parameter(ParameterSetName = RemoteEdge.ParameterSet)]
        [LogTimeTransformation]
        public DateTime? Since { get; set; }

        /// <summary>Only logs before this time, as -Since.</summary>
        [Parameter(ParameterSetName = RemoteEdge.ParameterSet)]
        [LogTimeTransformation]
        public DateTime? Until { get; set; }

        /// <summary>Only edgeAgent's and edgeHub's logs, not the custom modules'.</summary>
        [Parameter(ParameterSetName = RemoteEdge.ParameterSet)]
        public SwitchParameter EdgeRuntimeOnly { get; set; }

        /// <summary>Return once each device started the upload, without waiting for it to end.</summary>
        [Parameter(ParameterSetName = RemoteEdge.ParameterSet)]
        public SwitchParameter NoWait { get; set; }


        /// <summary>The remote parameter set's shared parameters (connection, throttle), declared once in <see cref="RemoteEdgeParameters"/>.</summary>
        public object GetDynamicParameters() => _remote.Parameters;

        protected override void BeginProcessing()
        {
            if (Since != null && Until != null && RemoteEdge.ToUtc(Until) <= RemoteEdge.ToUtc(Since))
            {
                ThrowTerminatingError(ErrorRecordFor(new Problem(ErrorIds.EndTimeBeforeStartTime, ProblemKind.InvalidArgument, Until,
                    $"-Until ({Until:o}) must be later than -Since ({Since:o}).")));
            }
        }

        protected override void ProcessRecord()
        {
            foreach (var device in DeviceId)
            {
                if (ShouldProcess(device, $"Upload a support bundle to the blob container given by -SasUrl (edgeAgent UploadSupportBundle through IoT Hub {HubName})")) _remote.Add(new[] { device });
            }
        }

        protected override void EndProcessing()
        {
            var fleet = new RemoteEdgeFleet(_remote.Parameters.Connection(HubName), Reporter) { ThrottleLimit = _remote.Parameters.ThrottleLimit };
            var request = new SupportBundleRequest
            {
                SasUrl = SasUrl,
                Since = RemoteEdge.ToUtc(Since),
                Until = RemoteEdge.ToUtc(Until),
                EdgeRuntimeOnly = EdgeRuntimeOnly,
                NoWait = NoWait,
            };
            if (_remote.Devices.Count > 0)
            {
                Invoke(() =>
                {
                    foreach (var outcome in fleet.ExportSupportBundle(_remote.Devices, request, CancellationToken)) RemoteEdge.Write(this, outcome, WriteObject);
                });
            }

            base.EndProcessing();
        }
    }
}
