using System;
using System.Collections.Generic;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks
{
    /// <summary>A certificate a config setting names: what it is for, the setting, and the file (null when the value is not a file).</summary>
    internal sealed class ConfiguredCertificate
    {
        public ConfiguredCertificate(string name, string setting, string value, string? path, FilePosition position)
        {
            Name = name;
            Setting = setting;
            Value = value;
            Path = path;
            Position = position;
        }

        /// <summary>"DPS identity certificate", "Edge CA certificate", for messages.</summary>
        public string Name { get; }

        /// <summary>The setting's dotted name: "provisioning.attestation.identity_cert".</summary>
        public string Setting { get; }

        public string Value { get; }

        public string? Path { get; }

        /// <summary>Where the setting is in the config file.</summary>
        public FilePosition Position { get; }
    }

    /// <summary>
    /// Reads the config file of the context's generation and finds the certificates its settings name:
    /// 1.2+ config.toml: [provisioning.authentication] / [provisioning.attestation] identity_cert, [edge_ca] cert,
    /// [cert_issuance.local_ca] cert; 1.0/1.1 config.yaml: provisioning.authentication / provisioning.attestation
    /// identity_cert, certificates.device_ca_cert. Values are file:// URIs (1.0/1.1 also took plain paths).
    /// </summary>
    internal static class ConfiguredCertificates
    {
        /// <summary>The config as read, or why it cannot be (the check is then Skipped with that reason).</summary>
        public static EdgeConfigDocument? Load(DeviceCheckContext context, out string? whyNot)
        {
            whyNot = null;
            if (string.IsNullOrEmpty(context.ConfigPath))
            {
                whyNot = "no IoT Edge config file was given or found";
                return null;
            }

            EdgeConfigDocument document;
            try
            {
                if (!System.IO.File.Exists(context.ConfigPath) && !System.IO.Directory.Exists(context.ConfigPath))
                {
                    whyNot = $"'{context.ConfigPath}' does not exist (is IoT Edge installed and configured?)";
                    return null;
                }

                document = EdgeConfigDocument.Load(context.ConfigPath, context.Generation);
            }
            catch (Exception ex) when (DeviceCheckResults.IsReadFailure(ex))
            {
                whyNot = DeviceCheckResults.WhyUnreadable(context.ConfigPath, ex);
                return null;
            }

            if (!document.IsValid)
            {
                whyNot = $"'{context.ConfigPath}' is not well-formed {document.FormatName} (Test-IoTEdgeConfig shows where)";
                return null;
            }

            return document;
        }

        /// <summary>The identity certificate when the device authenticates with X.509; null otherwise.</summary>
        public static ConfiguredCertificate? Identity(EdgeConfigDocument document, out string method)
        {
            string source = document.ScalarValue("provisioning", "source") ?? "(none)";
            string[] section = source == "dps" ? new[] { "provisioning", "attestation" } : new[] { "provisioning", "authentication" };
            method = document.ScalarValue(section[0], section[1], "method") ?? (document.Find("provisioning", "device_connection_string") != null || document.Find("provisioning", "connection_string") != null ? "connection string" : "(none)");
            if (method != "x509") return null;
            return Setting(document, source == "dps" ? "DPS identity certificate" : "Manual identity certificate", section[0], section[1], "identity_cert");
        }

        /// <summary>The Edge CA (1.2+) or device CA (1.0/1.1) certificate the config names; null when it names none (the auto-generated one is used).</summary>
        public static ConfiguredCertificate? EdgeCa(EdgeConfigDocument document) => document.Generation == EdgeGeneration.V1_1
            ? Setting(document, "Device CA certificate", "certificates", "device_ca_cert")
            : Setting(document, "Edge CA certificate", "edge_ca", "cert");

        /// <summary>[cert_issuance.local_ca] cert (1.2+ only); null when there is no local CA.</summary>
        public static ConfiguredCertificate? LocalCa(EdgeConfigDocument document) => document.Generation == EdgeGeneration.V1_1
            ? null
            : Setting(document, "Local CA certificate", "cert_issuance", "local_ca", "cert");

        private static ConfiguredCertificate? Setting(EdgeConfigDocument document, string name, params string[] keys)
        {
            var entry = document.FindEntry(keys);
            if (entry == null) return null;
            string value = entry.Value.IsScalar ? entry.Value.Text ?? string.Empty : "(a table)";
            var position = new FilePosition(document.Path, entry.Line, entry.Column);
            return new ConfiguredCertificate(name, ConfigNodePaths.Name(keys), value, entry.Value.IsScalar ? FilePath(value) : null, position);
        }

        /// <summary>The local path of a file:// URI or of a plain absolute path; null for anything else (pkcs11:, an EST table).</summary>
        internal static string? FilePath(string value)
        {
            string text = value.Trim();
            if (text.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            {
                return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.IsFile ? uri.LocalPath : null;
            }

            bool rooted = text.StartsWith("/", StringComparison.Ordinal) || (text.Length > 2 && char.IsLetter(text[0]) && text[1] == ':' && (text[2] == '\\' || text[2] == '/'));
            return rooted && text.IndexOf("://", StringComparison.Ordinal) < 0 ? text : null;
        }
    }
}
