using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.Edge.Deployment.Checks
{
    /// <summary>
    /// manifest-registry-credentials: the guide's 403 on a module's image. Every registry that images come from,
    /// except Microsoft's (mcr.microsoft.com, anonymous) and Docker Hub (public images pull anonymously), needs an
    /// entry in $edgeAgent's runtime.settings.registryCredentials whose address is that registry.
    /// </summary>
    internal sealed class RegistryCredentialsCheck : IDeploymentCheck
    {
        private const string Microsoft = "mcr.microsoft.com";

        public string Id => "manifest-registry-credentials";

        public string Description => "every private registry an image comes from has credentials";

        public IEnumerable<IoTEdgeCheckResult> Run(DeploymentCheckContext context)
        {
            var manifest = context.Manifest!;
            var credentials = manifest.Credentials().Where(c => c.Address != null).Select(c => ImageReference.Normalize(c.Address!)).ToList();
            var byRegistry = manifest.Modules()
                .Where(m => !string.IsNullOrWhiteSpace(m.Image))
                .GroupBy(m => ImageReference.Registry(m.Image!), StringComparer.Ordinal)
                .ToList();
            if (byRegistry.Count == 0)
            {
                yield return this.Result(context, CheckStatus.Skipped, "No module names an image.");
                yield break;
            }

            foreach (var group in byRegistry)
            {
                var modules = group.ToList();
                string names = string.Join(", ", modules.Select(m => m.Name));
                string? registry = group.Key;
                if (registry == null)
                {
                    yield return this.Result(context, CheckStatus.Skipped, $"The image of {names} is a template placeholder (${{...}}); check the deployment the tooling generates from it.", modules[0].Settings!["image"]!.Start);
                    continue;
                }

                if (registry == Microsoft)
                {
                    yield return this.Result(context, CheckStatus.Pass, $"{names}: images from {Microsoft} need no credentials.");
                    continue;
                }

                if (credentials.Contains(registry))
                {
                    yield return this.Result(context, CheckStatus.Pass, $"{names}: images from {registry} have credentials.");
                    continue;
                }

                int at = modules[0].Settings!["image"]!.Start;
                if (registry == ImageReference.DockerHub)
                {
                    yield return this.Result(context, CheckStatus.Pass, $"{names}: Docker Hub images pull without credentials when they are public; a private one needs registryCredentials with the address docker.io.", at);
                    continue;
                }

                bool azure = registry.EndsWith(".azurecr.io", StringComparison.Ordinal);
                yield return this.Result(context, azure ? CheckStatus.Error : CheckStatus.Warning,
                    $"{names}: images from {registry} have no registryCredentials entry with that address, so edgeAgent pulls them anonymously and {(azure ? "Azure Container Registry refuses it" : "a private registry refuses it")} (the guide's 403 on a module's image).",
                    at,
                    remedy: $"Add the registry to $edgeAgent's runtime.settings.registryCredentials: \"{registry.Split('.')[0]}\": {{ \"address\": \"{registry}\", \"username\": \"...\", \"password\": \"...\" }}{(azure ? " (Azure portal > the registry > Access keys, with the admin user or a token)" : string.Empty)}, then deploy again.");
            }
        }
    }
}
