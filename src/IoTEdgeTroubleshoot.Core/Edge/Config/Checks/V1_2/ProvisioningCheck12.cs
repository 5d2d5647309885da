using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// [provisioning] as 'iotedge config apply' reads it: source "manual" with connection_string, or
    /// iothub_hostname, device_id and [provisioning.authentication] (method "sas" with device_id_pk, or
    /// "x509" with identity_cert and identity_pk); source "dps" with global_endpoint, id_scope and
    /// [provisioning.attestation] (symmetric_key, x509 or tpm with their fields); or source "none".
    /// </summary>
    internal sealed class ProvisioningCheck12 : IConfigCheck
    {
        public string Id => "config-provisioning";

        public string Description => "the provisioning settings are complete";

        public bool NeedsParsedDocument => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var reader = new SettingReader(this, context, EdgeGeneration.V1_2);
            var doc = context.Document!;
            var section = doc.Find("provisioning");
            if (section == null)
            {
                yield return this.Result(context, CheckStatus.Error, "There is no [provisioning] section: 'iotedge config apply' refuses the file. (The template has every provisioning block commented out.)",
                    remedy: "Uncomment one provisioning block of the template and fill it in: [provisioning] source = \"manual\" with connection_string = \"<the device's connection string>\", or a DPS block.");
                yield break;
            }

            if (section.Type != ConfigValueType.Mapping)
            {
                yield return this.Result(context, CheckStatus.Skipped, "Skipped: provisioning is not a table (aziot-edged-config-well-formed reports it).");
                yield break;
            }


            string? source = reader.Text("provisioning", "source");
            var problems = source switch
            {
                "manual" => Manual(reader, doc),
                "dps" => Dps(reader, doc),
                "none" => Enumerable.Empty<IoTEdgeCheckResult>(),
                _ => new[]
                {
                    reader.Error(source == null ? "provisioning.source is not set (or not a string in quotes)." : $"provisioning.source is '{source}'; it must be \"manual\", \"dps\" or \"none\" (in lower case).",
                        (ConfigPlace?)doc.Find("provisioning", "source") ?? doc.FindEntry("provisioning"), "Set source = \"manual\" or source = \"dps\"."),
                },
            };

            var list = problems.ToList();
            foreach (var p in list) yield return p;
            if (list.Count == 0)
            {
                yield return this.Result(context, CheckStatus.Pass, source == "none" ? "source = \"none\": the device is not provisioned to a hub." : $"{source} provisioning{Form(doc, source)} is complete.", doc.FindEntry("provisioning"));
            }
        }

        private static string Form(EdgeConfigDocument doc, string? source) => source == "dps"
            ? $" ({doc.ScalarValue("provisioning", "attestation", "method")})"
            : doc.Find("provisioning", "connection_string") != null ? " (connection string)" : $" ({doc.ScalarValue("provisioning", "authentication", "method")})";

        private IEnumerable<IoTEdgeCheckResult> Manual(SettingReader reader, EdgeConfigDocument doc)
        {
            if (doc.Find("provisioning", "connection_string") != null)
            {
                foreach (var p in reader.ConnectionString("provisioning", "connection_string")) yield return p;
                if (doc.Find("provisioning", "authentication") != null || doc.Find("provisioning", "device_id") != null)
                {
                    yield return reader.Error("provisioning has both connection_string and iothub_hostname/device_id/authentication: only the connection string is used.", doc.FindEntry("provisioning", "connection_string"),
                        "Keep one form: delete the connection string, or the explicit settings.");
                }

                yield break;
            }

            if (doc.Find("provisioning", "device_connection_string") != null)
            {
                yield return reader.Error("provisioning.device_connection_string is the 1.1 name: IoT Edge 1.2+ reads connection_string.", doc.FindEntry("provisioning", "device_connection_string"),
                    "Rename the key to connection_string.");
                yield break;
            }

            if (doc.Find("provisioning", "iothub_hostname") == null && doc.Find("provisioning", "authentication") == null)
            {
                yield return reader.Error("Manual provisioning needs connection_string, or iothub_hostname, device_id and [provisioning.authentication]; none is set.", doc.FindEntry("provisioning"),
                    "Add connection_string = \"<the device's connection string>\" under [provisioning].");
                yield break;
            }

            foreach (var p in reader.Required("provisioning", "iothub_hostname")) yield return p;
            foreach (var p in reader.Required("provisioning", "device_id")) yield return p;
            string? method = reader.Text("provisioning", "authentication", "method");
            switch (method)
            {
                case "sas":
                    foreach (var p in Key(reader, doc, "provisioning", "authentication", "device_id_pk")) yield return p;
                    break;
                case "x509":
                    foreach (var p in Identity(reader, doc, "provisioning", "authentication")) yield return p;
                    break;
                default:
                    yield return reader.Error(method == null ? "[provisioning.authentication] method is not set." : $"provisioning.authentication.method is '{method}'; it must be \"sas\" or \"x509\".",
                        (ConfigPlace?)doc.Find("provisioning", "authentication", "method") ?? doc.FindEntry("provisioning"), "Add [provisioning.authentication] with method = \"sas\" or \"x509\".");
                    break;
            }
        }

        private IEnumerable<IoTEdgeCheckResult> Dps(SettingReader reader, EdgeConfigDocument doc)
        {
            foreach (var p in reader.Url("provisioning", "global_endpoint")) yield return p;
            if (doc.Find("provisioning", "id_scope") == null && doc.Find("provisioning", "scope_id") != null)
            {
                yield return reader.Error("provisioning.scope_id is the 1.1 name: IoT Edge 1.2+ reads id_scope.", doc.FindEntry("provisioning", "scope_id"), "Rename the key to id_scope.");
            }
            else
            {
                foreach (var p in reader.Required("provisioning", "id_scope")) yield return p;
            }

            string? method = reader.Text("provisioning", "attestation", "method");
            switch (method)
            {
                case "symmetric_key":
                    foreach (var p in reader.Required("provisioning", "attestation", "registration_id")) yield return p;
                    foreach (var p in Key(reader, doc, "provisioning", "attestation", "symmetric_key")) yield return p;
                    break;
                case "tpm":
                    foreach (var p in reader.Required("provisioning", "attestation", "registration_id")) yield return p;
                    break;
                case "x509":
                    foreach (var p in reader.Optional("provisioning", "attestation", "registration_id")) yield return p;
                    foreach (var p in Identity(reader, doc, "provisioning", "attestation")) yield return p;
                    break;
                default:
                    yield return reader.Error(method == null ? "[provisioning.attestation] method is not set." : $"provisioning.attestation.method is '{method}'; it must be \"symmetric_key\", \"x509\" or \"tpm\".",
                        (ConfigPlace?)doc.Find("provisioning", "attestation", "method") ?? doc.FindEntry("provisioning"), "Add [provisioning.attestation] with method = \"symmetric_key\", \"x509\" or \"tpm\".");
                    break;
            }
        }

        // device_id_pk / symmetric_key: { value = "<base64>" } or { uri = "file://..." | "pkcs11:..." }.
        private IEnumerable<IoTEdgeCheckResult> Key(SettingReader reader, EdgeConfigDocument doc, params string[] keys)
        {
            var node = doc.Find(keys);
            string name = ConfigNodePaths.Name(keys);
            if (node != null && node.Type == ConfigValueType.Mapping && node["value"] != null)
            {
                foreach (var p in reader.Base64(ConfigNodePaths.Append(keys, "value"))) yield return p;
            }
            else if (node != null && node.Type == ConfigValueType.Mapping && node["uri"] != null)
            {
                foreach (var p in reader.Url(ConfigNodePaths.Append(keys, "uri"))) yield return p;
            }
            else
            {
                yield return reader.Error(node == null ? $"{name} is not set." : $"{name} is {SettingValues.Describe(node)}; it must be {{ value = \"<base64 key>\" }} or {{ uri = \"file:///...\" }}.",
                    (ConfigPlace?)node ?? doc.FindEntry(EdgeConfigDocument.Parents(keys)), $"Write {keys[keys.Length - 1]} = {{ value = \"<the base64 key>\" }}.");
            }
        }

        // identity_cert = "file://..." with identity_pk, or [..identity_cert] issued with a method (est, local_ca).
        private IEnumerable<IoTEdgeCheckResult> Identity(SettingReader reader, EdgeConfigDocument doc, params string[] table)
        {
            var cert = doc.Find(ConfigNodePaths.Append(table, "identity_cert"));
            if (cert != null && cert.Type == ConfigValueType.Mapping)
            {
                foreach (var p in reader.Required(ConfigNodePaths.Append(ConfigNodePaths.Append(table, "identity_cert"), "method"))) yield return p;
                yield break;
            }

            foreach (var p in reader.Url(ConfigNodePaths.Append(table, "identity_cert"))) yield return p;
            foreach (var p in reader.Url(ConfigNodePaths.Append(table, "identity_pk"))) yield return p;
        }
    }
}
