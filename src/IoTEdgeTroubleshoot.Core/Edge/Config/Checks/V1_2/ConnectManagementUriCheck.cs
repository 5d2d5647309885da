using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// connect-management-uri, as `iotedge check` names it: [connect] and [listen] URIs (or their defaults)
    /// parse, and connect and listen reach the same endpoint (unix socket, fd:// systemd socket, or http port).
    /// </summary>
    internal sealed class ConnectManagementUriCheck : IConfigCheck
    {
        private static readonly Dictionary<string, string> Defaults = new Dictionary<string, string>
        {
            ["connect.workload_uri"] = "unix:///var/run/iotedge/workload.sock",
            ["connect.management_uri"] = "unix:///var/run/iotedge/mgmt.sock",
            ["listen.workload_uri"] = "fd://aziot-edged.workload.socket",
            ["listen.management_uri"] = "fd://aziot-edged.mgmt.socket",
        };

        public string Id => "connect-management-uri";

        public string Description => "[connect] and [listen] have correct URIs for the daemon's endpoints";

        public bool NeedsParsedDocument => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var doc = context.Document!;
            var problems = new List<IoTEdgeCheckResult>();
            foreach (var setting in Defaults.Keys)
            {
                var node = doc.Find(setting.Split('.'));
                if (node == null) continue;
                string? value = SettingValues.AsString(node, EdgeGeneration.V1_2);
                if (value == null || SettingValues.AsUri(value) == null || PastedValue.Problem(value) != null)
                {
                    problems.Add(this.Result(context, CheckStatus.Error, $"{setting} is {SettingValues.Describe(node)}, which is not a URI.", node, remedy: $"Use the default, {Defaults[setting]}, or delete the line."));
                }
            }

            if (problems.Count == 0)
            {
                problems.AddRange(UriPairs.Consistency(this, context, "management_uri", Read));
                problems.AddRange(UriPairs.Consistency(this, context, "workload_uri", Read));
            }

            foreach (var p in problems) yield return p;
            if (problems.Count == 0) yield return this.Result(context, CheckStatus.Pass, doc.Find("connect") == null && doc.Find("listen") == null ? "[connect] and [listen] are not set: the defaults are used." : "The [connect] and [listen] URIs are valid and agree.");
        }

        private static (string? Value, ConfigNode? Node) Read(EdgeConfigDocument doc, string setting)
        {
            var node = doc.Find(setting.Split('.'));
            return node == null ? (Defaults[setting], null) : (SettingValues.AsString(node, EdgeGeneration.V1_2), node);
        }
    }
}
