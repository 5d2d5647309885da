using System.Collections.Generic;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Deployment;
using IoTEdgeTroubleshoot.Edge.Deployment.Checks;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Adapters
{
    /// <summary>Test-IoTEdgeDeployment's checks of the manifest given with -DeploymentPath; Skipped without one.</summary>
    public sealed class DeploymentDeviceCheck : BlockingDeviceCheck
    {
        public override string Id => "edge-deployment";

        public override string Description => "the deployment manifest gives modules that can start here (Test-IoTEdgeDeployment)";

        public override DeviceCheckCategory Category => DeviceCheckCategory.Configuration;

        public override IReadOnlyList<string> ResultIds { get; } = DeploymentChecks.CheckIds;

        protected override IEnumerable<IoTEdgeCheckResult> Run(DeviceCheckContext context, CancellationToken cancellationToken)
        {
            if (context.DeploymentPath == null)
            {
                return new[] { Own(CheckStatus.Skipped, "Skipped: no deployment manifest was given (-DeploymentPath); the device's deployment lives in the hub.") };
            }

            var deployment = new DeploymentCheckContext(context.DeploymentPath)
            {
                PortOwners = new ListenerTablePortOwners(),
                DaemonConfigPaths = context.DaemonJsonPaths.Count > 0 ? context.DaemonJsonPaths : Dns.DaemonConfigLocations.Candidates(context.IsWindows),
            };
            return DeploymentChecks.Run(deployment, cancellationToken);
        }
    }
}
