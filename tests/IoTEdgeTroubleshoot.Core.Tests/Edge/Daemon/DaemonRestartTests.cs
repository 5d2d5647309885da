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
    /// <summary>Restart-IoTEdgeDaemon's logic, shared with the config edits' -Apply on 1.0/1.1.</summary>
    public class DaemonRestartTests
    {
        [Theory]
        [InlineData(EdgeGeneration.V1_1, "systemctl restart iotedge")]
        [InlineData(EdgeGeneration.V1_2, "iotedge system restart")]
        public void Restart_OnLinux_RunsTheGuidesCommand(EdgeGeneration generation, string expected)
        {
            var runner = new RecordingRunner();

            var outcome = new DaemonRestart(runner, windows: false).Restart(generation);

            Assert.True(outcome.Restarted);
            Assert.Equal(expected, Assert.Single(runner.Lines));
        }

        [Fact]
        public void Restart_RefusedAccess_IsNativeToolAccessDenied()
        {
            var runner = new RecordingRunner { Answer = (_, _) => new ProcessResult(1, string.Empty, "Failed to restart iotedge.service: Access denied\nSee system logs and 'systemctl status iotedge.service' for details.\n") };

            var ex = Assert.Throws<TroubleshootException>(() => new DaemonRestart(runner, windows: false).Restart(EdgeGeneration.V1_1));

            Assert.Equal(ErrorIds.NativeToolAccessDenied, ex.ErrorId);
            Assert.Contains("Run it elevated", ex.Message);
        }

        [Fact]
        public void Restart_OnWindows_StopsWithoutWaiting_Pauses_WaitsForStopped_ThenStarts()
        {
            var services = new FakeServiceControl("STOP_PENDING", "STOP_PENDING", "STOPPED");
            var pauses = new List<TimeSpan>();
            var runner = new RecordingRunner();

            var outcome = new DaemonRestart(runner, windows: true, services: services, pause: (span, _) => pauses.Add(span)).Restart(EdgeGeneration.V1_1);

            Assert.True(outcome.Restarted);
            Assert.Equal(new[] { "stop iotedge", "query iotedge", "query iotedge", "query iotedge", "start iotedge" }, services.Calls);
            Assert.Equal(new[] { TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1) }, pauses);
            Assert.Empty(runner.Calls); // no systemctl, no iotedge
        }

        [Fact]
        public void Restart_OnWindows_AServiceThatNeverStops_IsNotStartedAgain_AndSaysSo()
        {
            var services = new FakeServiceControl("STOP_PENDING");

            var ex = Assert.Throws<TroubleshootException>(() => new DaemonRestart(new RecordingRunner(), windows: true, services: services, pause: (_, _) => { }).Restart(EdgeGeneration.V1_1));

            Assert.Equal(ErrorIds.NativeToolTimedOut, ex.ErrorId);
            Assert.Contains("STOP_PENDING", ex.Message);
            Assert.DoesNotContain("start iotedge", services.Calls);
            Assert.Equal(DaemonRestart.WindowsStopPolls + 1, services.Calls.Count(c => c.StartsWith("query", StringComparison.Ordinal)));
        }

        [Fact]
        public void Restart_OnWindows_Generation12_IsNotSupported_NamingEflow()
        {
            var services = new FakeServiceControl("RUNNING");

            var ex = Assert.Throws<TroubleshootException>(() => new DaemonRestart(new RecordingRunner(), windows: true, services: services).Restart(EdgeGeneration.V1_2));

            Assert.Equal(ErrorIds.NotSupportedOnWindows, ex.ErrorId);
            Assert.Contains("Invoke-EflowVmCommand", ex.Message);
            Assert.Empty(services.Calls);
        }

        [Fact]
        public void Restart_Cancelled_WhileWaitingOnWindows_Stops()
        {
            using var cancel = new CancellationTokenSource();
            var services = new FakeServiceControl("STOP_PENDING");

            Assert.ThrowsAny<OperationCanceledException>(() => new DaemonRestart(new RecordingRunner(), windows: true, services: services, pause: (_, _) => cancel.Cancel()).Restart(EdgeGeneration.V1_1, cancel.Token));
            Assert.DoesNotContain("start iotedge", services.Calls);
        }

        [Fact]
        public void ConfigApply_On11_UsesTheSameRestart_AndCallsItsFailureDaemonRestartFailed()
        {
            var runner = new RecordingRunner { Answer = (_, _) => new ProcessResult(1, string.Empty, "Job for iotedge.service failed because the control process exited with error code.") };

            var ex = Assert.Throws<TroubleshootException>(() => new ConfigApply(runner, windows: false).Apply(EdgeGeneration.V1_1, "/etc/iotedge/config.yaml"));

            Assert.Equal("systemctl restart iotedge", Assert.Single(runner.Lines));
            Assert.Equal(ErrorIds.DaemonRestartFailed, ex.ErrorId);
            Assert.Contains("'/etc/iotedge/config.yaml' is written", ex.Message);
            Assert.Contains("control process exited", ex.Message);
            Assert.Equal(ErrorIds.NativeToolFailed, Assert.IsType<TroubleshootException>(ex.InnerException).ErrorId);
        }

        [Fact]
        public void ConfigApply_On11_WithoutSystemctl_SaysWhatToRun()
        {
            var runner = new RecordingRunner();
            runner.Missing.Add("systemctl");

            var outcome = new ConfigApply(runner, windows: false).Apply(EdgeGeneration.V1_1, "/etc/iotedge/config.yaml");

            Assert.False(outcome.Restarted);
            Assert.Contains("sudo systemctl restart iotedge", outcome.Message);
            Assert.Empty(runner.Calls);
        }

        [Fact]
        public void ManualCommand_IsTheGuidesForEachPlatform()
        {
            Assert.Equal("sudo systemctl restart iotedge", new DaemonRestart(new RecordingRunner(), windows: false).ManualCommand(EdgeGeneration.V1_1));
            Assert.Equal("sudo iotedge system restart", new DaemonRestart(new RecordingRunner(), windows: false).ManualCommand(EdgeGeneration.V1_2));
            Assert.Equal("Stop-Service iotedge -NoWait; Start-Sleep 5; Start-Service iotedge", new DaemonRestart(new RecordingRunner(), windows: true).ManualCommand(EdgeGeneration.V1_1));
        }
    }
}
