using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// The management, workload and container-engine URIs (from the file, else the daemon's defaults) are
    /// URIs of a kind the daemon uses, connect and listen point at the same sockets (as `iotedge check`
    /// requires of their schemes), and listen.min_tls_version is one the daemon knows.
    /// </summary>
    internal sealed class UrisCheck : IConfigCheck
    {
        private static readonly string[] Schemes = { "unix", "fd", "http", "https", "npipe" };

        private static readonly string[] TlsVersions = { "tls", "tls1", "tls10", "tls1.0", "tls1_0", "tlsv10", "tls11", "tls1.1", "tls1_1", "tlsv11", "tls12", "tls1.2", "tls1_2", "tlsv12" };

        public string Id => "config-uris";

        public string Description => "the daemon's URIs are valid and consistent";

        public bool NeedsParsedDocument => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var doc = context.Document!;
            var problems = new List<IoTEdgeCheckResult>();
            foreach (var setting in new[] { "connect.management_uri", "connect.workload_uri", "listen.management_uri", "listen.workload_uri", "moby_runtime.uri" })
            {
                var (value, node) = Read(doc, setting);
                if (node != null && value == null)
                {
                    problems.Add(this.Result(context, CheckStatus.Error, $"{setting} is {SettingValues.Describe(node)}; it must be a URI.", node));
                }
                else if (value != null && (SettingValues.AsUri(value) is not Uri uri || !Schemes.Contains(uri.Scheme)))
                {
                    problems.Add(this.Result(context, CheckStatus.Error, $"{setting} is '{value}', which is not a {string.Join(", ", Schemes)} URI.", node,
                        remedy: $"Restore the default: {V11Defaults.For(doc, setting)}"));
                }
            }

            if (problems.Count == 0)
            {
                problems.AddRange(UriPairs.Consistency(this, context, "management_uri", (d, s) => Read(d, s)));
                problems.AddRange(UriPairs.Consistency(this, context, "workload_uri", (d, s) => Read(d, s)));
            }

            var tls = doc.Find("listen", "min_tls_version");
            if (tls != null && !TlsVersions.Contains((SettingValues.AsString(tls, EdgeGeneration.V1_1) ?? string.Empty).ToLowerInvariant()))
            {
                problems.Add(this.Result(context, CheckStatus.Error, $"listen.min_tls_version is {SettingValues.Describe(tls)}; the daemon knows tls1.0, tls1.1 and tls1.2.", tls, remedy: "Use tls1.2."));
            }

            foreach (var p in problems) yield return p;
            if (problems.Count == 0) yield return this.Result(context, CheckStatus.Pass, "The URIs are valid, and connect and listen agree.");
        }

        private static (string? Value, ConfigNode? Node) Read(EdgeConfigDocument doc, string setting)
        {
            var node = doc.Find(setting.Split('.'));
            return node == null ? (V11Defaults.For(doc, setting), null) : (SettingValues.AsString(node, EdgeGeneration.V1_1), node);
        }
    }

    /// <summary>connect.X and listen.X must reach the same endpoint: both http on one port, or unix on one socket (listen may be a systemd fd:// socket).</summary>
    internal static class UriPairs
    {
        public static IEnumerable<IoTEdgeCheckResult> Consistency(IConfigCheck check, ConfigCheckContext context, string name, Func<EdgeConfigDocument, string, (string? Value, ConfigNode? Node)> read)
        {
            var doc = context.Document!;
            var (connectText, connectNode) = read(doc, "connect." + name);
            var (listenText, listenNode) = read(doc, "listen." + name);
            var connect = SettingValues.AsUri(connectText);
            var listen = SettingValues.AsUri(listenText);
            if (connect == null || listen == null) yield break;
            ConfigPlace? at = (ConfigPlace?)connectNode ?? listenNode;
            string remedy = $"Make connect.{name} and listen.{name} the same socket (or the same port), as in the default config.";
            switch ((connect.Scheme, listen.Scheme))
            {
                case ("unix", "fd"):
                    break;
                case ("unix", "unix") when Uri.UnescapeDataString(connect.AbsolutePath).TrimEnd('/') != Uri.UnescapeDataString(listen.AbsolutePath).TrimEnd('/'):
                    yield return check.Result(context, CheckStatus.Error, $"connect.{name} ({connectText}) and listen.{name} ({listenText}) point at different sockets: the agent would connect where the daemon does not listen.", at, remedy);
                    break;
                case ("http", "http") when connect.Port != listen.Port:
                    yield return check.Result(context, CheckStatus.Error, $"connect.{name} ({connectText}) and listen.{name} ({listenText}) use different ports: the agent would connect where the daemon does not listen.", at, remedy);
                    break;
                case ("unix", "unix"):
                case ("http", "http"):
                    break;
                default:
                    yield return check.Result(context, CheckStatus.Error, $"connect.{name} ({connect.Scheme}) and listen.{name} ({listen.Scheme}) are an invalid combination of schemes (as `iotedge check` reports it).", at, remedy);
                    break;
            }
        }
    }
}
