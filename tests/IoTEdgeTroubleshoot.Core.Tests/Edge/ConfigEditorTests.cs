using System;
using System.IO;
using System.Linq;
using System.Text;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge
{
    /// <summary>Edits must change exactly the value asked for: byte-for-byte expectations.</summary>
    public class ConfigEditorTests
    {
        private static EdgeConfigDocument Doc(string name) => EdgeConfigDocument.Load(ConfigFiles.Source(name));

        [Fact]
        public void Hostname_QuotedValue_OnlyThatValueChanges()
        {
            string before = ConfigFiles.Text("linux-1.1-manual.yaml");
            string after = ConfigEditor.SetHostname(Doc("linux-1.1-manual.yaml"), "edgevm01.westeurope.cloudapp.azure.com");

            Assert.Equal(before.Replace("hostname: \"edge-gw-01\"", "hostname: \"edgevm01.westeurope.cloudapp.azure.com\""), after);
        }

        [Fact]
        public void Hostname_PlainValue_StaysPlain()
        {
            string before = ConfigFiles.Text("linux-1.0-dps-tpm.yaml");
            string after = ConfigEditor.SetHostname(Doc("linux-1.0-dps-tpm.yaml"), "edge-tpm-08");

            Assert.Equal(before.Replace("hostname: edge-tpm-07", "hostname: edge-tpm-08"), after);
        }

        [Fact]
        public void Hostname_CrlfFile_KeepsCrlf()
        {
            string before = ConfigFiles.Text("windows-1.1-manual.yaml");
            string after = ConfigEditor.SetHostname(Doc("windows-1.1-manual.yaml"), "edge-win-05");

            Assert.Equal(before.Replace("hostname: \"EDGE-WIN-05\"", "hostname: \"edge-win-05\""), after);
            Assert.Equal(before.Split("\r\n").Length, after.Split("\r\n").Length);
        }

        [Fact]
        public void LogLevel_EmptyFlowEnv_BecomesABlockWithTwoSpaceIndent()
        {
            string before = ConfigFiles.Text("linux-1.1-manual.yaml");
            string after = ConfigEditor.SetRuntimeLogLevel(Doc("linux-1.1-manual.yaml"), "debug");

            Assert.Equal(before.Replace("  env: {}\n", "  env:\n    RuntimeLogLevel: debug\n"), after);
        }

        [Fact]
        public void LogLevel_CrlfFile_InsertsCrlf()
        {
            string before = ConfigFiles.Text("windows-1.1-manual.yaml");
            string after = ConfigEditor.SetRuntimeLogLevel(Doc("windows-1.1-manual.yaml"), "debug");

            Assert.Equal(before.Replace("  env: {}\r\n", "  env:\r\n    RuntimeLogLevel: debug\r\n"), after);
        }

        [Fact]
        public void LogLevel_BlockEnvWithComments_AddsALineAfterItsLastEntry()
        {
            string before = ConfigFiles.Text("env-block-with-comments.yaml");
            string after = ConfigEditor.SetRuntimeLogLevel(Doc("env-block-with-comments.yaml"), "debug");

            Assert.Equal(before.Replace("   # the site proxy\n", "   # the site proxy\n    RuntimeLogLevel: debug\n"), after);
        }

        [Fact]
        public void LogLevel_FlowEnvWithEntries_StaysFlow()
        {
            string before = ConfigFiles.Text("env-flow.yaml");
            string after = ConfigEditor.SetRuntimeLogLevel(Doc("env-flow.yaml"), "verbose");

            Assert.Equal(before.Replace("env: { UpstreamProtocol: MqttWs }", "env: { UpstreamProtocol: MqttWs, RuntimeLogLevel: verbose }"), after);
        }

        [Fact]
        public void LogLevel_MissingEnv_IsAddedToTheAgent()
        {
            string before = ConfigFiles.Text("env-missing.yaml");
            string after = ConfigEditor.SetRuntimeLogLevel(Doc("env-missing.yaml"), "debug");

            Assert.Equal(before.Replace("    auth: {}\n", "    auth: {}\n  env:\n    RuntimeLogLevel: debug\n"), after);
        }

        [Fact]
        public void LogLevel_ExistingValue_KeepsItsQuotesAndComment()
        {
            string before = ConfigFiles.Text("env-has-level.yaml");
            string after = ConfigEditor.SetRuntimeLogLevel(Doc("env-has-level.yaml"), "debug");

            Assert.Equal(before.Replace("RuntimeLogLevel: 'info'  # was debug last week", "RuntimeLogLevel: 'debug'  # was debug last week"), after);
        }

        [Theory]
        [InlineData("linux-1.1-manual.yaml")]
        [InlineData("env-block-with-comments.yaml")]
        [InlineData("env-flow.yaml")]
        [InlineData("env-missing.yaml")]
        [InlineData("windows-1.1-manual.yaml")]
        public void EditsAreIdempotent(string name)
        {
            string once = ConfigEditor.SetRuntimeLogLevel(Doc(name), "debug");
            var reread = EdgeConfigDocument.Parse(Doc(name).File.WithText(once));

            Assert.Equal(once, ConfigEditor.SetRuntimeLogLevel(reread, "debug"));
            Assert.Equal(once, ConfigEditor.SetHostname(reread, reread.ScalarValue("hostname")!));
        }

        [Theory]
        [InlineData("broken-tabs.yaml", "ConfigHasTabs")] // the tab's own position, not where the parser gave up
        [InlineData("broken-indentation.yaml", "ConfigNotValidYaml")]
        [InlineData("broken-unclosed-quote.yaml", "ConfigNotValidYaml")]
        [InlineData("empty.yaml", "ConfigNotValidYaml")]
        public void BrokenFiles_AreRefused_WithFileLineAndColumn(string name, string errorId)
        {
            var ex = Assert.Throws<TroubleshootException>(() => ConfigEditor.SetRuntimeLogLevel(Doc(name), "debug"));

            Assert.Equal(errorId, ex.ErrorId);
            Assert.Matches(@"^.+\.yaml:\d+:\d+: ", ex.Message);
            Assert.Contains("Nothing was written", ex.Message);
        }

        [Fact]
        public void TabsInAnOtherwiseValidFile_AreRefused()
        {
            var doc = EdgeConfigDocument.Parse(Doc("linux-1.1-manual.yaml").File.WithText(ConfigFiles.Text("linux-1.1-manual.yaml").Replace("# pick up any changes", "#\tpick up any changes")));

            var ex = Assert.Throws<TroubleshootException>(() => ConfigEditor.SetHostname(doc, "edge-gw-02"));

            Assert.Equal("ConfigHasTabs", ex.ErrorId);
            Assert.Contains(":6:2:", ex.Message);
        }

        [Theory]
        [InlineData("")]
        [InlineData("<ADD HOSTNAME HERE>")]
        [InlineData("this-is-a-very-long-hostname-that-goes-on.and-on-and-on.westeurope.cloudapp.azure.com")]
        public void InvalidHostnames_AreRefused(string hostname)
        {
            var ex = Assert.Throws<TroubleshootException>(() => ConfigEditor.SetHostname(Doc("linux-1.1-manual.yaml"), hostname));
            Assert.Equal("InvalidHostname", ex.ErrorId);
        }

        [Fact]
        public void UnknownLogLevel_IsRefused()
        {
            Assert.Equal("InvalidLogLevel", Assert.Throws<TroubleshootException>(() => ConfigEditor.SetRuntimeLogLevel(Doc("linux-1.1-manual.yaml"), "loud")).ErrorId);
        }

        [Fact]
        public void Diff_ShowsTheChangedLinesOnly_AndMasksSecrets()
        {
            string before = "a: 1\nkey: SharedAccessKey=abc123\nhostname: old\nz: 2\n";
            string after = "a: 1\nkey: SharedAccessKey=abc123\nhostname: new\nz: 2\n";

            string diff = ConfigEditor.Diff("/etc/iotedge/config.yaml", before, after);

            Assert.Equal("--- /etc/iotedge/config.yaml\n+++ /etc/iotedge/config.yaml\n@@ -3,1 +3,1 @@\n-hostname: old\n+hostname: new", diff.Replace("\r\n", "\n"));
            Assert.Contains("@@ -2,0 +3,1 @@", ConfigEditor.Diff("f", "a\nb\nc\n", "a\nb\nnew\nc\n"));
            Assert.Contains("SharedAccessKey=***", SecretMasker.Mask("HostName=h;DeviceId=d;SharedAccessKey=abc123"));
        }

        [Fact]
        public void RandomMutationsOfValidConfigs_NeverThrowAnythingButOurErrors()
        {
            var random = new Random(20261122);
            var sources = new[] { "linux-1.1-manual.yaml", "windows-1.1-manual.yaml", "env-block-with-comments.yaml", "env-flow.yaml", "linux-1.0-dps-tpm.yaml" }.Select(ConfigFiles.Text).ToArray();
            const string alphabet = " :\t\n\r#{}[],'\"-|>&*!%@`\\abc1";
            int edits = 0, refusals = 0;
            for (int i = 0; i < 400; i++)
            {
                var text = new StringBuilder(sources[random.Next(sources.Length)]);
                int mutations = 1 + random.Next(4);
                for (int m = 0; m < mutations; m++)
                {
                    int at = random.Next(text.Length);
                    switch (random.Next(3))
                    {
                        case 0: text.Remove(at, Math.Min(1 + random.Next(8), text.Length - at)); break;
                        case 1: text.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                        default: text.Insert(at, text.ToString(at, Math.Min(20, text.Length - at))); break;
                    }
                }

                var doc = EdgeConfigDocument.Parse(Doc("linux-1.1-manual.yaml").File.WithText(text.ToString()));
                Assert.NotEmpty(RunChecksOn(doc));
                foreach (var edit in new Func<string>[] { () => ConfigEditor.SetHostname(doc, "edge-x"), () => ConfigEditor.SetRuntimeLogLevel(doc, "debug") })
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

        // Checks on an in-memory document: write it to a temp file and run them all.
        private static System.Collections.Generic.List<IoTEdgeTroubleshoot.Edge.IoTEdgeCheckResult> RunChecksOn(EdgeConfigDocument doc)
        {
            using var dir = new TempFolder();
            string path = dir.Write("config.yaml", doc.File.Text);
            return IoTEdgeTroubleshoot.Edge.Config.ConfigChecks.Run(new IoTEdgeTroubleshoot.Edge.Config.Checks.ConfigCheckContext(path)).ToList();
        }
    }
}
