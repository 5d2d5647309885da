using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.Edge.Deployment.Checks
{
    /// <summary>
    /// manifest-registry-address: each registryCredentials entry is complete and names a registry the images
    /// come from, written as the login server's host name (what the engine matches). An entry whose address
    /// matches no image host while an image host has no entry is the usual typo behind a 403.
    /// </summary>
    internal sealed class RegistryAddressCheck : IDeploymentCheck
    {
        public string Id => "manifest-registry-address";

        public string Description => "registry credentials are complete and their addresses match the image hosts";

        public IEnumerable<IoTEdgeCheckResult> Run(DeploymentCheckContext context)
        {
            var manifest = context.Manifest!;
            var credentials = manifest.Credentials().ToList();
            if (credentials.Count == 0)
            {
                yield return this.Result(context, CheckStatus.Pass, "No registry credentials (none are needed for mcr.microsoft.com or public images).");
                yield break;
            }

            var hosts = manifest.Modules().Where(m => !string.IsNullOrWhiteSpace(m.Image)).Select(m => ImageReference.Registry(m.Image!)).Where(h => h != null).Select(h => h!).Distinct().ToList();
            var covered = new HashSet<string>(credentials.Where(c => c.Address != null).Select(c => ImageReference.Normalize(c.Address!)));
            var uncovered = hosts.Where(h => !covered.Contains(h) && h != "mcr.microsoft.com" && h != ImageReference.DockerHub).ToList();
            foreach (var credential in credentials)
            {
                int at = credential.Member.NameStart;
                var missing = new[] { ("address", credential.Address != null), ("username", credential.Username != null), ("password", credential.HasPassword) }.Where(f => !f.Item2).Select(f => f.Item1).ToList();
                if (missing.Count > 0)
                {
                    yield return this.Result(context, CheckStatus.Error, $"registryCredentials.{credential.Name} has no {string.Join(" and no ", missing)}.", at,
                        remedy: "Each entry needs address (the login server, such as myacr.azurecr.io), username and password.");
                    if (credential.Address == null) continue;
                }

                string host = ImageReference.Normalize(credential.Address!);
                if (ImageReference.HasMoreThanHost(credential.Address!) && host != ImageReference.DockerHub)
                {
                    yield return this.Result(context, CheckStatus.Warning, $"registryCredentials.{credential.Name}.address is '{credential.Address}': the engine matches the registry by host name, so write it as '{host}' (no https://, no path).", credential.Member.Value["address"]!.Start);
                }

                if (hosts.Contains(host))
                {
                    if (missing.Count == 0) yield return this.Result(context, CheckStatus.Pass, $"registryCredentials.{credential.Name} ({host}) is used by images from that registry.", at);
                    continue;
                }

                if (uncovered.Count > 0)
                {
                    yield return this.Result(context, CheckStatus.Error,
                        $"registryCredentials.{credential.Name} is for '{host}', but no image comes from there, while images from {string.Join(", ", uncovered)} have no credentials: the address does not match the image host.",
                        credential.Member.Value["address"]!.Start,
                        remedy: $"Make the address the registry in the image names ({uncovered[0]}), or correct the image names.");
                }
                else
                {
                    yield return this.Result(context, CheckStatus.Warning, $"registryCredentials.{credential.Name} ({host}) is used by no image in this deployment.", at, remedy: "Remove it, or check the image names.");
                }
            }
        }
    }
}
