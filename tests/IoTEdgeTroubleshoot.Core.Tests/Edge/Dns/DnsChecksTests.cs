using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Dns;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Dns
{
    public class DnsChecksTests
    {
        private const string Key = "q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c=";

        private sealed class FakeResolver : IHostResolver
        {
            public List<string> Asked { get; } = new List<string>();

            public IReadOnlyList<string> Resolve(string host, TimeSpan timeout)
            {
                Asked.Add(host);
                if (host == "contoso-hub.azure-devices.net") return new[] { "20.1.2.3" };
                throw new SocketException((int)SocketError.HostNotFound);
            }
        }

        private static List<IoTEdgeCheckResult> Run(DnsCheckContext context) => DnsChecks.Run(context).ToList();

        private static DnsCheckContext Context(TempFolder dir, string? daemonText, string? config = null, IHostResolver? resolver = null)
        {
            string daemon = Path.Combine(dir.Path, "docker", "daemon.json");
            if (daemonText != null) dir.Write("docker/daemon.json", daemonText);
            return new DnsCheckContext
            {
                DaemonConfigPaths = new[] { daemon },
                DaemonConfigPathsGiven = true,
                DeviceConfigPath = config == null ? Path.Combine(dir.Path, "config.toml") : dir.Write("config.toml", config),
                Resolver = resolver ?? new FakeResolver(),
            };
        }

        [Fact]
        public void EngineDns_Passes_WithItsPlace()
        {
            using var dir = new TempFolder();
            var result = Run(Context(dir, "{\n  \"debug\": true,\n  \"dns\": [\"10.0.0.53\", \"1.1.1.1\"]\n}\n"))[0];

            Assert.Equal(CheckStatus.Pass, result.Status);
            Assert.Equal(DnsChecks.EngineConfigId, result.CheckId);
            Assert.Contains("10.0.0.53, 1.1.1.1", result.Message);
            Assert.Equal(3, result.Line);
            Assert.Equal(10, result.Column);
        }

        [Theory]
        [InlineData(null, CheckStatus.Warning, "does not exist")]
        [InlineData("{ \"debug\": true }", CheckStatus.Warning, "sets no \"dns\"")]
        [InlineData("{ \"dns\": \"1.1.1.1\" }", CheckStatus.Error, "holds \"1.1.1.1\"")]
        [InlineData("{ \"dns\": [\"dns.contoso.com\"] }", CheckStatus.Error, "holds dns.contoso.com")]
        [InlineData("{ \"dns\": [] }", CheckStatus.Error, "empty list")]
        [InlineData("{ \"dns\": [\"1.1.1.1\"], }", CheckStatus.Error, "Not valid JSON")]
        public void EngineDns_Problems(string? daemonText, CheckStatus status, string said)
        {
            using var dir = new TempFolder();
            var result = Run(Context(dir, daemonText))[0];

            Assert.Equal(status, result.Status);
            Assert.Contains(said, result.Message);
        }

        [Fact]
        public void WindowsPaths_NeitherThere_OneWarningNamesBoth()
        {
            using var dir = new TempFolder();
            var context = Context(dir, null);
            context.DaemonConfigPaths = new[] { Path.Combine(dir.Path, "iotedge-moby", "config", "daemon.json"), Path.Combine(dir.Path, "iotedge-moby-data", "config", "daemon.json") };
            context.DaemonConfigPathsGiven = false;
            context.CheckHub = false;

            var result = Assert.Single(Run(context));

            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.Contains("iotedge-moby-data", result.Message);
        }

        [Fact]
        public void WindowsPaths_TheOneThereIsChecked()
        {
            using var dir = new TempFolder();
            var context = Context(dir, null);
            string guide = dir.Write("iotedge-moby-data/config/daemon.json", "{ \"dns\": [\"10.0.0.53\"] }");
            context.DaemonConfigPaths = new[] { Path.Combine(dir.Path, "iotedge-moby", "config", "daemon.json"), guide };
            context.DaemonConfigPathsGiven = false;
            context.CheckHub = false;

            var result = Assert.Single(Run(context));

            Assert.Equal(CheckStatus.Pass, result.Status);
            Assert.Equal(guide, result.Path);
        }

        [Fact]
        public void MissingEngineConfig_SaysHowToSetIt()
        {
            using var dir = new TempFolder();
            var result = Run(Context(dir, null))[0];
            Assert.StartsWith("Set-IoTEdgeDns -DaemonConfigPath '", result.RemedyCommand);
        }

        [Fact]
        public void HubName_FromAManualConfigToml_Resolves()
        {
            using var dir = new TempFolder();
            var resolver = new FakeResolver();
            var results = Run(Context(dir, null, $"[provisioning]\nsource = \"manual\"\nconnection_string = \"HostName=contoso-hub.azure-devices.net;DeviceId=edge-01;SharedAccessKey={Key}\"\n", resolver));

            var hub = results.Last();
            Assert.Equal(DnsChecks.HubResolvesId, hub.CheckId);
            Assert.Equal(CheckStatus.Pass, hub.Status);
            Assert.Contains("20.1.2.3", hub.Message);
            Assert.Equal(new[] { "contoso-hub.azure-devices.net" }, resolver.Asked);
            Assert.DoesNotContain(results, r => r.Message.Contains(Key, StringComparison.Ordinal));
        }

        [Fact]
        public void HubName_ThatDoesNotResolve_IsAnError()
        {
            using var dir = new TempFolder();
            var results = Run(Context(dir, null, "[provisioning]\nsource = \"manual\"\niothub_hostname = \"typo-hub.azure-devices.net\"\ndevice_id = \"edge-01\"\n"));

            Assert.Equal(CheckStatus.Error, results.Last().Status);
            Assert.Contains("typo-hub.azure-devices.net", results.Last().Message);
        }

        [Fact]
        public void HubName_UnderDps_IsSkipped_AndAskedFor()
        {
            using var dir = new TempFolder();
            var results = Run(Context(dir, null, "[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://global.azure-devices-provisioning.net/\"\nid_scope = \"0ne00000000\"\n"));

            Assert.Equal(CheckStatus.Skipped, results.Last().Status);
            Assert.Contains("-HubHostName", results.Last().Message);
        }

        [Fact]
        public void HubName_From11ConfigYaml()
        {
            using var dir = new TempFolder();
            string yaml = dir.Write("config.yaml", $"provisioning:\n  source: \"manual\"\n  device_connection_string: \"HostName=contoso-hub.azure-devices.net;DeviceId=edge-01;SharedAccessKey={Key}\"\n");

            Assert.Equal("contoso-hub.azure-devices.net", HubHostName.FromConfig(IoTEdgeTroubleshoot.Edge.Config.EdgeConfigDocument.Load(yaml), out _));
        }

        [Fact]
        public void Localhost_ResolvesWithTheSystemResolver()
        {
            using var dir = new TempFolder();
            var context = Context(dir, null, resolver: new SystemHostResolver());
            context.HubHostName = "localhost";

            var hub = Run(context).Last();

            Assert.Equal(CheckStatus.Pass, hub.Status);
            Assert.Contains("from -HubHostName", hub.Message);
        }

        [Fact]
        public void WithAManifest_ItsDnsCheckRunsToo()
        {
            using var dir = new TempFolder();
            var context = Context(dir, "{ \"dns\": [\"10.0.0.53\"] }");
            context.ManifestPath = GoldenFiles.Source("manifest-split.json");
            context.HubHostName = "contoso-hub.azure-devices.net";

            var results = Run(context);

            Assert.Equal(new[] { DnsChecks.EngineConfigId, "manifest-dns", DnsChecks.HubResolvesId }, results.Select(r => r.CheckId));
            Assert.All(results, r => Assert.Equal(CheckStatus.Pass, r.Status));
        }

        [Fact]
        public void WithABrokenManifest_ItsJsonErrorIsShown()
        {
            using var dir = new TempFolder();
            var context = Context(dir, "{ \"dns\": [\"10.0.0.53\"] }");
            context.ManifestPath = dir.Write("deployment.json", "{ \"modulesContent\": ");
            context.HubHostName = "contoso-hub.azure-devices.net";

            var results = Run(context);

            Assert.Contains(results, r => r.CheckId == "manifest-json" && r.Status == CheckStatus.Error);
        }
    }

    public class EngineRestartTests
    {
        private sealed class RecordingRunner : IProcessRunner
        {
            private readonly int _exitCode;

            public RecordingRunner(int exitCode = 0, bool hasSystemctl = true)
            {
                _exitCode = exitCode;
                HasSystemctl = hasSystemctl;
            }

            public bool HasSystemctl { get; }

            public List<string> Calls { get; } = new List<string>();

            public string? Find(string executable) => HasSystemctl && executable == "systemctl" ? "/usr/bin/systemctl" : null;

            public ProcessResult Run(string executable, IReadOnlyList<string> arguments, TimeSpan timeout, System.Threading.CancellationToken cancellationToken = default, Action<string>? outputLine = null)
            {
                Calls.Add(executable + " " + string.Join(" ", arguments));
                return new ProcessResult(_exitCode, string.Empty, _exitCode == 0 ? string.Empty : "Job for docker.service failed.");
            }
        }

        [Fact]
        public void Linux_RestartsTheDockerUnit()
        {
            var runner = new RecordingRunner();
            var outcome = new EngineRestart(runner, windows: false).Restart();

            Assert.True(outcome.Restarted);
            Assert.Equal(new[] { "/usr/bin/systemctl restart docker" }, runner.Calls);
        }

        [Fact]
        public void Linux_AFailedRestart_IsEngineRestartFailed()
        {
            var ex = Assert.Throws<TroubleshootException>(() => new EngineRestart(new RecordingRunner(exitCode: 1), windows: false).Restart());
            Assert.Equal(ErrorIds.EngineRestartFailed, ex.ErrorId);
            Assert.Contains("journalctl -u docker", ex.Message);
        }

        [Fact]
        public void Windows_SaysTheGuidesCommand_AndRunsNothing()
        {
            var runner = new RecordingRunner();
            var restart = new EngineRestart(runner, windows: true);

            var outcome = restart.Restart();

            Assert.False(outcome.Restarted);
            Assert.Contains("Restart-Service iotedge-moby -Force", outcome.Message);
            Assert.Empty(runner.Calls);
            Assert.Contains("iotedge-moby", restart.What);
        }

        [Fact]
        public void WithoutSystemctl_SaysWhatToRun()
        {
            var outcome = new EngineRestart(new RecordingRunner(hasSystemctl: false), windows: false).Restart();
            Assert.False(outcome.Restarted);
            Assert.Contains("sudo systemctl restart docker", outcome.Message);
        }
    }
}
