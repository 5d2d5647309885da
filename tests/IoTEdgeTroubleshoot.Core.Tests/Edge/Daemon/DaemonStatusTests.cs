using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Daemon;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Daemon
{
    /// <summary>Get-IoTEdgeDaemonStatus's logic: 'systemctl show' blocks, timestamps, what each state means, and the generation chosen.</summary>
    public class DaemonStatusTests
    {
        private static IReadOnlyList<IoTEdgeDaemonStatus> Read(string fixture, EdgeGeneration? requested, out RecordingRunner runner, CollectingReporter? reporter = null, Func<EdgeGeneration?>? installed = null)
        {
            var recording = new RecordingRunner { Answer = (_, _) => new ProcessResult(0, NativeFixtures.Text(fixture), string.Empty) };
            runner = recording;
            return new DaemonStatusReader(recording, reporter, windows: false, installed: installed ?? (() => null)).Read(requested, CancellationToken.None);
        }

        [Fact]
        public void Parse_ReadsEveryBlock_KeepingEmptyValues()
        {
            var units = SystemctlShow.Parse(NativeFixtures.Text("systemctl-show-both-1.2-installed.txt"));

            Assert.Equal(10, units.Count);
            Assert.Equal("aziot-edged.service", units[0]["Id"]);
            Assert.Equal("aziot-edged.mgmt.socket aziot-edged.workload.socket", units[0]["TriggeredBy"]);
            Assert.Equal(string.Empty, units[2]["ActiveEnterTimestamp"]);
            Assert.Equal("listening", units.Single(u => u["Id"] == "aziot-tpmd.socket")["SubState"]);
        }

        [Fact]
        public void Parse_CrlfAndStrayLines_AreTolerated()
        {
            var units = SystemctlShow.Parse("Id=a.service\r\nActiveState=active\r\n\r\n\r\nWarning: the unit file changed on disk\r\nId=b.service\r\nEnvironment=A=1 B=2\r\n");

            Assert.Equal(2, units.Count);
            Assert.Equal("active", units[0]["ActiveState"]);
            Assert.Equal("A=1 B=2", units[1]["Environment"]);
        }

        [Theory]
        [InlineData("Tue 2026-07-21 10:11:12 UTC", "2026-07-21T10:11:12+00:00")]
        [InlineData("2026-07-21 10:11:12 UTC", "2026-07-21T10:11:12+00:00")]
        [InlineData("Tue 2026-07-21 10:11:12.250000 UTC", "2026-07-21T10:11:12.25+00:00")]
        [InlineData("Tue 2026-07-21 12:11:12 +02", "2026-07-21T12:11:12+02:00")]
        [InlineData("Tue 2026-07-21 05:41:12 -0430", "2026-07-21T05:41:12-04:30")]
        public void ParseTimestamp_ReadsSystemdsForms(string text, string expected)
        {
            Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), SystemctlShow.ParseTimestamp(text, TimeZoneInfo.Utc));
        }

        [Theory]
        [InlineData("")]
        [InlineData("n/a")]
        [InlineData("   ")]
        [InlineData("yesterday")]
        [InlineData("Tue 2026-13-45 10:11:12 UTC")]
        public void ParseTimestamp_NeverAndNonsense_AreNull(string text)
        {
            Assert.Null(SystemctlShow.ParseTimestamp(text, TimeZoneInfo.Utc));
        }

        [Fact]
        public void ParseTimestamp_ANamedZone_IsThisMachinesLocalTime_AsSystemctlPrintsIt()
        {
            var berlin = TimeZoneInfo.CreateCustomTimeZone("test+1", TimeSpan.FromHours(1), "test", "CET");

            var parsed = SystemctlShow.ParseTimestamp("Tue 2026-12-01 10:38:16 CET", berlin);

            Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 38, 16, TimeSpan.FromHours(1)), parsed);
        }

        [Fact]
        public void Read_WithoutGeneration_AsksBothGenerationsInOneCall_AndKeepsTheOneInstalled()
        {
            var statuses = Read("systemctl-show-both-1.2-installed.txt", null, out var runner);

            var call = Assert.Single(runner.Calls);
            Assert.Equal("systemctl", call.Tool);
            Assert.Equal(new[] { "show", "aziot-edged.service", "aziot-identityd.service", "aziot-keyd.service", "aziot-certd.service", "aziot-tpmd.service", "iotedge.service",
                "aziot-identityd.socket", "aziot-keyd.socket", "aziot-certd.socket", "aziot-tpmd.socket" }, call.Arguments.Take(11));
            Assert.StartsWith("--property=Id,LoadState,ActiveState,SubState,MainPID,NRestarts", call.Arguments[11]);
            Assert.Equal(new[] { "aziot-edged", "aziot-identityd", "aziot-keyd", "aziot-certd", "aziot-tpmd" }, statuses.Select(s => s.Name));
            Assert.All(statuses, s => Assert.Equal("1.2+", s.Generation));
        }

        [Fact]
        public void Read_Healthy12_RunningDaemons_AndIdleSocketActivatedServices_AreAllOk()
        {
            var statuses = Read("systemctl-show-both-1.2-installed.txt", null, out _);

            Assert.All(statuses, s => Assert.Equal(DaemonHealth.Ok, s.Health));
            var edged = statuses[0];
            Assert.Equal("active", edged.State);
            Assert.Equal("running", edged.SubState);
            Assert.Equal(1187, edged.ProcessId);
            Assert.Equal(0, edged.Restarts);
            Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 14, 3, TimeSpan.Zero), edged.Since);
            var keyd = statuses.Single(s => s.Name == "aziot-keyd");
            Assert.Equal("inactive", keyd.State);
            Assert.Null(keyd.ProcessId);
            Assert.Equal("aziot-keyd.socket listening", keyd.Socket);
            Assert.Contains("socket-activated", keyd.Note);
            Assert.Equal(new DateTimeOffset(2026, 11, 30, 22, 5, 41, TimeSpan.Zero), keyd.Since);
        }

        [Fact]
        public void Read_Failing12_SaysWhatIsWrongWithEach()
        {
            var statuses = Read("systemctl-show-1.2-failing.txt", EdgeGeneration.V1_2, out var runner).ToDictionary(s => s.Name);

            Assert.DoesNotContain("iotedge.service", runner.Calls.Single().Arguments);
            var edged = statuses["aziot-edged"];
            Assert.Equal(DaemonHealth.Error, edged.Health);
            Assert.Equal("failed", edged.State);
            Assert.Equal(5, edged.Restarts);
            Assert.Null(edged.ProcessId);
            Assert.Contains("Failed (exit-code)", edged.Note);
            Assert.Contains("5 times", edged.Note);
            Assert.Contains("Get-IoTEdgeDaemonLog", edged.Note);

            Assert.Equal(DaemonHealth.Warning, statuses["aziot-identityd"].Health);
            Assert.Contains("restarted after a failure", statuses["aziot-identityd"].Note);

            Assert.Equal(DaemonHealth.Error, statuses["aziot-keyd"].Health); // idle is fine only while its socket listens
            Assert.Equal("aziot-keyd.socket failed", statuses["aziot-keyd"].Socket);
            Assert.Contains("not listening", statuses["aziot-keyd"].Note);

            Assert.Equal(DaemonHealth.Ok, statuses["aziot-certd"].Health);
            Assert.Equal(DaemonHealth.NotInstalled, statuses["aziot-tpmd"].Health);
            Assert.Equal("not-found", statuses["aziot-tpmd"].LoadState);
            Assert.Null(statuses["aziot-tpmd"].Socket);
        }

        [Fact]
        public void Read_11Installed_OnAnOldSystemd_FindsIt_AndWarnsAboutItsRestarts()
        {
            var statuses = Read("systemctl-show-both-1.1-installed.txt", null, out _);

            var iotedge = Assert.Single(statuses);
            Assert.Equal("iotedge", iotedge.Name);
            Assert.Equal("1.0/1.1", iotedge.Generation);
            Assert.Equal(15444, iotedge.ProcessId);
            Assert.Equal(2, iotedge.Restarts);
            Assert.Equal(DaemonHealth.Warning, iotedge.Health);
            Assert.Contains("restarted it 2 times", iotedge.Note);
            Assert.Equal(new DateTime(2026, 12, 1, 10, 38, 16), iotedge.Since!.Value.DateTime); // ActiveEnterTimestamp, the machine's zone
        }

        [Fact]
        public void Read_NothingInstalled_GivesNotInstalledStatuses_AndAWarning_NotAnError()
        {
            var reporter = new CollectingReporter();

            var statuses = Read("systemctl-show-none-installed.txt", null, out _, reporter);

            Assert.Equal(5, statuses.Count); // 1.2+ when nothing says otherwise: 1.1 is out of support
            Assert.All(statuses, s => Assert.Equal(DaemonHealth.NotInstalled, s.Health));
            Assert.Contains("not installed", Assert.Single(reporter.Warnings));
        }

        [Fact]
        public void Read_NothingLoaded_UsesTheGenerationWhoseFilesAreThere()
        {
            var statuses = Read("systemctl-show-none-installed.txt", null, out _, installed: () => EdgeGeneration.V1_1);

            Assert.Equal("iotedge", Assert.Single(statuses).Name);
        }

        [Fact]
        public void Installed_IsWhatSystemdHasLoaded_EvenWhenTheOtherGenerationsFilesAreThere()
        {
            var runner = new RecordingRunner { Answer = (_, _) => new ProcessResult(0, NativeFixtures.Text("systemctl-show-both-1.1-installed.txt"), string.Empty) };

            // Restart-IoTEdgeDaemon, Get-IoTEdgeDaemonLog and Set-IoTEdgeDaemonLogLevel decide as Get-IoTEdgeDaemonStatus shows.
            var installed = new DaemonStatusReader(runner, windows: false, installed: () => EdgeGeneration.V1_2).Installed(CancellationToken.None);

            Assert.Equal(EdgeGeneration.V1_1, installed);
            Assert.Equal(DaemonStatusReader.ShowCommand(new[] { EdgeGeneration.V1_2, EdgeGeneration.V1_1 }).Arguments, Assert.Single(runner.Calls).Arguments);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Installed_WhereSystemdCannotBeAsked_IsWhatTheFilesSay(bool systemctlMissing)
        {
            var runner = new RecordingRunner { Answer = (_, _) => new ProcessResult(1, string.Empty, "System has not been booted with systemd as init system (PID 1). Can't operate.") };
            if (systemctlMissing) runner.Missing.Add("systemctl");
            var reporter = new CollectingReporter();

            var installed = new DaemonStatusReader(runner, reporter, windows: false, installed: () => EdgeGeneration.V1_1).Installed(CancellationToken.None);

            Assert.Equal(EdgeGeneration.V1_1, installed);
            Assert.Contains(reporter.Verbose, line => line.Contains("the files installed say 1.0/1.1"));
        }

        [Fact]
        public void Read_AFailingSystemctl_IsANativeToolError()
        {
            var runner = new RecordingRunner { Answer = (_, _) => new ProcessResult(1, string.Empty, "Failed to connect to bus: No such file or directory") };

            var ex = Assert.Throws<TroubleshootException>(() => new DaemonStatusReader(runner, windows: false).Read(EdgeGeneration.V1_2, CancellationToken.None));

            Assert.Equal(ErrorIds.SystemdNotRunning, ex.ErrorId);
            Assert.Contains("Failed to connect to bus", ex.Message);
            Assert.Contains("systemd is not running on this machine", ex.Message); // no bus: systemctl advice would not help
        }

        [Fact]
        public void Read_ASystemctlThatFailsOtherwise_SaysToAskSystemctlStatus()
        {
            var runner = new RecordingRunner { Answer = (_, _) => new ProcessResult(1, string.Empty, "Unknown property 'TriggeredBy'.") };

            var ex = Assert.Throws<TroubleshootException>(() => new DaemonStatusReader(runner, windows: false).Read(EdgeGeneration.V1_2, CancellationToken.None));

            Assert.Equal(ErrorIds.NativeToolFailed, ex.ErrorId);
            Assert.Contains("systemctl status aziot-edged", ex.Message);
        }

        [Fact]
        public void Read_WithoutSystemctl_IsNativeToolNotFound()
        {
            var runner = new RecordingRunner();
            runner.Missing.Add("systemctl");

            var ex = Assert.Throws<TroubleshootException>(() => new DaemonStatusReader(runner, windows: false).Read(null, CancellationToken.None));

            Assert.Equal(ErrorIds.NativeToolNotFound, ex.ErrorId);
        }

        [Theory]
        [InlineData("RUNNING", "active", DaemonHealth.Ok)]
        [InlineData("STOPPED", "inactive", DaemonHealth.Error)]
        [InlineData("START_PENDING", "activating", DaemonHealth.Warning)]
        [InlineData("STOP_PENDING", "deactivating", DaemonHealth.Warning)]
        public void Read_OnWindows_ReadsTheIotedgeService(string windowsState, string state, DaemonHealth health)
        {
            var services = new FakeServiceControl(windowsState);
            var runner = new RecordingRunner();

            var status = Assert.Single(new DaemonStatusReader(runner, windows: true, services: services).Read(null, CancellationToken.None));

            Assert.Equal(new[] { "query iotedge" }, services.Calls);
            Assert.Empty(runner.Calls);
            Assert.Equal("iotedge", status.Name);
            Assert.Equal(state, status.State);
            Assert.Equal(windowsState, status.SubState);
            Assert.Equal(health, status.Health);
            Assert.Equal("1.0/1.1", status.Generation);
            Assert.Equal(windowsState == "RUNNING" ? 4242 : (int?)null, status.ProcessId);
        }

        [Fact]
        public void Read_OnWindows_WithoutTheService_IsNotInstalled_NamingEflow()
        {
            var status = Assert.Single(new DaemonStatusReader(new RecordingRunner(), windows: true, services: new FakeServiceControl(new string?[] { null })).Read(null, CancellationToken.None));

            Assert.Equal(DaemonHealth.NotInstalled, status.Health);
            Assert.Contains("EFLOW", status.Note);
        }

        [Fact]
        public void ScQueryex_StateAndPid_AreRead()
        {
            const string output = "\r\nSERVICE_NAME: iotedge \r\n        TYPE               : 10  WIN32_OWN_PROCESS  \r\n        STATE              : 4  RUNNING \r\n                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)\r\n        WIN32_EXIT_CODE    : 0  (0x0)\r\n        SERVICE_EXIT_CODE  : 0  (0x0)\r\n        CHECKPOINT         : 0x0\r\n        WAIT_HINT          : 0x0\r\n        PID                : 6124\r\n        FLAGS              :\r\n";

            var state = ScServiceControl.ParseQuery(output)!;

            Assert.Equal("RUNNING", state.State);
            Assert.Equal(6124, state.ProcessId);
            Assert.Null(ScServiceControl.ParseQuery("[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\r\n"));
        }

        [Fact]
        public void ScServiceControl_ExitCodes_AreAnswersOrClearErrors()
        {
            int exit = ScServiceControl.ServiceDoesNotExist;
            var runner = new RecordingRunner { Answer = (_, _) => new ProcessResult(exit, "[SC] OpenService FAILED " + exit + ":", string.Empty) };
            var sc = new ScServiceControl(new NativeTool(runner));

            Assert.Null(sc.Query("iotedge", CancellationToken.None));
            Assert.Equal("sc queryex iotedge", runner.Lines.Single());

            exit = ScServiceControl.ServiceNotActive;
            sc.Stop("iotedge", CancellationToken.None); // already stopped is fine

            exit = ScServiceControl.AccessDenied;
            var denied = Assert.Throws<TroubleshootException>(() => sc.Start("iotedge", CancellationToken.None));
            Assert.Equal(ErrorIds.NativeToolAccessDenied, denied.ErrorId);
            Assert.Contains("elevated", denied.Message);

            exit = ScServiceControl.ServiceDoesNotExist;
            Assert.Equal(ErrorIds.NativeToolFailed, Assert.Throws<TroubleshootException>(() => sc.Stop("iotedge", CancellationToken.None)).ErrorId);

            exit = 1053; // the service did not respond in time
            Assert.Equal(ErrorIds.NativeToolFailed, Assert.Throws<TroubleshootException>(() => sc.Start("iotedge", CancellationToken.None)).ErrorId);
        }

        [Theory]
        [InlineData("1.0/1.1", EdgeGeneration.V1_1)]
        [InlineData("1.2+", EdgeGeneration.V1_2)]
        [InlineData("1.1", EdgeGeneration.V1_1)]
        [InlineData("1.6", EdgeGeneration.V1_2)]
        public void Generation_TheNamesStatusesCarry_ReadBackAsTheirGeneration(string text, EdgeGeneration expected)
        {
            Assert.Equal(expected, EdgeGenerations.FromVersion(text));
            Assert.Equal(expected, EdgeGenerations.FromVersion(expected.Name())); // so an IoTEdgeDaemonStatus's Generation binds to -Generation
        }

        [Fact]
        public void Assess_EveryStateHasAHealthAndANote()
        {
            foreach (var state in new[] { "active", "reloading", "inactive", "failed", "activating", "deactivating", "maintenance" })
            {
                foreach (var name in new[] { "aziot-edged", "aziot-keyd" })
                {
                    var (_, note) = DaemonStatusRules.Assess(name, "loaded", state, null, 0, null, null, false);
                    Assert.False(string.IsNullOrWhiteSpace(note), $"{name} {state}");
                }
            }

            Assert.Equal(DaemonHealth.Error, DaemonStatusRules.Assess("aziot-edged", "masked", "inactive", "dead", 0, null, null, false).Health);
            Assert.Equal(DaemonHealth.Error, DaemonStatusRules.Assess("aziot-edged", "loaded", "inactive", "dead", 0, null, "aziot-edged.mgmt.socket listening", true).Health); // the daemon must run
        }
    }
}
