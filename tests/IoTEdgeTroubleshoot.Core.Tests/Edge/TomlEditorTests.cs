using System;
using System.Collections.Generic;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Daemon;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge
{
    /// <summary>Edits of config.toml change exactly the value asked for, keep comments and layout, and read back.</summary>
    public class TomlEditorTests
    {
        private static EdgeConfigDocument Doc(string text, string name = "config.toml")
        {
            using var dir = new TempFolder();
            return EdgeConfigDocument.Load(dir.Write(name, text));
        }

        [Fact]
        public void Hostname_ExistingValue_OnlyThatValueChanges()
        {
            string before = ConfigCorpus.Toml("manual connection string");
            string after = ConfigEditor.SetHostname(Doc(before), "edgevm01.westeurope.cloudapp.azure.com");

            Assert.Equal(before.Replace("hostname = \"edge-gw-01\"", "hostname = \"edgevm01.westeurope.cloudapp.azure.com\""), after);
        }

        [Fact]
        public void Hostname_LiteralString_StaysLiteral_AndCrlfStays()
        {
            string before = ConfigCorpus.Toml("dps tpm").Replace("hostname = \"edge-gw-01\"", "hostname = 'edge-gw-01'  # set by hand").Replace("\n", "\r\n");
            string after = ConfigEditor.SetHostname(Doc(before), "edge-gw-02");

            Assert.Equal(before.Replace("'edge-gw-01'", "'edge-gw-02'"), after);
        }

        [Fact]
        public void Hostname_Missing_GoesAfterTheTemplatesCommentedLine_BeforeAnyTable()
        {
            string before = "# hostname = \"my-device\"\n\n[provisioning]\nsource = \"manual\"\nconnection_string = \"" + ConfigCorpus.ConnectionString + "\"\n";
            string after = ConfigEditor.SetHostname(Doc(before), "edge-gw-02");

            Assert.Equal("# hostname = \"my-device\"\nhostname = \"edge-gw-02\"\n\n[provisioning]\nsource = \"manual\"\nconnection_string = \"" + ConfigCorpus.ConnectionString + "\"\n", after);
        }

        [Fact]
        public void Hostname_Missing_WithoutTemplateLine_GoesBeforeTheFirstTable()
        {
            string before = "[provisioning]\nsource = \"none\"\n";
            Assert.Equal("hostname = \"edge-gw-02\"\n\n[provisioning]\nsource = \"none\"\n", ConfigEditor.SetHostname(Doc(before), "edge-gw-02"));
        }

        [Fact]
        public void Hostname_ALongName_IsAcceptedOn12_ButRefusedOn11()
        {
            string longName = new string('a', 40) + "." + new string('b', 30);
            Assert.Contains(longName, ConfigEditor.SetHostname(Doc(ConfigCorpus.Toml("none")), longName));
            Assert.Equal(ErrorIds.InvalidHostname, Assert.Throws<TroubleshootException>(() => ConfigEditor.SetHostname(Doc(ConfigCorpus.Yaml("external"), "config.yaml"), longName)).ErrorId);
        }

        [Fact]
        public void LogLevel_EnvTable_GetsALineAfterItsLastKey_KeepingItsComment()
        {
            string before = ConfigCorpus.Toml("manual connection string");
            string after = ConfigEditor.SetRuntimeLogLevel(Doc(before), "debug");

            Assert.Equal(before.Replace("UpstreamProtocol = \"AmqpWs\" # port 443 only\n", "UpstreamProtocol = \"AmqpWs\" # port 443 only\nRuntimeLogLevel = \"debug\"\n"), after);
        }

        [Fact]
        public void LogLevel_QuotedKeyAsInTheTemplate_ValueReplaced()
        {
            string before = ConfigCorpus.Toml("none").Replace("UpstreamProtocol = \"AmqpWs\" # port 443 only", "\"RuntimeLogLevel\" = \"info\"  # was debug");
            string after = ConfigEditor.SetRuntimeLogLevel(Doc(before), "debug");

            Assert.Equal(before.Replace("\"RuntimeLogLevel\" = \"info\"", "\"RuntimeLogLevel\" = \"debug\""), after);
        }

        [Fact]
        public void LogLevel_InlineEnv_GetsAnItem()
        {
            string before = ConfigCorpus.Toml("none").Replace("[agent.env]\nUpstreamProtocol = \"AmqpWs\" # port 443 only\n", string.Empty).Replace("[agent.config]", "env = { UpstreamProtocol = \"AmqpWs\" }\n\n[agent.config]");
            string after = ConfigEditor.SetRuntimeLogLevel(Doc(before), "warning");

            Assert.Equal(before.Replace("env = { UpstreamProtocol = \"AmqpWs\" }", "env = { UpstreamProtocol = \"AmqpWs\", RuntimeLogLevel = \"warning\" }"), after);
        }

        [Fact]
        public void LogLevel_AgentWithoutEnv_GetsAnEnvTableAtTheEnd()
        {
            string before = ConfigCorpus.Toml("none").Replace("[agent.env]\nUpstreamProtocol = \"AmqpWs\" # port 443 only\n\n", string.Empty);
            string after = ConfigEditor.SetRuntimeLogLevel(Doc(before), "debug");

            Assert.Equal(before + "\n[agent.env]\nRuntimeLogLevel = \"debug\"\n", after);
        }

        [Fact]
        public void LogLevel_NoAgent_AddsTheWholeAgentBlock_WithTheImageTheInstalledTemplateNames()
        {
            using var dir = new TempFolder();
            dir.Write("config.toml.edge.template", "# [agent.config]\n# image = \"mcr.microsoft.com/azureiotedge-agent:1.5\"\n");
            string before = ConfigCorpus.TomlTop + ConfigCorpus.TomlProvisioning["manual connection string"];
            var doc = EdgeConfigDocument.Load(dir.Write("config.toml", before));

            string after = ConfigEditor.SetRuntimeLogLevel(doc, "debug");

            Assert.Equal(before + "\n[agent]\nname = \"edgeAgent\"\ntype = \"docker\"\n\n[agent.config]\nimage = \"mcr.microsoft.com/azureiotedge-agent:1.5\"\n\n[agent.env]\nRuntimeLogLevel = \"debug\"\n", after);
            Assert.DoesNotContain(ConfigVerdictTests.Check(after, "config.toml"), r => r.CheckId == "check-agent-image" && r.Status != IoTEdgeTroubleshoot.Edge.CheckStatus.Pass);
        }

        [Theory]
        [InlineData("manual connection string")]
        [InlineData("manual x509")]
        [InlineData("dps tpm")]
        [InlineData("none")]
        public void EditsAreIdempotent(string form)
        {
            var doc = Doc(ConfigCorpus.Toml(form));
            string once = ConfigEditor.SetRuntimeLogLevel(ConfigEditor.SetHostname(doc, "edge-gw-07") is var t ? doc.WithText(t) : doc, "debug");
            var reread = doc.WithText(once);

            Assert.Equal(once, ConfigEditor.SetRuntimeLogLevel(reread, "debug"));
            Assert.Equal(once, ConfigEditor.SetHostname(reread, "edge-gw-07"));
        }

        [Theory]
        [InlineData("source = \"manual", 6)]
        [InlineData("createOptions = { a = 1,\n b = 2 }\nsource = \"manual\"", 5)]
        public void BrokenFiles_AreRefused_AsConfigNotValidToml_WithFileLineAndColumn(string replacement, int line)
        {
            var doc = Doc(ConfigCorpus.Toml("manual connection string").Replace("source = \"manual\"", replacement));

            var ex = Assert.Throws<TroubleshootException>(() => ConfigEditor.SetHostname(doc, "edge-gw-02"));

            Assert.Equal(ErrorIds.ConfigNotValidToml, ex.ErrorId);
            Assert.Equal(line, ex.Position!.Line);
            Assert.Matches(@"config\.toml:\d+:\d+: ", ex.Message);
            Assert.Contains("Nothing was written", ex.Message);
        }

        [Fact]
        public void ValuesWithQuotesAndBackslashes_AreEscaped_AndReadBack()
        {
            var doc = Doc(ConfigCorpus.Toml("none"));
            string text = doc.SetString(new[] { "agent", "env", "Note" }, "say \"hi\" \\ bye\n");

            Assert.Contains("Note = \"say \\\"hi\\\" \\\\ bye\\n\"", text);
            Assert.Equal("say \"hi\" \\ bye\n", doc.WithText(text).ScalarValue("agent", "env", "Note"));
        }

        [Fact]
        public void RandomMutations_NeverThrowAnythingButOurErrors()
        {
            var random = new Random(20261123);
            var sources = ConfigCorpus.TomlProvisioning.Keys.Select(ConfigCorpus.Toml).ToArray();
            const string alphabet = " =\t\n\r#{}[],'\"-.\\abc1";
            int edits = 0, refusals = 0;
            for (int i = 0; i < 300; i++)
            {
                var text = new System.Text.StringBuilder(sources[random.Next(sources.Length)]);
                for (int m = 1 + random.Next(3); m > 0; m--)
                {
                    int at = random.Next(text.Length);
                    if (random.Next(2) == 0) text.Remove(at, Math.Min(1 + random.Next(6), text.Length - at));
                    else text.Insert(at, alphabet[random.Next(alphabet.Length)]);
                }

                var doc = Doc(text.ToString());
                Assert.NotEmpty(ConfigVerdictTests.Check(text.ToString(), "config.toml"));
                foreach (var edit in new Func<string>[] { () => ConfigEditor.SetHostname(doc, "edge-x"), () => ConfigEditor.SetRuntimeLogLevel(doc, "debug", "mcr.microsoft.com/azureiotedge-agent:1.5") })
                {
                    try
                    {
                        edit();
                        edits++;
                    }
                    catch (TroubleshootException)
                    {
                        refusals++;
                    }
                }
            }

            Assert.True(edits > 50 && refusals > 50, $"{edits} edits, {refusals} refusals");
        }

        private sealed class RecordingRunner : IProcessRunner
        {
            public List<string[]> Calls { get; } = new List<string[]>();

            public ProcessResult Answer { get; set; } = new ProcessResult(0, "Azure IoT Edge has been configured successfully!", string.Empty);

            public string? Find(string executable) => executable == "iotedge" ? "/usr/bin/iotedge" : null;

            public ProcessResult Run(string executable, IReadOnlyList<string> arguments, TimeSpan timeout, System.Threading.CancellationToken cancellationToken = default, Action<string>? outputLine = null)
            {
                Calls.Add(new[] { executable }.Concat(arguments).ToArray());
                return Answer;
            }
        }

        [Fact]
        public void Apply_RunsIotedgeConfigApply_WithTheFileWhenItIsNotTheDefault()
        {
            var runner = new RecordingRunner();
            var apply = new ConfigApply(runner, windows: false);

            Assert.True(apply.Apply(EdgeGeneration.V1_2, "/etc/aziot/config.toml").Restarted);
            Assert.True(apply.Apply(EdgeGeneration.V1_2, "/tmp/x/config.toml").Restarted);

            Assert.Equal("/usr/bin/iotedge config apply", string.Join(" ", runner.Calls[0]));
            Assert.Equal("/usr/bin/iotedge config apply -c /tmp/x/config.toml", string.Join(" ", runner.Calls[1]));
            Assert.Equal("sudo iotedge config apply -c '/tmp/x/config.toml'", apply.ManualCommand(EdgeGeneration.V1_2, "/tmp/x/config.toml"));
        }

        [Fact]
        public void Apply_AHostnameChangeRefusedBecauseModulesExist_SaysWhatToDo()
        {
            var runner = new RecordingRunner
            {
                Answer = new ProcessResult(1, string.Empty, "Cannot apply config because the hostname in the config edge-a is different from the previous hostname edge-b. To update the hostname, run the following command which deletes all IoT Edge modules and reapplies the configuration."),
            };

            var ex = Assert.Throws<TroubleshootException>(() => new ConfigApply(runner, windows: false).Apply(EdgeGeneration.V1_2, "/etc/aziot/config.toml"));

            Assert.Equal(ErrorIds.HostnameChangeRefused, ex.ErrorId);
            Assert.Contains("set the old hostname back", ex.Message);
            Assert.Contains("docker rm -f", ex.Message);
            Assert.Contains("loses the data", ex.Message);
        }

        [Fact]
        public void Apply_OtherFailures_AreConfigApplyFailed_WithWhatItSaid()
        {
            var runner = new RecordingRunner { Answer = new ProcessResult(1, string.Empty, "this command must be run as root\n") };

            var ex = Assert.Throws<TroubleshootException>(() => new ConfigApply(runner, windows: false).Apply(EdgeGeneration.V1_2, "/etc/aziot/config.toml"));

            Assert.Equal(ErrorIds.ConfigApplyFailed, ex.ErrorId);
            Assert.Contains("this command must be run as root", ex.Message);
        }

        [Theory]
        [InlineData("config.toml", "", EdgeGeneration.V1_2)]
        [InlineData("config.yaml", "", EdgeGeneration.V1_1)]
        [InlineData("config.toml.20261122T060000Z.bak", "", EdgeGeneration.V1_2)]
        [InlineData("config.toml.edge.template", "", EdgeGeneration.V1_2)]
        [InlineData("saved.conf", "hostname = \"a\"\n[provisioning]\nsource = \"none\"\n", EdgeGeneration.V1_2)]
        [InlineData("saved.conf", "provisioning:\n  source: \"manual\"\nhostname: a\n", EdgeGeneration.V1_1)]
        public void Generation_ComesFromTheNameThenTheContent(string name, string text, EdgeGeneration expected)
        {
            Assert.Equal(expected, GenerationDetector.FromFile(name, text, () => null));
        }

        [Fact]
        public void DefaultPath_PrefersConfigToml_ThenConfigYaml_ThenWhatIsInstalled()
        {
            Assert.Equal(EdgeInstallation.TomlPath, EdgeInstallation.DefaultPath(null, p => p == EdgeInstallation.TomlPath || p == EdgeInstallation.YamlPath));
            Assert.Equal(EdgeInstallation.YamlPath, EdgeInstallation.DefaultPath(null, p => p == EdgeInstallation.YamlPath));
            Assert.Equal(EdgeInstallation.YamlPath, EdgeInstallation.DefaultPath(null, p => p == "/usr/bin/iotedged"));
            Assert.Equal(EdgeInstallation.TomlPath, EdgeInstallation.DefaultPath(null, _ => false));
            Assert.Equal(EdgeInstallation.YamlPath, EdgeInstallation.DefaultPath(EdgeGeneration.V1_1, p => p == EdgeInstallation.TomlPath));
            Assert.Equal(EdgeGeneration.V1_1, EdgeGenerations.FromVersion("1.0"));
            Assert.Equal(EdgeGeneration.V1_2, EdgeGenerations.FromVersion("1.6"));
        }
    }
}
