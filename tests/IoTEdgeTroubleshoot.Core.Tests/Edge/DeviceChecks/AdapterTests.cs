using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.DeviceChecks;
using IoTEdgeTroubleshoot.Edge.DeviceChecks.Adapters;
using IoTEdgeTroubleshoot.Edge.Network.Listeners;
using IoTEdgeTroubleshoot.Platform;
using IoTEdgeTroubleshoot.Tests.Edge.Daemon;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.DeviceChecks
{
    /// <summary>Answers each tool from a script, line by line through the output callback when one is given, as a real tool prints.</summary>
    internal sealed class ScriptedTools : IProcessRunner
    {
        public Dictionary<string, Func<IReadOnlyList<string>, string>> Answers { get; } = new Dictionary<string, Func<IReadOnlyList<string>, string>>();

        public List<string> Calls { get; } = new List<string>();

        public string? Find(string executable) => Answers.ContainsKey(executable) ? "/usr/bin/" + executable : null;

        public ProcessResult Run(string executable, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default, Action<string>? outputLine = null)
        {
            string tool = Path.GetFileName(executable);
            lock (Calls) Calls.Add(tool + " " + string.Join(" ", arguments));
            string output = Answers[tool](arguments);
            if (outputLine == null) return new ProcessResult(0, output, string.Empty);
            foreach (var line in output.Split('\n')) if (line.Length > 0) outputLine(line);
            return new ProcessResult(0, string.Empty, string.Empty);
        }
    }

    internal sealed class FixedListeners : IListenerTable
    {
        private readonly TcpListenerEntry[] _entries;

        public FixedListeners(params TcpListenerEntry[] entries) => _entries = entries;

        public IReadOnlyList<TcpListenerEntry> Listeners() => _entries;
    }

    public class AdapterTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero);

        private static IReadOnlyList<IoTEdgeCheckResult> Run(IDeviceCheck check, DeviceCheckContext context) => check.RunAsync(context, CancellationToken.None).GetAwaiter().GetResult();

        private static string Journal(DateTimeOffset time, string message) =>
            $"{{\"__REALTIME_TIMESTAMP\":\"{(time.ToUnixTimeMilliseconds() * 1000).ToString(CultureInfo.InvariantCulture)}\",\"PRIORITY\":\"3\",\"SYSLOG_IDENTIFIER\":\"aziot-edged\",\"_SYSTEMD_UNIT\":\"aziot-edged.service\",\"MESSAGE\":\"{message}\"}}\n";

        private static string ModuleLine(DateTimeOffset time, string message) => $"<6> {time.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff} +00:00 [INF] - {message}\n";

        private const string List = "NAME             STATUS           DESCRIPTION      CONFIG\nedgeHub          running          Up 3 hours       mcr.microsoft.com/azureiotedge-hub:1.5\n";

        [Fact]
        public void The_daemon_check_names_each_service_as_aziotctl_does_and_points_at_the_restart()
        {
            var runner = new RecordingRunner { Answer = (tool, _) => new ProcessResult(0, NativeFixtures.Text("systemctl-show-1.2-failing.txt"), string.Empty) };
            var results = Run(new DaemonDeviceCheck(), new DeviceCheckContext { Processes = runner, Generation = EdgeGeneration.V1_2, IsWindows = false });
            Assert.Equal(new[] { "edged-running", "identityd-running", "keyd-running", "certd-running", "tpmd-running" }, results.Select(r => r.CheckId));
            var edged = results[0];
            Assert.Equal(CheckStatus.Error, edged.Status);
            Assert.StartsWith("aziot-edged: Failed", edged.Message);
            Assert.Equal("Restart-IoTEdgeDaemon", edged.RemedyCommand);
            Assert.Contains("Get-IoTEdgeDaemonLog", edged.Remedy);
            Assert.Equal("systemctl", Assert.Single(runner.Calls).Tool);
        }

        [Fact]
        public void The_daemon_check_of_1_1_is_iotedge_running()
        {
            var runner = new RecordingRunner { Answer = (_, _) => new ProcessResult(0, "Id=iotedge.service\nLoadState=loaded\nActiveState=active\nSubState=running\nMainPID=77\nNRestarts=0\n", string.Empty) };
            var result = Assert.Single(Run(new DaemonDeviceCheck(), new DeviceCheckContext { Processes = runner, Generation = EdgeGeneration.V1_1, IsWindows = false }));
            Assert.Equal(("iotedge-running", CheckStatus.Pass), (result.CheckId, result.Status));
            Assert.Null(result.RemedyCommand);
        }

        [Fact]
        public void The_log_check_reports_issues_of_the_last_hour_only_from_the_journal_and_each_module()
        {
            var tools = new ScriptedTools();
            tools.Answers["journalctl"] = _ => Journal(Now.AddMinutes(-90), "invalid hostname: hostname cannot be empty") + Journal(Now.AddMinutes(-5), "Starting Azure IoT Edge Daemon");
            tools.Answers["iotedge"] = arguments => arguments[0] == "list" ? List
                : ModuleLine(Now.AddMinutes(-3), "Bind for 0.0.0.0:443 failed: port is already allocated");
            var results = Run(new KnownIssuesDeviceCheck(), new DeviceCheckContext { Processes = tools, UtcNow = () => Now, IsWindows = false, Generation = EdgeGeneration.V1_2 });
            var issue = Assert.Single(results);
            Assert.Equal(("log-known-issues", CheckStatus.Error), (issue.CheckId, issue.Status));
            Assert.StartsWith("edgehub-port-in-use: ", issue.Message);
            Assert.Equal("Test-IoTEdgeFirewall -Local", issue.RemedyCommand);
            string since = "@" + Now.AddHours(-1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            Assert.Contains(tools.Calls, c => c.StartsWith("journalctl ", StringComparison.Ordinal) && c.Contains("--since " + since));
            Assert.Contains("iotedge logs edgeHub --since 2026-12-01T14:00:00Z", tools.Calls);
        }

        [Fact]
        public void The_log_check_passes_a_clean_log_and_says_what_it_could_not_read()
        {
            var tools = new ScriptedTools();
            tools.Answers["iotedge"] = arguments => arguments[0] == "list" ? List : ModuleLine(Now.AddMinutes(-3), "Opened link to IoT Hub");
            var result = Assert.Single(Run(new KnownIssuesDeviceCheck(), new DeviceCheckContext { Processes = tools, UtcNow = () => Now, IsWindows = false }));
            Assert.Equal(CheckStatus.Pass, result.Status);
            Assert.Contains("1 module(s)", result.Message);
            Assert.Contains("Not read: the daemon's journal", result.Message);
        }

        [Fact]
        public void The_log_check_is_Skipped_when_no_log_can_be_read()
        {
            var result = Assert.Single(Run(new KnownIssuesDeviceCheck(), new DeviceCheckContext { Processes = new ScriptedTools(), UtcNow = () => Now, IsWindows = false }));
            Assert.Equal(CheckStatus.Skipped, result.Status);
        }

        [Fact]
        public void The_host_port_check_passes_edgeHub_s_own_docker_proxy_and_names_another_container()
        {
            var tools = new ScriptedTools();
            tools.Answers["docker"] = arguments => arguments.Contains("publish=443") ? "edgeHub\n" : "nginx\n";
            var table = new FixedListeners(new TcpListenerEntry("0.0.0.0", 443, 900, "docker-proxy"), new TcpListenerEntry("0.0.0.0", 8883, 901, "docker-proxy"));
            var results = Run(new HostPortsDeviceCheck(() => table), new DeviceCheckContext { Processes = tools });
            var byId = results.ToDictionary(r => r.CheckId);
            Assert.Equal(CheckStatus.Pass, byId["edgehub-port-free-443"].Status);
            Assert.Contains("edgeHub publishes port 443", byId["edgehub-port-free-443"].Message);
            Assert.Equal(CheckStatus.Error, byId["edgehub-port-free-8883"].Status);
            Assert.Equal("docker stop nginx", byId["edgehub-port-free-8883"].RemedyCommand);
            Assert.Equal(CheckStatus.Pass, byId["edgehub-port-free-5671"].Status);
            Assert.Contains("docker ps --filter publish=443 --format {{.Names}}", tools.Calls);
        }

        [Theory]
        [InlineData("nginx; rm -rf ~\n")]
        [InlineData("$(reboot)\n")]
        [InlineData("nginx\n`whoami`\n")]
        [InlineData("-v\n")]
        public void The_host_port_check_never_puts_what_is_no_container_name_into_its_remedy_command(string answer)
        {
            var tools = new ScriptedTools();
            tools.Answers["docker"] = _ => answer;
            var table = new FixedListeners(new TcpListenerEntry("0.0.0.0", 8883, 901, "docker-proxy"));
            var result = Run(new HostPortsDeviceCheck(() => table), new DeviceCheckContext { Processes = tools }).Single(r => r.CheckId == "edgehub-port-free-8883");
            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.DoesNotContain("docker stop", result.RemedyCommand ?? string.Empty);
        }

        [Fact]
        public void The_host_port_check_keeps_the_warning_when_docker_cannot_say()
        {
            var table = new FixedListeners(new TcpListenerEntry("0.0.0.0", 443, 900, "docker-proxy"));
            var results = Run(new HostPortsDeviceCheck(() => table), new DeviceCheckContext { Processes = new ScriptedTools() });
            Assert.Equal(CheckStatus.Warning, results.Single(r => r.CheckId == "edgehub-port-free-443").Status);
        }

        [UnprivilegedFact]
        public void The_dns_check_of_a_daemon_json_only_root_can_read_is_Skipped_with_that_reason_not_an_Error()
        {
            if (!OperatingSystem.IsLinux()) return; // the fact is skipped elsewhere
            using var folder = new TempFolder();
            string daemonJson = folder.Write("daemon.json", "{ \"dns\": [\"10.0.0.53\"] }");
            File.SetUnixFileMode(daemonJson, UnixFileMode.None);
            var context = new DeviceCheckContext { DaemonJsonPaths = new[] { daemonJson }, ConfigPath = folder.Write("config.toml", "hostname = \"edge\"\n"), HubHostName = "localhost", IsWindows = false };
            var engine = Assert.Single(Run(new DnsDeviceCheck(), context), r => r.CheckId == "dns-engine-config");
            Assert.Equal(CheckStatus.Skipped, engine.Status);
            Assert.Contains("run elevated", engine.Message);
        }

        [Fact]
        public void The_deployment_check_is_one_Skipped_result_without_a_manifest()
        {
            var result = Assert.Single(Run(new DeploymentDeviceCheck(), new DeviceCheckContext()));
            Assert.Equal(("edge-deployment", CheckStatus.Skipped), (result.CheckId, result.Status));
        }

        [Fact]
        public void The_probes_are_Skipped_when_the_config_does_not_parse_and_no_hub_is_given()
        {
            using var folder = new TempFolder();
            string config = folder.Write("config.toml", "hostname = \"edge01\n");
            var result = Assert.Single(Run(new UpstreamDeviceCheck(), new DeviceCheckContext { ConfigPath = config }));
            Assert.Equal(("upstream-connectivity", CheckStatus.Skipped), (result.CheckId, result.Status));
        }

        [Fact]
        public void The_probes_are_Skipped_for_a_DPS_device_without_a_hub_name()
        {
            using var folder = new TempFolder();
            string config = folder.Write("config.toml", "hostname = \"edge01\"\n[provisioning]\nsource = \"none\"\n");
            var result = Assert.Single(Run(new UpstreamDeviceCheck(), new DeviceCheckContext { ConfigPath = config }));
            Assert.Equal(CheckStatus.Skipped, result.Status);
            Assert.Contains("-HubHostName", result.Message);
        }
    }
}

