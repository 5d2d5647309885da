using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.Json;

namespace IoTEdgeTroubleshoot.Edge.Deployment.Checks
{
    /// <summary>
    /// manifest-edgehub-ports: the host ports edgeHub's createOptions binds (443, 5671, 8883 in the templates)
    /// are free here. Another process on one of them is the guide's "Bind for 0.0.0.0:443 failed: port is
    /// already allocated", and edgeHub does not start.
    /// </summary>
    internal sealed class EdgeHubPortsCheck : IDeploymentCheck
    {
        public string Id => "manifest-edgehub-ports";

        public string Description => "edgeHub's host ports are free on this machine";

        public IEnumerable<IoTEdgeCheckResult> Run(DeploymentCheckContext context)
        {
            var manifest = context.Manifest!;
            var hub = manifest.Module("edgeHub");
            var options = hub?.Settings?.Kind == JsonKind.Object ? CreateOptions.Read(manifest.Text, hub.Settings) : null;
            var bindings = options?.HostConfig?.MemberIgnoringCase("PortBindings")?.Value;
            var ports = HostPorts(bindings).Distinct().ToList();
            if (ports.Count == 0)
            {
                yield return this.Result(context, CheckStatus.Pass, "edgeHub binds no host port (leaf devices cannot reach it from outside; fine when no device connects to this gateway).");
                yield break;
            }

            string list = string.Join(", ", ports.Select(p => p.ToString(CultureInfo.InvariantCulture)));
            if (context.PortOwners.Unavailable is string why)
            {
                yield return this.Result(context, CheckStatus.Skipped, $"edgeHub binds host ports {list}; {why}.", options!.First.NameStart, remedyCommand: "Test-IoTEdgeFirewall -Local");
                yield break;
            }

            foreach (int port in ports)
            {
                string? owner = context.PortOwners.OwnerOf(port);
                if (owner == null)
                {
                    yield return this.Result(context, CheckStatus.Pass, $"Host port {port} that edgeHub binds is free.", options!.First.NameStart);
                    continue;
                }

                yield return this.Result(context, CheckStatus.Error,
                    $"Host port {port} that edgeHub binds is held by {owner}: edgeHub fails with \"Bind for 0.0.0.0:{port} failed: port is already allocated\".", options!.First.NameStart,
                    remedy: $"Stop the process on port {port} (often a web server) or move it to another port; if it is docker-proxy, another container already publishes {port}. Or drop the binding from edgeHub's createOptions if no leaf device uses it.");
            }
        }

        // "443/tcp": [{ "HostPort": "443" }]: HostPort as a string (Docker's form) or a number.
        private static IEnumerable<int> HostPorts(JsonSpan? bindings)
        {
            if (bindings?.Kind != JsonKind.Object) yield break;
            foreach (var binding in bindings.Members)
            {
                if (binding.Value.Kind != JsonKind.Array) continue;
                foreach (var item in binding.Value.Items)
                {
                    var hostPort = item.Kind == JsonKind.Object ? item.MemberIgnoringCase("HostPort")?.Value : null;
                    string? text = hostPort?.StringValue ?? hostPort?.NumberText;
                    if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port > 0 && port < 65536) yield return port;
                }
            }
        }
    }
}
