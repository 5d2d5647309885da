using System.Collections.Generic;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.Dns;
using IoTEdgeTroubleshoot.Edge.Json;

namespace IoTEdgeTroubleshoot.Edge.Deployment.Checks
{
    /// <summary>
    /// manifest-dns: the guide's "Empty config file" fix. edgeAgent and edgeHub resolve the hub's name inside the
    /// engine's network; a DNS server set in their createOptions (HostConfig.Dns, option 2) or in the engine's
    /// daemon.json (option 1) keeps that working where the network's own resolver does not reach the containers.
    /// </summary>
    internal sealed class ManifestDnsCheck : IDeploymentCheck
    {
        public string Id => "manifest-dns";

        public string Description => "edgeAgent and edgeHub have a DNS server";

        public IEnumerable<IoTEdgeCheckResult> Run(DeploymentCheckContext context)
        {
            var manifest = context.Manifest!;
            var missing = new List<string>();
            foreach (var name in new[] { "edgeAgent", "edgeHub" })
            {
                var module = manifest.Module(name);
                if (module?.Settings?.Kind != JsonKind.Object) continue;
                var options = CreateOptions.Read(manifest.Text, module.Settings);
                var dns = options?.Dns;
                if (dns == null)
                {
                    missing.Add(name);
                    continue;
                }

                var bad = dns.Kind != JsonKind.Array ? new[] { dns.RawText(options!.IsObject ? manifest.Text : options.Text) } : dns.Items.Select(i => i.StringValue).Where(s => DnsServers.Problem(s) != null).Select(s => s ?? "null").ToArray();
                if (bad.Length > 0)
                {
                    yield return this.Result(context, CheckStatus.Error, $"{name}: HostConfig.Dns holds {string.Join(", ", bad)}, which Docker does not take (a list of IPv4 or IPv6 addresses).", options!.First.NameStart,
                        remedyCommand: $"Set-IoTEdgeDns -ManifestPath {DeploymentResults.Quote(context.Path)} -Module {name} -Server <address>");
                }
                else
                {
                    yield return this.Result(context, CheckStatus.Pass, $"{name}: HostConfig.Dns is {string.Join(", ", dns.Items.Select(i => i.StringValue))}.", options!.First.NameStart);
                }
            }

            if (missing.Count == 0) yield break;
            var engine = context.DaemonConfigPaths.Select(DaemonDnsSetting.Read).FirstOrDefault(s => s.Servers?.Count > 0);
            if (engine != null)
            {
                yield return this.Result(context, CheckStatus.Pass, $"{string.Join(" and ", missing)}: no HostConfig.Dns, but this machine's container engine gives every container {string.Join(", ", engine.Servers!)} ('{engine.Path}').");
                yield break;
            }

            yield return this.Result(context, CheckStatus.Warning,
                $"{string.Join(" and ", missing)}: no DNS server in createOptions (HostConfig.Dns), nor in this machine's container engine config. Where the containers' network cannot resolve names, edgeAgent keeps reporting 'Empty config file' and no module starts.",
                remedy: "Set a DNS server your devices can reach: in the engine's daemon.json for every container (option 1), or in edgeAgent's and edgeHub's createOptions (option 2).",
                remedyCommand: $"Set-IoTEdgeDns -ManifestPath {DeploymentResults.Quote(context.Path)} -Server <address>");
        }
    }
}
