using System;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using IoTEdgeTroubleshoot.Cloud;
using IoTEdgeTroubleshoot.Completion;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.DeviceChecks;
using IoTEdgeTroubleshoot.Edge.Dns;
using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Edge.Remote;
using IoTEdgeTroubleshoot.Edge.SupportBundle;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// An IoT Edge support bundle. Locally (the default): one zip with the check results, the daemon's and the
    /// modules' logs since -Since, the config with its secrets masked, the module containers' settings, the
    /// versions and a summary; parts that cannot be collected here are warned about and listed, never fatal.
    /// Remotely (-HubName -DeviceId -SasUrl), without SSH: edgeAgent's UploadSupportBundle direct method writes the
    /// bundle to a blob container, then GetTaskStatus is asked until the upload ends; the SAS URL is never shown.
    /// </summary>
    [Cmdlet(VerbsData.Export, "IoTEdgeSupportBundle", DefaultParameterSetName = LocalSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(IoTEdgeSupportBundle), ParameterSetName = new[] { LocalSet })]
    [OutputType(typeof(IoTEdgeSupportBundleUpload), ParameterSetName = new[] { RemoteEdge.ParameterSet })]
    public sealed class ExportIoTEdgeSupportBundleCommand : TroubleshootCmdlet, IDynamicParameters
    {
        private const string LocalSet = "Local";

        /// <summary>The zip to write; by default ./iotedge-support-&lt;host&gt;-&lt;UTC time&gt;.zip.</summary>
        [Parameter(Position = 0, ParameterSetName = LocalSet)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>The start of the logs: a date (local time unless it says otherwise), or how long ago ("1h", "1d 6h", a TimeSpan); locally by default 1 day.</summary>
        [Parameter(ParameterSetName = LocalSet)]
        [Parameter(ParameterSetName = RemoteEdge.ParameterSet)]
        [LogTimeTransformation]
        public DateTime? Since { get; set; }

        /// <summary>The config file; by default the installed runtime's (config.toml, else config.yaml).</summary>
        [Parameter(ParameterSetName = LocalSet)]
        [ValidateNotNullOrEmpty]
        public string? ConfigPath { get; set; }

        /// <summary>The IoT Edge version whose services and config to read; by default the one installed.</summary>
        [Parameter(ParameterSetName = LocalSet)]
        [ValidateEdgeGeneration]
        [ArgumentCompleter(typeof(EdgeGenerationCompleter))]
        public string? Generation { get; set; }

        /// <summary>Test-IoTEdge checks to leave out of check-results.json (ids or wildcards, as Test-IoTEdge -Exclude).</summary>
        [Parameter(ParameterSetName = LocalSet)]
        [ValidateNotNullOrEmpty]
        public string[]? ExcludeCheck { get; set; }

        /// <summary>The SNTP server the clock check asks, host[:port], as Test-IoTEdge -NtpServer.</summary>
        [Parameter(ParameterSetName = LocalSet)]
        [ValidateNotNullOrEmpty]
        public string? NtpServer { get; set; }

        /// <summary>Replace a file already at -Path.</summary>
        [Parameter(ParameterSetName = LocalSet)]
        public SwitchParameter Force { get; set; }

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
            if (ParameterSetName == RemoteEdge.ParameterSet && Since != null && Until != null && ToUtc(Until) <= ToUtc(Since))
            {
                ThrowTerminatingError(ErrorRecordFor(new Problem(ErrorIds.EndTimeBeforeStartTime, ProblemKind.InvalidArgument, Until,
                    $"-Until ({Until:o}) must be later than -Since ({Since:o}).")));
            }
        }

        protected override void ProcessRecord()
        {
            // Each parameter set calls one self-contained Core operation: the local bundle here, the remote
            // uploads once every piped device is known (EndProcessing).
            if (ParameterSetName == LocalSet)
            {
                ExportLocal();
                return;
            }

            foreach (var device in DeviceId)
            {
                if (ShouldProcess(device, $"Upload a support bundle to the blob container given by -SasUrl (edgeAgent UploadSupportBundle through IoT Hub {HubName})")) _remote.Add(new[] { device });
            }
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName != RemoteEdge.ParameterSet)
            {
                base.EndProcessing();
                return;
            }

            var fleet = new RemoteEdgeFleet(_remote.Parameters.Connection(HubName), Reporter) { ThrottleLimit = _remote.Parameters.ThrottleLimit };
            var request = new SupportBundleUploadRequest
            {
                SasUrl = SasUrl,
                Since = ToUtc(Since),
                Until = ToUtc(Until),
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

        private void ExportLocal()
        {
            var now = DateTimeOffset.UtcNow;
            EdgeGeneration? requested = Generation == null ? (EdgeGeneration?)null : EdgeGenerations.FromVersion(Generation);
            string configPath = ResolveSinglePath(ConfigPath ?? EdgeInstallation.DefaultPath(requested));
            var generation = requested ?? GenerationDetector.FromName(configPath) ?? EdgeInstallation.Detect() ?? EdgeGeneration.V1_2;
            string path = ResolveSinglePath(Path ?? SupportBundleBuilder.DefaultFileName(Environment.MachineName, now));
            var since = Since == null ? LogDuration.Before(now, TimeSpan.FromDays(1))
                : ToUtc(Since.Value);

            // check-results.json holds what Test-IoTEdge finds: every device check, on this config and generation.
            var checks = new DeviceCheckContext { Generation = generation, ConfigPath = configPath };
            checks.DaemonJsonPaths = DaemonConfigLocations.Candidates(checks.IsWindows);
            if (NtpServer != null) checks.TimeServer = NtpServer;
            var selection = new DeviceCheckSelection(exclude: ExcludeCheck);
            var request = new SupportBundleRequest(path, configPath, generation, since,
                token => Await(DeviceCheckRunner.RunAsync(DeviceCheckCatalog.All, checks, selection, null, token)).Select(outcome => outcome.Result).ToList())
            {
                Force = Force.IsPresent,
                WindowsEventLog = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? new GetWinEventLog(this) : null,
            };

            Invoke(() =>
            {
                SupportBundleBuilder.CheckTarget(request);
                if (!ShouldProcess(path, "Write an IoT Edge support bundle with: " + string.Join("; ", SupportBundleBuilder.Plan(request)))) return;
                WriteVerbose($"Collecting an IoT Edge {generation.Name()} support bundle (config '{configPath}', logs since {since.UtcDateTime:u}) into '{path}'.");
                WriteObject(SupportBundleBuilder.Build(request, Reporter, CancellationToken));
            });
        }
    }
}
