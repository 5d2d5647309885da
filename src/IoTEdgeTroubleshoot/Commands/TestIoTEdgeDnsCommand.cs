using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Dns;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The guide's "Empty config file" cause: the container engine's DNS servers (daemon.json; both Windows paths),
    /// HostConfig.Dns in edgeAgent's and edgeHub's createOptions (-ManifestPath), and whether this host resolves the hub.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "IoTEdgeDns")]
    [OutputType(typeof(IoTEdgeCheckResult))]
    public sealed class TestIoTEdgeDnsCommand : TroubleshootCmdlet
    {
        /// <summary>The engine's daemon.json; without it, /etc/docker/daemon.json or the Windows paths.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string[]? DaemonConfigPath { get; set; }

        /// <summary>A deployment manifest whose edgeAgent and edgeHub createOptions are checked too.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ManifestPath { get; set; }

        /// <summary>The IoT hub's host name to resolve; without it, the one the device's config names.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? HubHostName { get; set; }

        /// <summary>The IoT Edge config to read the hub's name from; without it, the installed runtime's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ConfigPath { get; set; }

        protected override void EndProcessing()
        {
            var context = new DnsCheckContext { HubHostName = HubHostName };
            if (DaemonConfigPath != null)
            {
                var paths = new string[DaemonConfigPath.Length];
                for (int i = 0; i < paths.Length; i++) paths[i] = ResolveSinglePath(DaemonConfigPath[i]);
                context.DaemonConfigPaths = paths;
                context.DaemonConfigPathsGiven = true;
            }

            if (ManifestPath != null) context.ManifestPath = ResolveSinglePath(ManifestPath);
            context.DeviceConfigPath = ConfigPath != null ? ResolveSinglePath(ConfigPath) : EdgeInstallation.DefaultPath();
            Invoke(() =>
            {
                foreach (var result in DnsChecks.Run(context, CancellationToken)) WriteObject(result);
            });
            base.EndProcessing();
        }
    }
}
