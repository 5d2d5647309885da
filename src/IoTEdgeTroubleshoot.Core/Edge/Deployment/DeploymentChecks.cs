using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Deployment.Checks;

namespace IoTEdgeTroubleshoot.Edge.Deployment
{
    /// <summary>
    /// Test-IoTEdgeDeployment: every check of a deployment manifest, in order; checks that need JSON are
    /// Skipped when the file cannot be read or is not JSON.
    /// </summary>
    public static class DeploymentChecks
    {
        private static readonly IDeploymentCheck[] All =
        {
            new ManifestReadableCheck(),
            new ManifestJsonCheck(),
            new ManifestSchemaCheck(),
            new RegistryCredentialsCheck(),
            new RegistryAddressCheck(),
            new CreateOptionsCheck(),
            new EdgeHubPortsCheck(),
            new ManifestDnsCheck(),
            new HubOptimizationCheck(),
        };

        /// <summary>The ids of every check, in the order they run (documented in about_IoTEdgeTroubleshoot).</summary>
        public static IReadOnlyList<string> CheckIds { get; } = All.Select(c => c.Id).ToArray();

        /// <summary>Only the manifest's DNS check (Test-IoTEdgeDns -ManifestPath), after the file is read and parsed.</summary>
        public static IEnumerable<IoTEdgeCheckResult> RunDns(DeploymentCheckContext context) =>
            Run(context, default).Where(r => r.CheckId == "manifest-dns" || (r.Status == CheckStatus.Error && (r.CheckId == "manifest-readable" || r.CheckId == "manifest-json")));

        public static IEnumerable<IoTEdgeCheckResult> Run(DeploymentCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                context.Manifest = DeploymentManifest.Load(context.Path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                context.ReadFailure = ex;
            }

            bool json = context.Manifest?.Root?.Kind == Json.JsonKind.Object && context.Manifest.Document.File.IsValidText;
            foreach (var check in All)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (check is ManifestReadableCheck || (check is ManifestJsonCheck && context.Manifest != null))
                {
                    foreach (var result in check.Run(context)) yield return result;
                    continue;
                }

                if (context.Manifest == null || !json)
                {
                    yield return check.Result(context, CheckStatus.Skipped, context.Manifest == null ? "Skipped: the file could not be read." : "Skipped: the file is not a JSON object.");
                    continue;
                }

                if (context.Manifest.ContentPath == null && !(check is ManifestSchemaCheck))
                {
                    yield return check.Result(context, CheckStatus.Skipped, "Skipped: the file has no modulesContent.");
                    continue;
                }

                foreach (var result in check.Run(context)) yield return result;
            }
        }
    }
}
