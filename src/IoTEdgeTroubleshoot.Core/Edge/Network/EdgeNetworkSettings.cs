using System;
using System.IO;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Config.Checks;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Network
{
    /// <summary>
    /// What a device's config says about where it connects: the hub (the connection string's HostName, or
    /// iothub_hostname), the DPS endpoint, the parent of a nested device and the trust bundle it is
    /// validated with, and the agent's https_proxy and UpstreamProtocol. Both generations' files are read;
    /// the connection string's key is never kept.
    /// </summary>
    public sealed class EdgeNetworkSettings
    {
        public string? ConfigPath { get; private set; }

        public string? HubHostName { get; private set; }

        /// <summary>The host of provisioning's global_endpoint, when the device provisions through DPS.</summary>
        public string? DpsHostName { get; private set; }

        /// <summary>parent_hostname of a nested (child) device: it connects there instead of to the hub.</summary>
        public string? ParentHostName { get; private set; }

        /// <summary>trust_bundle_cert as a file path (the roots a nested device trusts its parent with).</summary>
        public string? TrustBundlePath { get; private set; }

        /// <summary>[agent.env] https_proxy as written (may hold a password: show <see cref="SecretMasker.Mask"/>ed).</summary>
        public string? HttpsProxy { get; private set; }

        /// <summary>[agent.env] UpstreamProtocol; null when not set (the runtime then uses Amqp, falling back to AmqpWs).</summary>
        public string? UpstreamProtocol { get; private set; }

        /// <summary>Reads a config file; a file that cannot be read or does not parse is a <see cref="TroubleshootException"/>.</summary>
        public static EdgeNetworkSettings Load(string path, EdgeGeneration? generation = null)
        {
            EdgeConfigDocument document;
            try
            {
                document = EdgeConfigDocument.Load(path, generation);
            }
            catch (Exception ex) when (FileReadFailures.IsReadFailure(ex))
            {
                throw FileReadFailures.ExceptionFor(path, ex, orElse: ex is UnauthorizedAccessException
                    ? "Or give -HubHostName."
                    : "Give -ConfigPath the device's config file, or -HubHostName.");
            }

            if (!document.IsValid)
            {
                var error = document.SyntaxError;
                string id = document.Generation == EdgeGeneration.V1_1 ? ErrorIds.ConfigNotValidYaml : ErrorIds.ConfigNotValidToml;
                throw new TroubleshootException(id, ProblemKind.InvalidData, path,
                    $"{error?.Message ?? "the file is not a mapping of settings"} (Test-IoTEdgeConfig lists every problem; or give -HubHostName.)",
                    error == null ? null : new FilePosition(path, error.Line, error.Column));
            }

            return From(document);
        }

        public static EdgeNetworkSettings From(EdgeConfigDocument document)
        {
            var generation = document.Generation;
            string? Text(params string[] keys)
            {
                var node = document.Find(keys);
                string? value = node == null ? null : SettingValues.AsString(node, generation);
                return string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
            }

            // Environment names as the agent's container sees them; https_proxy is also written HTTPS_PROXY.
            var env = document.Find("agent", "env");
            string? Env(string name)
            {
                if (env?.Type != ConfigValueType.Mapping) return null;
                var value = env.Entries.LastOrDefault(e => e.Key.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;
                return value != null && value.IsScalar ? TextValues.NullIfEmpty(value.Text?.Trim()) : null;
            }

            bool dps = Text("provisioning", "source") == "dps";

            string? connectionString = generation == EdgeGeneration.V1_1
                ? Text("provisioning", "device_connection_string") ?? Text("provisioning", "authentication", "device_connection_string")
                : Text("provisioning", "connection_string");
            string? hub = HostNameOf(connectionString)
                ?? (generation == EdgeGeneration.V1_1 ? Text("provisioning", "authentication", "iothub_hostname") : Text("provisioning", "iothub_hostname"));

            return new EdgeNetworkSettings
            {
                ConfigPath = document.Path,
                HubHostName = dps ? null : hub,
                DpsHostName = dps ? HostOf(Text("provisioning", "global_endpoint")) : null,
                ParentHostName = generation == EdgeGeneration.V1_1 ? null : Text("parent_hostname"),
                TrustBundlePath = SettingValues.AsUri(Text("trust_bundle_cert")) is Uri uri ? SettingValues.FilePath(uri) : null,
                HttpsProxy = Env("https_proxy"),
                UpstreamProtocol = Env("UpstreamProtocol"),
            };
        }

        /// <summary>HostName= of a connection string (the daemons split on ';' and '='); the rest, key included, is dropped.</summary>
        internal static string? HostNameOf(string? connectionString) => connectionString?.Split(';')
            .Select(part => part.Split(new[] { '=' }, 2))
            .LastOrDefault(pair => pair.Length == 2 && pair[0].Trim().Equals("HostName", StringComparison.OrdinalIgnoreCase)) is string[] found && found[1].Trim().Length > 0
            ? found[1].Trim()
            : null;

        private static string? HostOf(string? url) =>
            url != null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.IdnHost : null;
    }
}