namespace IoTEdgeTroubleshoot.Tests.Edge.DeviceChecks
{
    using IoTEdgeTroubleshoot.Edge.EventLog;

    public class EventLogDeviceCheckTests
    {
        private sealed class FakeRegistry : IMachineRegistry
        {
            public Dictionary<string, object>? Values { get; set; }

            public IReadOnlyDictionary<string, object>? Read(string subKey, IEnumerable<string> names) => Values;

            public void Write(string subKey, IReadOnlyList<RegistryValue> values) => throw new InvalidOperationException("a check never writes");
        }

        private const string Exe = @"C:\Program Files\iotedge\iotedged.exe";

        private static IoTEdgeCheckResult Run(FakeRegistry registry, bool windows = true, EdgeGeneration generation = EdgeGeneration.V1_1, string? exe = Exe) =>
            new EventLogDeviceCheck(() => registry, () => exe).RunAsync(new DeviceCheckContext { IsWindows = windows, Generation = generation }, CancellationToken.None).GetAwaiter().GetResult().Single();

        [Fact]
        public void A_missing_key_is_an_Error_fixed_by_Repair_IoTEdgeEventLog()
        {
            var result = Run(new FakeRegistry());
            Assert.Equal(("eventlog-registered", CheckStatus.Error), (result.CheckId, result.Status));
            Assert.Equal("Repair-IoTEdgeEventLog", result.RemedyCommand);
            Assert.Contains("CustomSource, EventMessageFile, TypesSupported", result.Message);
        }

        [Fact]
        public void A_complete_key_passes()
        {
            var registry = new FakeRegistry { Values = new Dictionary<string, object> { ["CustomSource"] = 1, ["EventMessageFile"] = Exe, ["TypesSupported"] = 7 } };
            Assert.Equal(CheckStatus.Pass, Run(registry).Status);
        }

        [Fact]
        public void It_is_Skipped_off_Windows_for_1_2_and_without_the_daemon()
        {
            Assert.Contains("Windows only", Run(new FakeRegistry(), windows: false).Message);
            Assert.Equal(CheckStatus.Skipped, Run(new FakeRegistry(), generation: EdgeGeneration.V1_2).Status);
            Assert.Equal(CheckStatus.Skipped, Run(new FakeRegistry(), exe: null).Status);
        }
    }
}
