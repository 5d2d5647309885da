using System.Collections.Generic;
using System.IO;

namespace IoTEdgeTroubleshoot.Edge.Deployment.Checks
{
    /// <summary>manifest-readable: the file exists and can be read.</summary>
    internal sealed class ManifestReadableCheck : IDeploymentCheck
    {
        public string Id => "manifest-readable";

        public string Description => "the deployment manifest can be read";

        public IEnumerable<IoTEdgeCheckResult> Run(DeploymentCheckContext context)
        {
            var failure = context.ReadFailure;
            if (failure == null)
            {
                yield return this.Result(context, CheckStatus.Pass, $"'{context.Path}' was read.");
            }
            else if (failure is FileNotFoundException || failure is DirectoryNotFoundException)
            {
                yield return this.Result(context, CheckStatus.Error, $"'{context.Path}' does not exist.", remedy: "Give the deployment manifest (deployment.json, or the file 'az iot edge set-modules --content' takes); 'az iot edge deployment show' or the device's module twin in the portal shows the one deployed.");
            }
            else if (Directory.Exists(context.Path))
            {
                yield return this.Result(context, CheckStatus.Error, $"'{context.Path}' is a folder, not a deployment manifest.", remedy: "Give the manifest file in it (deployment.json, or config/deployment.amd64.json of a VS Code solution).");
            }
            else
            {
                yield return this.Result(context, CheckStatus.Error, $"'{context.Path}' cannot be read: {failure.Message}", remedy: "Check the path and your rights to read it.");
            }
        }
    }
}
