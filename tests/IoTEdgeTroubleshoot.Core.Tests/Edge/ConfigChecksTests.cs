using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Config.Checks;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge
{
    public class ConfigChecksTests
    {
        private static List<IoTEdgeCheckResult> Check(string path, string machine = "edge-gw-01", Func<string, bool>? files = null) =>
            ConfigChecks.Run(new ConfigCheckContext(path) { MachineName = machine, FileExists = files ?? (_ => true), DirectoryExists = _ => true }).ToList();

        [Theory]
        [InlineData("linux-1.1-manual.yaml", "edge-gw-01")]
        [InlineData("linux-1.0-dps-tpm.yaml", "EDGE-TPM-07")] // compared without case
        [InlineData("linux-1.1-dps-symmetric-key.yaml", "edge-sym-03")]
        [InlineData("linux-1.1-x509.yaml", "edge-x509-02")]
        [InlineData("windows-1.1-manual.yaml", "edge-win-05")]
        [InlineData("env-block-with-comments.yaml", "edge-gw-01")]
        [InlineData("env-flow.yaml", "edge-gw-01")]
        [InlineData("env-missing.yaml", "edge-gw-01")]
        [InlineData("bom.yaml", "edge-gw-01")]
        public void GoodConfigs_PassEveryCheck(string name, string machine)
        {
            var results = Check(ConfigFiles.Source(name), machine);

            Assert.All(results, r => Assert.Equal(CheckStatus.Pass, r.Status));
            Assert.Equal(new[] { "config-readable", "config-no-tabs", "config-yaml", "config-sections", "config-provisioning", "config-hostname", "config-agent", "config-uris", "config-homedir" },
                results.Select(r => r.CheckId).Distinct());
        }

        [Fact]
        public void Tabs_AreReportedWithLineAndColumn_AndTheStructureChecksSkip()
        {
            string path = ConfigFiles.Source("broken-tabs.yaml");
            int line = File.ReadAllLines(path).ToList().FindIndex(l => l.Contains('\t')) + 1;

            var results = Check(path);

            var tab = Assert.Single(results, r => r.CheckId == "config-no-tabs");
            Assert.Equal(CheckStatus.Error, tab.Status);
            Assert.Equal((line, 1), (tab.Line, tab.Column));
            Assert.Equal(CheckStatus.Error, results.Single(r => r.CheckId == "config-yaml").Status);
            Assert.Equal(CheckStatus.Skipped, results.Single(r => r.CheckId == "config-hostname").Status);
        }

        [Theory]
        [InlineData("broken-indentation.yaml")]
        [InlineData("broken-unclosed-quote.yaml")]
        public void MalformedYaml_IsReportedWhereTheParserStopped(string name)
        {
            var yaml = Check(ConfigFiles.Source(name)).Single(r => r.CheckId == "config-yaml");

            Assert.Equal(CheckStatus.Error, yaml.Status);
            Assert.NotNull(yaml.Line);
            Assert.InRange(yaml.Line!.Value, 20, File.ReadAllLines(ConfigFiles.Source(name)).Length + 1);
            Assert.Contains($"Line {yaml.Line}", yaml.Message);
        }

        [Fact]
        public void WrongTypes_AreErrors_WithPositions()
        {
            var results = Check(ConfigFiles.Source("broken-wrong-types.yaml"));

            var provisioning = results.Single(r => r.CheckId == "config-provisioning");
            Assert.Equal((CheckStatus.Error, 1), (provisioning.Status, provisioning.Line));
            Assert.Contains(results, r => r.CheckId == "config-sections" && r.Status == CheckStatus.Error && r.Message.StartsWith("provisioning is 'manual'"));
            Assert.Contains(results, r => r.CheckId == "config-sections" && r.Status == CheckStatus.Error && r.Message.StartsWith("agent is a list"));
            Assert.Equal(CheckStatus.Error, results.Single(r => r.CheckId == "config-agent").Status);
            Assert.Contains(results, r => r.CheckId == "config-homedir" && r.Status == CheckStatus.Warning && r.Message.Contains("not an absolute path"));
            Assert.Contains(results, r => r.CheckId == "config-uris" && r.Status == CheckStatus.Error && r.Message.Contains("moby_runtime.uri"));
        }

        [Fact]
        public void CommentedOutSections_ComeFromTheDaemonsDefaults()
        {
            var sections = Check(ConfigFiles.Source("broken-commented-sections.yaml")).Single(r => r.CheckId == "config-sections");

            Assert.Equal(CheckStatus.Pass, sections.Status);
            Assert.Contains("connect, listen are not in the file and come from the daemon's defaults", sections.Message);
        }

        [Fact]
        public void EmptyFile_IsNotYaml()
        {
            var yaml = Check(ConfigFiles.Source("empty.yaml")).Single(r => r.CheckId == "config-yaml");
            Assert.Equal(CheckStatus.Error, yaml.Status);
            Assert.Contains("empty", yaml.Message);
        }

        [Fact]
        public void LongHostname_IsAnError_WithTheCommandThatFixesIt()
        {
            var hostname = Check(ConfigFiles.Source("hostname-plain-long.yaml"), machine: "edgevm01").Single(r => r.CheckId == "config-hostname");

            Assert.Equal(CheckStatus.Error, hostname.Status);
            Assert.Contains("at most 64", hostname.Message);
            Assert.Equal($"Set-IoTEdgeHostname -Path '{ConfigFiles.Source("hostname-plain-long.yaml")}' -HostName edgevm01", hostname.RemedyCommand);
        }

        [Fact]
        public void HostnameOfAnotherMachine_IsAWarning()
        {
            var hostname = Check(ConfigFiles.Source("linux-1.1-manual.yaml"), machine: "other-box").Single(r => r.CheckId == "config-hostname");

            Assert.Equal(CheckStatus.Warning, hostname.Status);
            Assert.Contains("Set-IoTEdgeHostname", hostname.RemedyCommand);
        }

        [Theory]
        [InlineData("edge-gw-01", null, null)]
        [InlineData("EDGE.contoso.local", null, null)]
        [InlineData("", "empty", null)]
        [InlineData("<ADD HOSTNAME HERE>", "placeholder", null)]
        [InlineData("edge\u2013gw", "typographic dash", null)]
        [InlineData("1edge", null, "does not start with a letter")] // the daemon accepts it; iotedge check warns
        [InlineData("edge_gw", null, "RFC 1035")]
        [InlineData("edge-", null, "does not end")]
        [InlineData("a..b", null, "empty label")]
        public void HostnameRules_ErrorsForWhatFails_WarningsForRfc1035(string name, string? error, string? warning)
        {
            var verdict = HostnameRules.Check(System.Text.RegularExpressions.Regex.Unescape(name), EdgeGeneration.V1_1);

            Assert.True(error == null ? verdict.Error == null : verdict.Error?.Contains(error) == true, verdict.Error);
            Assert.True(warning == null ? verdict.Warning == null : verdict.Warning?.Contains(warning) == true, verdict.Warning);
        }

        [Fact]
        public void HostnameRules_LongNamesFail11ButOnlyWarn12_AndIpAddressesPass12()
        {
            string longName = new string('a', 40) + "." + new string('b', 30);
            Assert.NotNull(HostnameRules.Check(longName, EdgeGeneration.V1_1).Error);
            Assert.Null(HostnameRules.Check(longName, EdgeGeneration.V1_2).Error);
            Assert.Contains("certificate issuer", HostnameRules.Check(longName, EdgeGeneration.V1_2).Warning);
            Assert.Equal((null, null), (HostnameRules.Check("10.0.0.4", EdgeGeneration.V1_2).Error, HostnameRules.Check("10.0.0.4", EdgeGeneration.V1_2).Warning));
        }

        [Fact]
        public void X509FilesThatDoNotExist_AreErrors()
        {
            var results = Check(ConfigFiles.Source("linux-1.1-x509.yaml"), "edge-x509-02", files: f => f.EndsWith("cert.pem", StringComparison.Ordinal));

            var error = Assert.Single(results, r => r.CheckId == "config-provisioning");
            Assert.Equal(CheckStatus.Error, error.Status);
            Assert.Contains("identity_pk points at '/var/secrets/edge-x509-02.key.pem'", error.Message);
        }

        [Fact]
        public void BadConnectionString_IsAnError_AndTheKeyNeverShows()
        {
            using var dir = new TempFolder();
            string text = ConfigFiles.Text("linux-1.1-manual.yaml").Replace("SharedAccessKey=q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c=", "SharedAccessKey=not base64 at all!");
            string path = dir.Write("config.yaml", text);

            var results = Check(path);

            var provisioning = results.Single(r => r.CheckId == "config-provisioning");
            Assert.Equal(CheckStatus.Error, provisioning.Status);
            Assert.Contains("base64", provisioning.Message);
            Assert.All(results, r => Assert.DoesNotContain("not base64 at all", r.Message + r.Remedy + r.RemedyCommand));
        }

        [Fact]
        public void NoResultEverShowsTheSharedAccessKey()
        {
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(ConfigFiles.Source("empty.yaml"))!))
            {
                foreach (var r in Check(file))
                {
                    Assert.DoesNotContain("q1w2e3r4t5y6", r.Message + r.Remedy + r.RemedyCommand + r.Description);
                    Assert.DoesNotContain("bXlzZWNyZXRzeW1tZXRyaWNr", r.Message + r.Remedy + r.RemedyCommand);
                }
            }
        }

        [Fact]
        public void MissingFile_IsAnError_AndEverythingElseSkips()
        {
            var results = Check(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".yaml"));

            Assert.Equal(CheckStatus.Error, results[0].Status);
            Assert.Contains("does not exist", results[0].Message);
            Assert.All(results.Skip(1), r => Assert.Equal(CheckStatus.Skipped, r.Status));
        }

        [Fact]
        public void BadEnvValues_PointAtTheValue_WithAFix()
        {
            using var dir = new TempFolder();
            string path = dir.Write("config.yaml", ConfigFiles.Text("linux-1.1-manual.yaml").Replace("  env: {}", "  env:\n    RuntimeLogLevel: loud\n    UpstreamProtocol: Http"));

            var agent = Check(path).Where(r => r.CheckId == "config-agent").ToList();

            Assert.Equal(2, agent.Count);
            Assert.All(agent, r => Assert.Equal(CheckStatus.Error, r.Status));
            int line = File.ReadAllLines(path).ToList().FindIndex(l => l.Contains("RuntimeLogLevel: loud")) + 1;
            Assert.Equal(line, agent[0].Line);
            Assert.Equal(22, agent[0].Column); // "    RuntimeLogLevel: " is 21 characters: the value starts at 22
            Assert.Equal($"Set-IoTEdgeRuntimeLogLevel -Path '{path}' -Level info", agent[0].RemedyCommand);
        }

        [Fact]
        public void HostnameAndHomedirThatAreNotPlainValues_AreErrors()
        {
            using var dir = new TempFolder();
            string path = dir.Write("config.yaml", ConfigFiles.Text("linux-1.1-manual.yaml")
                .Replace("hostname: \"edge-gw-01\"", "hostname:\n  - edge-gw-01")
                .Replace("homedir: \"/var/lib/iotedge\"", "homedir: { path: /var/lib/iotedge }"));

            var results = Check(path);

            Assert.Equal(CheckStatus.Error, results.Single(r => r.CheckId == "config-hostname").Status);
            Assert.Equal(CheckStatus.Error, results.Single(r => r.CheckId == "config-homedir").Status);
        }

        [Fact]
        public void MissingHomedir_IsOnlyAWarning()
        {
            var results = ConfigChecks.Run(new ConfigCheckContext(ConfigFiles.Source("linux-1.1-manual.yaml")) { MachineName = "edge-gw-01", DirectoryExists = _ => false }).ToList();

            Assert.Equal(CheckStatus.Warning, results.Single(r => r.CheckId == "config-homedir").Status);
        }
    }
}
