using System.Linq;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Deployment;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The guide's fix for edgeHub on constrained devices: its env OptimizeForPerformance as {"value": "false"} in a
    /// deployment manifest; everything else in the file stays.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "IoTEdgeHubOptimization", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(IoTEdgeCheckResult))]
    public sealed class SetIoTEdgeHubOptimizationCommand : JsonFileEditCommandBase
    {
        /// <summary>The deployment manifest (also from Test-IoTEdgeDeployment's results).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "ManifestPath")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>$false for a constrained device (the guide's fix), $true for the default behaviour.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        public bool OptimizeForPerformance { get; set; }

        /// <summary>Return the manifest's edgeHub optimization check after the change.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private readonly System.Collections.Generic.HashSet<string> _done = new System.Collections.Generic.HashSet<string>(System.StringComparer.Ordinal);

        protected override void ProcessRecord()
        {
            string path = ResolveSinglePath(Path);
            if (!_done.Add(path)) return;
            string value = OptimizeForPerformance ? "true" : "false";
            var outcome = EditFile(path, file => ManifestEditor.SetHubOptimization(file, OptimizeForPerformance), $"Set edgeHub's OptimizeForPerformance to \"{value}\"");
            if (outcome == FileChangeOutcome.Written) SayDeploy(path);
            if (PassThru && outcome != FileChangeOutcome.Failed)
            {
                Invoke(() =>
                {
                    foreach (var result in DeploymentChecks.Run(new Edge.Deployment.Checks.DeploymentCheckContext(path), CancellationToken).Where(r => r.CheckId == "manifest-edgehub-optimization")) WriteObject(result);
                });
            }
        }
    }
}
