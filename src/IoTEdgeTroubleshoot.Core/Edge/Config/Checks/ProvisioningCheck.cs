using System;
using System.Collections.Generic;
using System.Linq;
using YamlDotNet.RepresentationModel;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// The provisioning section can work: a manual connection string with HostName, DeviceId and a
    /// base64 SharedAccessKey, or X.509 files that exist; DPS with a scope id and its attestation's fields.
    /// </summary>
    internal sealed class ProvisioningCheck : IConfigCheck
    {
        public string Id => "config-provisioning";

        public string Description => "the provisioning settings are complete";

        public bool NeedsValidYaml => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var doc = context.Document!;
            var section = doc.Find("provisioning");
            if (section is not YamlMappingNode)
            {
                yield return section == null
                    ? this.Result(context, CheckStatus.Skipped, "No provisioning section to check (config-sections reports it).")
                    : this.Result(context, CheckStatus.Error, "provisioning is not a mapping of settings (source, device_connection_string, ...).", section,
                        remedy: "Write provisioning as in the default config.yaml: 'provisioning:' then its settings indented by two spaces.");
                yield break;
            }

            var sourceNode = doc.Find("provisioning", "source") as YamlScalarNode;
            string source = sourceNode?.Value ?? string.Empty;
            var problems = source switch
            {
                "manual" => Manual(context, doc),
                "dps" => Dps(context, doc),
                "external" => Required(context, doc, "provisioning", "endpoint"),
                _ => new[] { this.Result(context, CheckStatus.Error, $"provisioning.source is '{source}'; it must be manual, dps or external.", (YamlNode?)sourceNode ?? doc.FindKey("provisioning")) },
            };

            var list = problems.ToList();
            foreach (var p in list) yield return p;
            if (list.Count == 0) yield return this.Result(context, CheckStatus.Pass, $"{source} provisioning is complete.", doc.FindKey("provisioning"));
        }

        private IEnumerable<IoTEdgeCheckResult> Manual(ConfigCheckContext context, EdgeConfigDocument doc)
        {
            var method = doc.ScalarValue("provisioning", "authentication", "method");
            if (method == "x509")
            {
                foreach (var p in Required(context, doc, "provisioning", "authentication", "iothub_hostname")) yield return p;
                foreach (var p in Required(context, doc, "provisioning", "authentication", "device_id")) yield return p;
                foreach (var p in FileUri(context, doc, "provisioning", "authentication", "identity_cert")) yield return p;
                foreach (var p in FileUri(context, doc, "provisioning", "authentication", "identity_pk")) yield return p;
                yield break;
            }

            var node = doc.Find("provisioning", "device_connection_string") as YamlScalarNode;
            string value = node?.Value ?? string.Empty;
            if (node == null || value.Length == 0 || value.StartsWith("<", StringComparison.Ordinal))
            {
                yield return this.Result(context, CheckStatus.Error, "provisioning.device_connection_string is not set.", (YamlNode?)node ?? doc.FindKey("provisioning"),
                    remedy: "Paste the device's connection string (IoT Hub > IoT Edge > your device > Primary connection string) into device_connection_string.");
                yield break;
            }

            var parts = value.Split(';')
                .Select(p => p.Split(new[] { '=' }, 2))
                .Where(p => p.Length == 2)
                .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.OrdinalIgnoreCase);
            foreach (var name in new[] { "HostName", "DeviceId" })
            {
                if (!parts.TryGetValue(name, out var part) || part.Length == 0)
                {
                    yield return this.Result(context, CheckStatus.Error, $"The connection string has no {name}.", node,
                        remedy: "Copy the whole connection string from the portal: HostName=...;DeviceId=...;SharedAccessKey=...");
                }
            }

            if (!parts.TryGetValue("SharedAccessKey", out var key) || key.Length == 0)
            {
                yield return this.Result(context, CheckStatus.Error, "The connection string has no SharedAccessKey.", node,
                    remedy: "Copy the whole connection string from the portal: HostName=...;DeviceId=...;SharedAccessKey=...");
            }
            else if (!IsBase64(key))
            {
                yield return this.Result(context, CheckStatus.Error, "The connection string's SharedAccessKey is not valid base64 (is it cut short?).", node,
                    remedy: "Copy the connection string again from the portal.");
            }
        }

        private IEnumerable<IoTEdgeCheckResult> Dps(ConfigCheckContext context, EdgeConfigDocument doc)
        {
            foreach (var p in Required(context, doc, "provisioning", "scope_id")) yield return p;
            var method = doc.Find("provisioning", "attestation", "method") as YamlScalarNode;
            switch (method?.Value)
            {
                case "tpm":
                    break; // registration_id is optional: the TPM's endorsement key gives one
                case "symmetric_key":
                    foreach (var p in Required(context, doc, "provisioning", "attestation", "registration_id")) yield return p;
                    foreach (var p in Required(context, doc, "provisioning", "attestation", "symmetric_key")) yield return p;
                    break;
                case "x509":
                    foreach (var p in FileUri(context, doc, "provisioning", "attestation", "identity_cert")) yield return p;
                    foreach (var p in FileUri(context, doc, "provisioning", "attestation", "identity_pk")) yield return p;
                    break;
                case null:
                    // IoT Edge 1.0 DPS: scope_id and registration_id directly under provisioning, TPM attestation.
                    if (doc.Find("provisioning", "attestation") != null)
                    {
                        yield return this.Result(context, CheckStatus.Error, "provisioning.attestation.method is missing.", doc.FindKey("provisioning", "attestation"),
                            remedy: "Set attestation.method to tpm, symmetric_key or x509.");
                    }

                    break;
                default:
                    yield return this.Result(context, CheckStatus.Error, $"provisioning.attestation.method is '{method.Value}'; it must be tpm, symmetric_key or x509.", method);
                    break;
            }
        }

        private IEnumerable<IoTEdgeCheckResult> Required(ConfigCheckContext context, EdgeConfigDocument doc, params string[] keys)
        {
            var node = doc.Find(keys) as YamlScalarNode;
            if (node == null || string.IsNullOrWhiteSpace(node.Value) || node.Value!.StartsWith("<", StringComparison.Ordinal))
            {
                string name = string.Join(".", keys);
                yield return this.Result(context, CheckStatus.Error, $"{name} is not set.", (YamlNode?)node ?? doc.FindKey(keys.Take(keys.Length - 1).ToArray()) ?? doc.FindKey(keys[0]),
                    remedy: $"Set {name} (the portal shows it for your device or enrollment).");
            }
        }

        private IEnumerable<IoTEdgeCheckResult> FileUri(ConfigCheckContext context, EdgeConfigDocument doc, params string[] keys)
        {
            var node = doc.Find(keys) as YamlScalarNode;
            string name = string.Join(".", keys);
            if (node == null || string.IsNullOrWhiteSpace(node.Value) || node.Value!.StartsWith("<", StringComparison.Ordinal))
            {
                yield return this.Result(context, CheckStatus.Error, $"{name} is not set.", (YamlNode?)node ?? doc.FindKey(keys[0]), remedy: $"Set {name} to a file:/// URI of the file.");
                yield break;
            }

            string? file = null;
            if (Uri.TryCreate(node.Value, UriKind.Absolute, out var uri) && uri.IsFile) file = uri.LocalPath;
            if (file == null)
            {
                yield return this.Result(context, CheckStatus.Error, $"{name} is '{node.Value}', which is not a file:/// URI.", node, remedy: "Write it as file:///path/to/file.");
            }
            else if (!context.FileExists(file))
            {
                yield return this.Result(context, CheckStatus.Error, $"{name} points at '{file}', which does not exist.", node,
                    remedy: "Put the file there, or correct the URI.");
            }
        }

        private static bool IsBase64(string value)
        {
            if (value.Length == 0 || value.Length % 4 != 0) return false;
            try
            {
                return Convert.FromBase64String(value).Length > 0;
            }
            catch (FormatException)
            {
                return false;
            }
        }
    }
}
