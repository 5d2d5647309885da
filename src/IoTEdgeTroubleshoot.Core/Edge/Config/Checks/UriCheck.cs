using System;
using System.Collections.Generic;
using System.Linq;
using YamlDotNet.RepresentationModel;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>The management, workload and container-engine URIs are URIs of a kind the daemon uses.</summary>
    internal sealed class UriCheck : IConfigCheck
    {
        private static readonly string[][] Settings =
        {
            new[] { "connect", "management_uri" },
            new[] { "connect", "workload_uri" },
            new[] { "listen", "management_uri" },
            new[] { "listen", "workload_uri" },
            new[] { "moby_runtime", "uri" },
        };

        private static readonly string[] Schemes = { "unix", "fd", "http", "https", "npipe" };

        public string Id => "config-uris";

        public string Description => "the daemon's URIs are valid";

        public bool NeedsValidYaml => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            int problems = 0;
            foreach (var keys in Settings)
            {
                if (context.Document!.Find(keys) is not YamlScalarNode node) continue; // config-sections reports missing sections
                string value = node.Value ?? string.Empty;
                string name = string.Join(".", keys);
                if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !Schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase))
                {
                    problems++;
                    yield return this.Result(context, CheckStatus.Error, $"{name} is '{value}', which is not a {string.Join(", ", Schemes)} URI.", node,
                        remedy: "Restore the default: Linux unix:///var/run/iotedge/mgmt.sock and workload.sock (connect), fd://iotedge.mgmt.socket and fd://iotedge.socket (listen), unix:///var/run/docker.sock (moby_runtime).");
                }
            }

            if (problems == 0) yield return this.Result(context, CheckStatus.Pass, "The URIs are valid.");
        }
    }
}
