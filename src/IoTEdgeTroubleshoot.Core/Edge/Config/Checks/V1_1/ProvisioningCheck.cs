using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// provisioning as the 1.0/1.1 daemon reads it (merged over its default source: "manual"): manual with
    /// device_connection_string, or authentication {method: device_connection_string | x509} (never both);
    /// dps with global_endpoint, scope_id and either a 1.0-style registration_id (TPM) or an attestation
    /// (tpm and symmetric_key need registration_id, x509 its files), never both; external with an endpoint.
    /// </summary>
    internal sealed class ProvisioningCheck : IConfigCheck
    {
        public string Id => "config-provisioning";

        public string Description => "the provisioning settings are complete";

        public bool NeedsParsedDocument => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var reader = new SettingReader(this, context, EdgeGeneration.V1_1);
            var doc = context.Document!;
            var section = doc.Find("provisioning");
            if (section == null || section.Type != ConfigValueType.Mapping)
            {
                // Without it the daemon's default is manual provisioning with nothing to provision with.
                yield return this.Result(context, CheckStatus.Error, "There is no provisioning section: the daemon's default, manual provisioning, has no connection string to use.", doc.FindEntry("provisioning"),
                    remedy: "Add a provisioning section: source: \"manual\" with device_connection_string: \"<the device's connection string>\", or a DPS block from the default config.yaml.");
                yield break;
            }

            string? source = reader.Text("provisioning", "source") ?? V11Defaults.For(doc, "provisioning.source");
            var problems = source switch
            {
                "manual" => Manual(reader, doc),
                "dps" => Dps(reader, doc),
                "external" => reader.Url("provisioning", "endpoint"),
                _ => new[] { this.Result(context, CheckStatus.Error, $"provisioning.source is '{source}'; it must be manual, dps or external (in lower case).", doc.Find("provisioning", "source")) },
            };

            var list = problems.Concat(reader.Bool("provisioning", "dynamic_reprovisioning")).ToList();
            foreach (var p in list) yield return p;
            if (list.Count == 0) yield return this.Result(context, CheckStatus.Pass, $"{source} provisioning{Form(doc, source)} is complete.", doc.FindEntry("provisioning"));
        }

        private static string Form(EdgeConfigDocument doc, string? source) => source switch
        {
            "manual" => doc.Find("provisioning", "authentication") == null ? " (connection string)" : $" ({doc.ScalarValue("provisioning", "authentication", "method")})",
            "dps" => $" ({doc.ScalarValue("provisioning", "attestation", "method") ?? "tpm"})",
            _ => string.Empty,
        };

        private IEnumerable<IoTEdgeCheckResult> Manual(SettingReader reader, EdgeConfigDocument doc)
        {
            var connectionString = doc.FindEntry("provisioning", "device_connection_string");
            var authentication = doc.FindEntry("provisioning", "authentication");
            if (connectionString != null && authentication != null)
            {
                yield return reader.Error("Both provisioning.device_connection_string and provisioning.authentication are set; the daemon refuses a file with both.", authentication,
                    "Keep one: delete the authentication block, or the device_connection_string line.");
                yield break;
            }

            if (connectionString == null && authentication == null)
            {
                yield return reader.Error("Manual provisioning needs provisioning.device_connection_string, or an authentication block (method: x509 or device_connection_string); neither is set.", doc.FindEntry("provisioning"),
                    "Add device_connection_string: \"<the device's connection string>\" under provisioning.");
                yield break;
            }

            if (connectionString != null)
            {
                foreach (var p in reader.ConnectionString("provisioning", "device_connection_string")) yield return p;
                yield break;
            }

            if (authentication!.Value.Type != ConfigValueType.Mapping)
            {
                yield return reader.Error($"provisioning.authentication is {SettingValues.Describe(authentication.Value)}; it must be a mapping with a method.", authentication.Value, null);
                yield break;
            }

            string? method = reader.Text("provisioning", "authentication", "method");
            switch (method)
            {
                case "device_connection_string":
                    foreach (var p in reader.ConnectionString("provisioning", "authentication", "device_connection_string")) yield return p;
                    break;
                case "x509":
                    foreach (var p in reader.Required("provisioning", "authentication", "iothub_hostname")) yield return p;
                    foreach (var p in reader.Required("provisioning", "authentication", "device_id")) yield return p;
                    foreach (var p in reader.FileUrl("provisioning", "authentication", "identity_cert")) yield return p;
                    foreach (var p in reader.FileUrl("provisioning", "authentication", "identity_pk")) yield return p;
                    break;
                default:
                    yield return reader.Error(method == null ? "provisioning.authentication.method is not set." : $"provisioning.authentication.method is '{method}'; it must be device_connection_string or x509.",
                        (ConfigPlace?)doc.Find("provisioning", "authentication", "method") ?? authentication, null);
                    break;
            }
        }

        private IEnumerable<IoTEdgeCheckResult> Dps(SettingReader reader, EdgeConfigDocument doc)
        {
            foreach (var p in reader.Url("provisioning", "global_endpoint")) yield return p;
            foreach (var p in reader.Required("provisioning", "scope_id")) yield return p;
            var attestation = doc.FindEntry("provisioning", "attestation");
            var registration = doc.FindEntry("provisioning", "registration_id");
            if (attestation != null && registration != null)
            {
                yield return reader.Error("provisioning.registration_id and provisioning.attestation are both set; with an attestation, registration_id belongs inside it only.", registration,
                    "Delete provisioning.registration_id (keep attestation.registration_id).");
                yield break;
            }

            if (attestation == null)
            {
                // The 1.0 form: registration_id directly under provisioning means TPM attestation.
                foreach (var p in reader.Required("provisioning", "registration_id")) yield return p;
                yield break;
            }

            string? method = reader.Text("provisioning", "attestation", "method");
            switch (method)
            {
                case "tpm":
                    foreach (var p in reader.Required("provisioning", "attestation", "registration_id")) yield return p;
                    break;
                case "symmetric_key":
                    foreach (var p in reader.Required("provisioning", "attestation", "registration_id")) yield return p;
                    foreach (var p in reader.Base64("provisioning", "attestation", "symmetric_key")) yield return p;
                    break;
                case "x509":
                    foreach (var p in reader.FileUrl("provisioning", "attestation", "identity_cert")) yield return p;
                    foreach (var p in reader.FileUrl("provisioning", "attestation", "identity_pk")) yield return p;
                    break; // registration_id is optional: the certificate's common name is used
                default:
                    yield return reader.Error(method == null ? "provisioning.attestation.method is not set." : $"provisioning.attestation.method is '{method}'; it must be tpm, symmetric_key or x509.",
                        (ConfigPlace?)doc.Find("provisioning", "attestation", "method") ?? attestation, "Set attestation.method to tpm, symmetric_key or x509.");
                    break;
            }

            foreach (var p in reader.Bool("provisioning", "always_reprovision_on_startup")) yield return p;
        }
    }
}
