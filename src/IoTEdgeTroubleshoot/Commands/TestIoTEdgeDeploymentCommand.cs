using System.Collections.Generic;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Deployment;
using IoTEdgeTroubleshoot.Edge.Deployment.Checks;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// Checks a deployment manifest for what the guide's failures come from: registries without credentials (403),
    /// credential addresses that match no image, createOptions that are not JSON, edgeHub's host ports taken, no DNS,
    /// OptimizeForPerformance on a small device, and the schema's basics.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "IoTEdgeDeployment")]
    [OutputType(typeof(IoTEdgeCheckResult))]
    public sealed class TestIoTEdgeDeploymentCommand : TroubleshootCmdlet
    {
        private readonly HashSet<string> _checked = new HashSet<string>(System.StringComparer.Ordinal);

        /// <summary>The deployment manifest (deployment.json, or what 'az iot edge deployment show' saved).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "ManifestPath")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>The memory of the device the manifest is for, in MB; without it, this machine's.</summary>
        [Parameter]
        [ValidateRange(1, long.MaxValue)]
        public long DeviceMemoryMB { get; set; }

        protected override void ProcessRecord()
        {
            string path = ResolveSinglePath(Path);
            if (!_checked.Add(path)) return; // several results of one file came down the pipeline
            var context = new DeploymentCheckContext(path)
            {
                PortOwners = new ListenerTablePortOwners(), // read now: the listening sockets change
                DeviceMemoryMB = MyInvocation.BoundParameters.ContainsKey(nameof(DeviceMemoryMB)) ? DeviceMemoryMB : (long?)null,
            };
            Invoke(() =>
            {
                foreach (var result in DeploymentChecks.Run(context, CancellationToken)) WriteObject(result);
            });
        }
    }
}
