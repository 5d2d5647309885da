using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>container-engine-uri, as `iotedge check` names it, for the file: [moby_runtime] uri (default unix:///var/run/docker.sock) and network.</summary>
    internal sealed class ContainerEngineUriCheck : IConfigCheck
    {
        private static readonly string[] Schemes = { "unix", "http", "https" };

        public string Id => "container-engine-uri";

        public string Description => "[moby_runtime] names a container engine the runtime can reach";

        public bool NeedsParsedDocument => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var doc = context.Document!;
            if (doc.Find("moby_runtime") is not ConfigNode section || section.Type != ConfigValueType.Mapping)
            {
                yield return this.Result(context, CheckStatus.Pass, "[moby_runtime] is not set: the runtime uses unix:///var/run/docker.sock and the azure-iot-edge network.");
                yield break;
            }

            // With the table present, serde needs both uri and network (nothing is merged in).
            var reader = new SettingReader(this, context, EdgeGeneration.V1_2);
            var problems = reader.Url("moby_runtime", "uri").ToList();
            var uri = SettingValues.AsUri(doc.ScalarValue("moby_runtime", "uri"));
            if (problems.Count == 0 && uri != null && !Schemes.Contains(uri.Scheme))
            {
                problems.Add(this.Result(context, CheckStatus.Error, $"moby_runtime.uri is '{doc.ScalarValue("moby_runtime", "uri")}'; the runtime reaches Docker over unix:// (or http://).", doc.Find("moby_runtime", "uri"),
                    remedy: "Use unix:///var/run/docker.sock."));
            }

            var network = doc.Find("moby_runtime", "network");
            if (network == null || (network.Type != ConfigValueType.String && !(network.Type == ConfigValueType.Mapping && network["name"] != null)))
            {
                problems.Add(this.Result(context, CheckStatus.Error, network == null ? "moby_runtime.network is not set; with a [moby_runtime] table it is needed." : $"moby_runtime.network is {SettingValues.Describe(network)}; it must be a network name in quotes, or a table with a name.",
                    (ConfigPlace?)network ?? doc.FindEntry("moby_runtime"), "Add network = \"azure-iot-edge\"."));
            }

            foreach (var p in problems) yield return p;
            if (problems.Count == 0) yield return this.Result(context, CheckStatus.Pass, $"The container engine is {uri}.", doc.FindEntry("moby_runtime"));
        }
    }
}
