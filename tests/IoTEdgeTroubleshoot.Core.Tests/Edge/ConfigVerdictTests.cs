using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Config.Checks;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge
{
    /// <summary>
    /// Verdicts on the corpus, as the daemons would give them: every provisioning form passes, every variant
    /// the daemon refuses is an Error of the right check, at the right place, with words that say why.
    /// </summary>
    public class ConfigVerdictTests
    {
        private sealed class Access : IServiceFileAccess
        {
            public FileAccessVerdict Verdict { get; set; } = FileAccessVerdict.Readable;

            public FileAccessVerdict CanRead(string path, string account, out string? reason)
            {
                reason = Verdict == FileAccessVerdict.Denied ? $"{account} has no read permission on it" : null;
                return Verdict;
            }
        }

        internal static List<IoTEdgeCheckResult> Check(string text, string name, Func<string, bool>? files = null, FileAccessVerdict access = FileAccessVerdict.Readable, EdgeGeneration? generation = null)
        {
            using var dir = new TempFolder();
            string path = dir.Write(name, text);
            return ConfigChecks.Run(new ConfigCheckContext(path, generation)
            {
                MachineName = "edge-gw-01",
                FileExists = files ?? (_ => true),
                DirectoryExists = _ => true,
                ServiceAccess = new Access { Verdict = access },
            }).ToList();
        }

        public static IEnumerable<object[]> YamlForms() => ConfigCorpus.YamlProvisioning.Keys.Select(k => new object[] { k });

        public static IEnumerable<object[]> TomlForms() => ConfigCorpus.TomlProvisioning.Keys.Select(k => new object[] { k });

        [Theory]
        [MemberData(nameof(YamlForms))]
        public void EveryYamlProvisioningForm_PassesEveryCheck(string form)
        {
            var results = Check(ConfigCorpus.Yaml(form), "config.yaml");

            Assert.All(results, r => Assert.True(r.Status == CheckStatus.Pass, $"{r.CheckId}: {r.Message}"));
            Assert.Equal(ConfigChecks.CheckIdsFor(EdgeGeneration.V1_1), results.Select(r => r.CheckId).Distinct());
        }

        [Theory]
        [MemberData(nameof(TomlForms))]
        public void EveryTomlProvisioningForm_PassesEveryCheck(string form)
        {
            var results = Check(ConfigCorpus.Toml(form), "config.toml");

            // configs-up-to-date has nothing applied beside a copy in a temp folder.
            Assert.All(results.Where(r => r.CheckId != "configs-up-to-date"), r => Assert.True(r.Status == CheckStatus.Pass, $"{r.CheckId}: {r.Message}"));
            Assert.Equal(CheckStatus.Skipped, results.Single(r => r.CheckId == "configs-up-to-date").Status);
            Assert.Equal(ConfigChecks.CheckIdsFor(EdgeGeneration.V1_2), results.Select(r => r.CheckId).Distinct());
        }

        [Fact]
        public void AFileOfOnlyTheProvisioningSection_Passes11_TheRestComesFromTheDefaults()
        {
            var results = Check(ConfigCorpus.YamlProvisioning["manual connection string"], "config.yaml");

            Assert.Equal(CheckStatus.Warning, results.Single(r => r.CheckId == "config-hostname").Status); // localhost
            Assert.Contains("'localhost'", results.Single(r => r.CheckId == "config-hostname").Message);
            Assert.All(results.Where(r => r.CheckId != "config-hostname"), r => Assert.True(r.Status == CheckStatus.Pass, $"{r.CheckId}: {r.Message}"));
            Assert.Contains("agent, hostname, connect, listen, homedir, moby_runtime are not in the file", results.Single(r => r.CheckId == "config-sections").Message);
        }

        // (variant, check id, status, words in the message); each variant is a text change of a corpus file.
        public static IEnumerable<object[]> YamlVariants() => new[]
        {
            V("manual connection string", "  dynamic_reprovisioning: false\n", "  dynamic_reprovisioning: false\n  authentication:\n    method: \"device_connection_string\"\n    device_connection_string: \"" + ConfigCorpus.ConnectionString + "\"\n", "config-provisioning", CheckStatus.Error, "Both provisioning.device_connection_string and provisioning.authentication"),
            V("manual connection string", "  dynamic_reprovisioning: false\n", "  authentication:\n    method: \"x509\"\n    iothub_hostname: \"h.azure-devices.net\"\n    device_id: \"d\"\n", "config-provisioning", CheckStatus.Error, "Both"),
            V("manual connection string", "  device_connection_string: \"" + ConfigCorpus.ConnectionString + "\"\n", string.Empty, "config-provisioning", CheckStatus.Error, "neither is set"),
            V("manual connection string", ConfigCorpus.ConnectionString, "<ADD DEVICE CONNECTION STRING HERE>", "config-provisioning", CheckStatus.Error, "placeholder '<ADD DEVICE CONNECTION STRING HERE>'"),
            V("manual connection string", "\"" + ConfigCorpus.ConnectionString + "\"", "\u201C" + ConfigCorpus.ConnectionString + "\u201D", "config-provisioning", CheckStatus.Error, "typographic quote \u201C"),
            V("manual connection string", "DeviceId=edge-gw-01", "DeviceId=edge\u200B-gw-01", "config-provisioning", CheckStatus.Error, "invisible zero-width"),
            V("manual connection string", "HostName=", "hostname=", "config-provisioning", CheckStatus.Error, "'hostname' where the daemon needs 'HostName' exactly"),
            V("manual connection string", "SharedAccessKey=" + ConfigCorpus.Key, "x509=true", "config-provisioning", CheckStatus.Error, "X.509 device (x509=true)"),
            V("manual connection string", "SharedAccessKey=" + ConfigCorpus.Key, "SharedAccessKey=abc!def", "config-provisioning", CheckStatus.Error, "not valid base64"),
            V("manual connection string", "dynamic_reprovisioning: false", "dynamic_reprovisioning: xyz", "config-provisioning", CheckStatus.Error, "dynamic_reprovisioning is 'xyz'"),
            V("manual connection string", "source: \"manual\"", "source: \"Manual\"", "config-provisioning", CheckStatus.Error, "in lower case"),
            V("manual authentication connection string", "method: \"device_connection_string\"", "method: \"connection_string\"", "config-provisioning", CheckStatus.Error, "must be device_connection_string or x509"),
            V("manual x509", "    identity_pk: \"file:///var/secrets/edge-gw-01.key.pem\"\n", string.Empty, "config-provisioning", CheckStatus.Error, "identity_pk is not set"),
            V("manual x509", "\"file:///var/secrets/edge-gw-01.cert.pem\"", "\"/var/secrets/edge-gw-01.cert.pem\"", "config-provisioning", CheckStatus.Error, "not a URI"),
            V("manual x509", "    device_id: \"edge-gw-01\"\n", "    device_id: \"<REQUIRED DEVICE ID PROVISIONED IN IOTHUB>\"\n", "config-provisioning", CheckStatus.Error, "placeholder"),
            V("dps tpm", "    registration_id: \"edge-gw-01\"\n", string.Empty, "config-provisioning", CheckStatus.Error, "registration_id is not set"),
            V("dps 1.0 tpm", "  registration_id: \"edge-gw-01\"\n", string.Empty, "config-provisioning", CheckStatus.Error, "provisioning.registration_id is not set"),
            V("dps tpm", "  scope_id: \"0ne00012345\"\n", "  scope_id: \"0ne00012345\"\n  registration_id: \"edge-gw-01\"\n", "config-provisioning", CheckStatus.Error, "both set"),
            V("dps symmetric key", "    symmetric_key: \"" + ConfigCorpus.Key + "\"\n", string.Empty, "config-provisioning", CheckStatus.Error, "symmetric_key is not set"),
            V("dps symmetric key", "  global_endpoint: \"https://global.azure-devices-provisioning.net\"\n", string.Empty, "config-provisioning", CheckStatus.Error, "global_endpoint is not set"),
            V("dps symmetric key", "  scope_id: \"0ne00012345\"\n", string.Empty, "config-provisioning", CheckStatus.Error, "scope_id is not set"),
            V("dps symmetric key", "method: \"symmetric_key\"", "method: \"symmetric-key\"", "config-provisioning", CheckStatus.Error, "must be tpm, symmetric_key or x509"),
            V("external", "  endpoint: \"http://localhost:9999\"\n", string.Empty, "config-provisioning", CheckStatus.Error, "endpoint is not set"),
            V("manual connection string", "  workload_uri: \"fd://iotedge.socket\"\n", "  workload_uri: \"unix:///var/run/iotedge/other.sock\"\n", "config-uris", CheckStatus.Error, "listen.workload_uri (unix:///var/run/iotedge/other.sock) point at different sockets"),
            V("manual connection string", "  management_uri: \"fd://iotedge.mgmt.socket\"\n", "  management_uri: \"unix:///var/run/iotedge/other.sock\"\n", "config-uris", CheckStatus.Error, "different sockets"),
            V("manual connection string", "  management_uri: \"fd://iotedge.mgmt.socket\"\n", "  management_uri: \"http://0.0.0.0:8080\"\n", "config-uris", CheckStatus.Error, "invalid combination of schemes"),
            V("manual connection string", "listen:\n", "listen:\n  min_tls_version: tls9\n", "config-uris", CheckStatus.Error, "min_tls_version"),
            V("manual connection string", "hostname: \"edge-gw-01\"", "hostname: \"1edge-gw\"", "config-hostname", CheckStatus.Warning, "does not start with a letter"),
            V("manual connection string", "hostname: \"edge-gw-01\"", "hostnmae: \"edge-gw-01\"", "config-sections", CheckStatus.Warning, "did you mean 'hostname'"),
            V("manual connection string", "hostname: \"edge-gw-01\"", "hostname: \"<ADD HOSTNAME HERE>\"", "config-hostname", CheckStatus.Error, "placeholder"),
            V("manual connection string", "  env: {}\n", "  env:\n    RuntimeLogLevel: loud\n", "config-agent", CheckStatus.Error, "RuntimeLogLevel is 'loud'"),
        };

        [Theory]
        [MemberData(nameof(YamlVariants))]
        public void YamlVariants_GetTheDaemonsVerdict(string form, string find, string replace, string checkId, CheckStatus status, string words)
        {
            string text = ConfigCorpus.Yaml(form);
            Assert.Contains(find, text);
            var results = Check(text.Replace(find, replace), "config.yaml").Where(r => r.CheckId == checkId).ToList();

            Assert.Contains(results, r => r.Status == status && r.Message.Contains(words));
            if (status == CheckStatus.Error) Assert.All(results.Where(r => r.Status == CheckStatus.Error), r => Assert.NotNull(r.Line));
        }

        public static IEnumerable<object[]> TomlVariants() => new[]
        {
            V("manual connection string", "SharedAccessKey=" + ConfigCorpus.Key, "SharedAccessKey=YXppb3QtaWRlbnRpdHktc2VydmljZXxhemlvdC1pZGU=", "config-provisioning", CheckStatus.Error, "template's example value"),
            V("manual connection string", "\"" + ConfigCorpus.ConnectionString + "\"", "\"\u201C" + ConfigCorpus.ConnectionString + "\u201D\"", "config-provisioning", CheckStatus.Error, "typographic quote"),
            V("manual connection string", "SharedAccessKey=" + ConfigCorpus.Key, "x509=true", "config-provisioning", CheckStatus.Error, "[provisioning.authentication] method = \"x509\""),
            V("manual connection string", "connection_string =", "device_connection_string =", "config-provisioning", CheckStatus.Error, "1.1 name"),
            V("manual connection string", "source = \"manual\"", "source = \"Manual\"", "config-provisioning", CheckStatus.Error, "in lower case"),
            V("manual sas inline key", "device_id = \"edge-gw-01\"\n", string.Empty, "config-provisioning", CheckStatus.Error, "device_id is not set"),
            V("manual sas inline key", "device_id_pk = { value = \"" + ConfigCorpus.Key + "\" }\n", string.Empty, "config-provisioning", CheckStatus.Error, "device_id_pk is not set"),
            V("manual sas inline key", "value = \"" + ConfigCorpus.Key + "\"", "value = \"not base64!\"", "config-provisioning", CheckStatus.Error, "not valid base64"),
            V("manual sas inline key", "method = \"sas\"", "method = \"SAS\"", "config-provisioning", CheckStatus.Error, "must be \"sas\" or \"x509\""),
            V("manual x509", "identity_pk = \"file:///var/secrets/edge-gw-01.key.pem\"\n", string.Empty, "config-provisioning", CheckStatus.Error, "identity_pk is not set"),
            V("dps symmetric key", "id_scope", "scope_id", "config-provisioning", CheckStatus.Error, "reads id_scope"),
            V("dps symmetric key", "global_endpoint = \"https://global.azure-devices-provisioning.net\"\n", string.Empty, "config-provisioning", CheckStatus.Error, "global_endpoint is not set"),
            V("dps tpm", "registration_id = \"edge-gw-01\"\n", string.Empty, "config-provisioning", CheckStatus.Error, "registration_id is not set"),
            V("dps tpm", "[provisioning.attestation]\nmethod = \"tpm\"\n", string.Empty, "config-provisioning", CheckStatus.Error, "method is not set"),
            V("dps symmetric key", "id_scope = \"0ne00012345\"", "id_scope = 12345", "config-provisioning", CheckStatus.Error, "must be a string in quotes"),
            V("manual connection string", "hostname = \"edge-gw-01\"", "hostname = \"1edge-gw\"", "hostname", CheckStatus.Warning, "RFC 1035"),
            V("manual connection string", "hostname = \"edge-gw-01\"", "hostname = 12", "hostname", CheckStatus.Error, "one name in quotes"),
            V("manual connection string", "hostname = \"edge-gw-01\"", "hostname = \"edge-gw-01\"\nparent_hostname = \"edge-gw-01\"", "parent_hostname", CheckStatus.Error, "own hostname"),
            V("manual connection string", "hostname = \"edge-gw-01\"", "hostname = \"edge-gw-01\"\nauto_reprovisioning_mode = \"dynamic\"", "config-auto-reprovisioning", CheckStatus.Error, "(\"Dynamic\")"),
            V("manual connection string", "[provisioning]", "[provisoning]", "aziot-edged-config-well-formed", CheckStatus.Warning, "did you mean 'provisioning'"),
            V("manual connection string", "[provisioning]", "[provisoning]", "config-provisioning", CheckStatus.Error, "no [provisioning] section"),
            V("manual connection string", "image = \"mcr.microsoft.com/azureiotedge-agent:1.5\"", "image = \"mcr.microsoft.com/azureiotedge-agent:1.1\"", "check-agent-image", CheckStatus.Error, "older than 1.2"),
            V("manual connection string", "name = \"edgeAgent\"\n", string.Empty, "check-agent-image", CheckStatus.Error, "agent.name is not set"),
            V("manual connection string", "UpstreamProtocol = \"AmqpWs\"", "RuntimeLogLevel = \"loud\"", "config-agent", CheckStatus.Error, "RuntimeLogLevel is 'loud'"),
            V("manual connection string", "UpstreamProtocol = \"AmqpWs\"", "UpstreamProtocol = \"Amqp\"\nhttps_proxy = \"http://proxy.contoso.com:3128\"", "proxy-settings", CheckStatus.Warning, "proxies carry only websockets"),
            V("manual connection string", "UpstreamProtocol = \"AmqpWs\"", "https_proxy = \"proxy.contoso.com\"", "proxy-settings", CheckStatus.Error, "not an http:// or https:// URL"),
            V("manual connection string", "[edge_ca]", "[connect]\nmanagement_uri = \"unix:///var/run/iotedge/mgmt.sock\"\n\n[listen]\nmanagement_uri = \"unix:///run/other/mgmt.sock\"\n\n[edge_ca]", "connect-management-uri", CheckStatus.Error, "different sockets"),
            V("manual connection string", "[edge_ca]", "[moby_runtime]\nuri = \"unix:///var/run/docker.sock\"\n\n[edge_ca]", "container-engine-uri", CheckStatus.Error, "network is not set"),
            V("manual connection string", "pk = \"file:///var/secrets/edge-ca.key.pem\"\n", string.Empty, "config-edge-ca", CheckStatus.Error, "cert but no pk"),
            V("manual connection string", "[edge_ca]\ncert = \"file:///var/secrets/edge-ca.pem\"\npk = \"file:///var/secrets/edge-ca.key.pem\"\n", string.Empty, "config-edge-ca", CheckStatus.Warning, "quickstart Edge CA is used, self-signed, valid 90 days"),
            V("manual connection string", "cert = \"file:///var/secrets/edge-ca.pem\"\npk = \"file:///var/secrets/edge-ca.key.pem\"\n", "auto_generated_edge_ca_expiry_days = \"90\"\n", "config-edge-ca", CheckStatus.Error, "whole number of days"),
            V("manual connection string", "pk = \"file:///var/secrets/edge-ca.key.pem\"", "pk = \"/var/secrets/edge-ca.key.pem\"", "certs-preloaded", CheckStatus.Error, "file:/// URIs"),
            V("manual connection string", "UpstreamProtocol = \"AmqpWs\" # port 443 only", "UpstreamProtocol = \"AmqpWs\"\ncreateOptions = { a = 1,\n b = 2 }", "aziot-edged-config-well-formed", CheckStatus.Error, "one line in TOML 1.0"),
            V("manual connection string", "UpstreamProtocol = \"AmqpWs\" # port 443 only", "Note = \"\\e[1m\"", "aziot-edged-config-well-formed", CheckStatus.Error, "TOML 1.1"),
            V("manual connection string", "source = \"manual\"", "source = \"manual", "aziot-edged-config-well-formed", CheckStatus.Error, "Line 6, column 22"),
        };

        [Theory]
        [MemberData(nameof(TomlVariants))]
        public void TomlVariants_GetTheDaemonsVerdict(string form, string find, string replace, string checkId, CheckStatus status, string words)
        {
            string text = ConfigCorpus.Toml(form);
            Assert.Contains(find, text);
            var results = Check(text.Replace(find, replace), "config.toml").Where(r => r.CheckId == checkId).ToList();

            Assert.Contains(results, r => r.Status == status && r.Message.Contains(words));
        }

        [Fact]
        public void TheShippedTemplate_IsWellFormed_AndSaysToUncommentAProvisioningBlock()
        {
            var results = Check(ConfigCorpus.TomlTemplate, "config.toml");

            Assert.Equal(CheckStatus.Pass, results.Single(r => r.CheckId == "aziot-edged-config-well-formed").Status);
            var provisioning = results.Single(r => r.CheckId == "config-provisioning");
            Assert.Equal(CheckStatus.Error, provisioning.Status);
            Assert.Contains("Uncomment one provisioning block", provisioning.Remedy);
            Assert.DoesNotContain(results, r => r.Message.Contains("document end") || r.Message.Contains("YAML"));
        }

        [Fact]
        public void AConfigYamlUnderTheTomlName_SaysHowToConvertIt()
        {
            var wellFormed = Check(ConfigCorpus.Yaml("manual connection string"), "config.toml").Single(r => r.CheckId == "aziot-edged-config-well-formed");

            Assert.Equal(CheckStatus.Error, wellFormed.Status);
            Assert.Contains("iotedge config import", wellFormed.Message);
            Assert.Equal((1, 13), (wellFormed.Line, wellFormed.Column));
        }

        [Fact]
        public void KeyAndCertificateFiles_MustExist_AndBeReadableByTheirService()
        {
            string text = ConfigCorpus.Toml("manual x509");

            var missing = Check(text, "config.toml", files: f => !f.EndsWith("edge-gw-01.key.pem", StringComparison.Ordinal)).Single(r => r.CheckId == "certs-preloaded");
            var denied = Check(text, "config.toml", access: FileAccessVerdict.Denied).Where(r => r.CheckId == "certs-preloaded").ToList();
            var unknown = Check(text, "config.toml", access: FileAccessVerdict.Unknown).Single(r => r.CheckId == "certs-preloaded");

            Assert.Equal(CheckStatus.Error, missing.Status);
            Assert.Contains("'/var/secrets/edge-gw-01.key.pem', which does not exist", missing.Message);
            Assert.Contains(denied, r => r.Status == CheckStatus.Error && r.Message.Contains("aziotks has no read permission") && r.Remedy!.Contains("chown aziotks:aziotks"));
            Assert.Contains(denied, r => r.Status == CheckStatus.Error && r.Message.Contains("aziotcs has no read permission"));
            Assert.Equal(CheckStatus.Pass, unknown.Status);
            Assert.Contains("not known here", unknown.Message);
        }

        [Fact]
        public void ConfigsUpToDate_WarnsWhenConfigTomlChangedAfterTheLastApply_WithTheApplyCommand()
        {
            using var dir = new TempFolder();
            string path = dir.Write("config.toml", ConfigCorpus.Toml("manual connection string"));
            foreach (var service in new[] { "keyd", "certd", "identityd", "tpmd", "edged" })
            {
                string applied = dir.Write(Path.Combine(service, "config.d", "00-super.toml"), "# applied\n");
                File.SetLastWriteTimeUtc(applied, DateTime.UtcNow.AddHours(service == "identityd" ? -2 : 1));
            }

            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            var result = ConfigChecks.Run(new ConfigCheckContext(path) { MachineName = "edge-gw-01", FileExists = _ => true }).Single(r => r.CheckId == "configs-up-to-date");

            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.Contains("identityd run with the older configuration", result.Message);
            Assert.Equal($"sudo iotedge config apply -c '{path}'", result.RemedyCommand);
        }

        [Fact]
        public void ResultsPointAtTheTomlLineAndColumn()
        {
            string text = ConfigCorpus.Toml("dps symmetric key").Replace("registration_id = \"edge-gw-01\"", "registration_id = \"<REGISTRATION_ID>\"");
            var error = Check(text, "config.toml").Single(r => r.CheckId == "config-provisioning");

            int line = text.Split('\n').ToList().FindIndex(l => l.StartsWith("registration_id", StringComparison.Ordinal)) + 1;
            Assert.Equal((CheckStatus.Error, line, 19), (error.Status, error.Line, error.Column));
            Assert.Contains("placeholder '<REGISTRATION_ID>'", error.Message);
        }

        [Fact]
        public void NoResultEverShowsAKey()
        {
            foreach (var form in ConfigCorpus.YamlProvisioning.Keys)
            {
                Assert.All(Check(ConfigCorpus.Yaml(form).Replace("SharedAccessKey=", "sharedaccesskey="), "config.yaml"), r => Assert.DoesNotContain(ConfigCorpus.Key, r.Message + r.Remedy + r.RemedyCommand));
            }

            foreach (var form in ConfigCorpus.TomlProvisioning.Keys)
            {
                Assert.All(Check(ConfigCorpus.Toml(form).Replace("DeviceId=", "deviceid="), "config.toml"), r => Assert.DoesNotContain(ConfigCorpus.Key, r.Message + r.Remedy + r.RemedyCommand));
            }
        }

        private static object[] V(string form, string find, string replace, string checkId, CheckStatus status, string words) => new object[] { form, find, replace, checkId, status, words };
    }
}
