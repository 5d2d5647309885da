using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// aziot-edged-config-well-formed, as `iotedge check` names it: the file is TOML 1.0 (the parser's line
    /// and column when not), its tables are tables, and a key the runtime does not read (ignored without a
    /// word, so usually a typo) is a warning.
    /// </summary>
    internal sealed class WellFormedCheck : IConfigCheck
    {
        /// <summary>Every top-level setting of config.toml (IoT Edge 1.2-1.6 and the identity service).</summary>
        internal static readonly string[] TopLevel =
        {
            "hostname", "parent_hostname", "local_gateway_hostname", "trust_bundle_cert", "allow_elevated_docker_permissions", "auto_reprovisioning_mode",
            "imported_master_encryption_key", "additional_info", "iotedge_max_requests", "cloud_timeout_sec", "cloud_retries", "aziot_max_requests",
            "prefer_module_identity_cache", "provisioning", "localid", "aziot_keys", "preloaded_keys", "cert_issuance", "preloaded_certs", "tpm",
            "agent", "connect", "listen", "watchdog", "edge_ca", "moby_runtime", "image_garbage_collection",
        };

        private static readonly string[] Tables = { "provisioning", "agent", "connect", "listen", "watchdog", "edge_ca", "moby_runtime", "cert_issuance", "tpm", "aziot_keys", "preloaded_keys", "preloaded_certs", "image_garbage_collection" };

        public string Id => "aziot-edged-config-well-formed";

        public string Description => "config.toml is well-formed";

        public bool NeedsParsedDocument => false;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var doc = context.Document!;
            var error = doc.SyntaxError;
            if (error != null)
            {
                yield return this.Result(context, CheckStatus.Error, $"Line {error.Line}, column {error.Column}: {error.Message}", new ConfigPlace(error.Line, error.Column),
                    remedy: "Fix the TOML at that position: key = \"value\" lines, [table] headers, matching quotes, each key once.");
                yield break;
            }

            int problems = 0;
            foreach (var entry in doc.Root!.Entries)
            {
                if (!TopLevel.Contains(entry.Key))
                {
                    problems++;
                    string? meant = SettingValues.Closest(entry.Key, TopLevel);
                    yield return this.Result(context, CheckStatus.Warning, $"IoT Edge does not read '{entry.Key}' and ignores it{(meant != null ? $"; did you mean '{meant}'?" : ".")}", entry,
                        remedy: meant != null ? $"Rename it to '{meant}'." : "Remove it, or move it under the [table] it belongs to (a key after a [table] header belongs to that table).");
                }
                else if (Tables.Contains(entry.Key) && entry.Value.Type != ConfigValueType.Mapping)
                {
                    problems++;
                    yield return this.Result(context, CheckStatus.Error, $"{entry.Key} is {SettingValues.Describe(entry.Value)}; it must be a [{entry.Key}] table.", entry,
                        remedy: $"Write [{entry.Key}] on its own line, then its settings as key = value lines under it.");
                }
            }

            if (problems == 0) yield return this.Result(context, CheckStatus.Pass, "The file is well-formed TOML and every setting is one IoT Edge reads.");
        }
    }
}
