using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Config.Checks;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge
{
    /// <summary>Issue 8, class 3: aliases that expand without end, or into themselves, are refused quickly with their place.</summary>
    public class HostileYamlTests
    {
        // Ten levels of ten aliases each: 10^10 values if expanded.
        private static string BillionLaughs()
        {
            var text = new StringBuilder("provisioning:\n  source: \"manual\"\n  device_connection_string: \"HostName=h.azure-devices.net;DeviceId=d;SharedAccessKey=QUJD\"\nlol0: &l0 \"lol\"\n");
            for (int level = 1; level <= 10; level++)
            {
                text.Append($"lol{level}: &l{level} [").Append(string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 10))).Append("]\n");
            }

            return text.Append("hostname: \"edge-gw-01\"\nagent:\n  env: {}\n").ToString();
        }

        private static EdgeConfigDocument Doc(string text, string name = "config.yaml")
        {
            using var dir = new TempFolder();
            return EdgeConfigDocument.Load(dir.Write(name, text));
        }

        [Fact]
        public void BillionLaughs_IsRefusedQuickly_NamingTheAliasThatCrossesTheLimit()
        {
            string text = BillionLaughs();
            var watch = Stopwatch.StartNew();
            var doc = Doc(text);
            watch.Stop();

            Assert.False(doc.IsValid);
            // Unbounded, this took minutes; the expansion limit makes it well under a second. 5 s guards
            // against the unbounded case without failing on a busy 2-core CI machine running tests in parallel.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
            Assert.Contains("billion laughs", doc.SyntaxError!.Message);
            int line = doc.SyntaxError.Line;
            Assert.StartsWith("lol", text.Split('\n')[line - 1]);
            Assert.Equal('*', text.Split('\n')[line - 1][doc.SyntaxError.Column - 1]);
        }

        [Fact]
        public void BillionLaughs_InTheChecks_IsAConfigYamlErrorAndTheRestSkips()
        {
            using var dir = new TempFolder();
            var results = ConfigChecks.Run(new ConfigCheckContext(dir.Write("config.yaml", BillionLaughs()))).ToList();

            var yaml = results.Single(r => r.CheckId == "config-yaml");
            Assert.Equal(CheckStatus.Error, yaml.Status);
            Assert.NotNull(yaml.Line);
            Assert.All(results.Where(r => r.CheckId == "config-provisioning" || r.CheckId == "config-agent"), r => Assert.Equal(CheckStatus.Skipped, r.Status));
        }

        [Fact]
        public void BillionLaughs_InTheEditor_IsConfigNotValidYaml_WithFileLineAndColumn()
        {
            var ex = Assert.Throws<TroubleshootException>(() => ConfigEditor.SetRuntimeLogLevel(Doc(BillionLaughs()), "debug"));

            Assert.Equal(ErrorIds.ConfigNotValidYaml, ex.ErrorId);
            Assert.Matches(@"config\.yaml:\d+:\d+: Aliases here make the file expand", ex.Message);
        }

        [Theory]
        [InlineData("agent: &a\n  name: edgeAgent\n  env: *a\n", "inside the node it refers to")]
        [InlineData("agent: &a [1, *a]\n", "inside the node it refers to")]
        [InlineData("hostname: *nowhere\n", "refers to no anchor")]
        public void SelfReferencingOrDanglingAliases_AreCleanErrors(string text, string expected)
        {
            var doc = Doc(text);

            Assert.False(doc.IsValid);
            Assert.Contains(expected, doc.SyntaxError!.Message);
            Assert.True(doc.SyntaxError.Line >= 1);
            var ex = Assert.Throws<TroubleshootException>(() => ConfigEditor.SetHostname(doc, "edge-gw-02"));
            Assert.Equal(ErrorIds.ConfigNotValidYaml, ex.ErrorId);
            Assert.NotNull(ex.Position);
        }

        [Fact]
        public void FewAliases_AreRead_AndTheEditKeepsThem()
        {
            string text = "common: &env\n  UpstreamProtocol: AmqpWs\nprovisioning:\n  source: \"manual\"\nagent:\n  name: edgeAgent\n  env: *env\nhostname: \"edge-gw-01\"\n";
            var doc = Doc(text);

            Assert.True(doc.IsValid);
            Assert.Equal("AmqpWs", doc.ScalarValue("agent", "env", "UpstreamProtocol"));
            string edited = ConfigEditor.SetHostname(doc, "edge-gw-02");
            Assert.Equal(text.Replace("edge-gw-01", "edge-gw-02"), edited);
        }

        [Fact]
        public void DeepNesting_IsRefused_NotAStackOverflow()
        {
            string text = "a: " + new string('[', 5000) + new string(']', 5000) + "\n";
            var doc = Doc(text);

            Assert.False(doc.IsValid);
            Assert.Contains("nests deeper", doc.SyntaxError!.Message);
        }

        [Fact]
        public void DeepNesting_InToml_IsRefused_NotAStackOverflow()
        {
            var doc = Doc("a = " + new string('[', 5000) + new string(']', 5000) + "\n", "config.toml");

            Assert.False(doc.IsValid);
            Assert.Contains("depth", doc.SyntaxError!.Message);
        }

        [Fact]
        public void KeysWrittenTwice_AreAWarning_AndTheLastOneCounts()
        {
            string text = ConfigFiles.Text("linux-1.1-manual.yaml") + "hostname: \"edge-gw-09\"\n";
            using var dir = new TempFolder();
            string path = dir.Write("config.yaml", text);
            var doc = EdgeConfigDocument.Load(path);

            Assert.Equal("edge-gw-09", doc.ScalarValue("hostname"));
            var yaml = ConfigChecks.Run(new ConfigCheckContext(path) { MachineName = "edge-gw-09" }).Single(r => r.CheckId == "config-yaml");
            Assert.Equal((CheckStatus.Warning, text.Split('\n').Length - 1), (yaml.Status, yaml.Line));
        }
    }
}
