using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    /// <summary>How NativeTool turns what a tool did into errors, warnings and verbose lines.</summary>
    public class NativeToolTests
    {
        private sealed class ScriptedRunner : IProcessRunner
        {
            public Func<string, IReadOnlyList<string>, ProcessResult> Answer { get; set; } = (_, _) => new ProcessResult(0, string.Empty, string.Empty);

            public List<string> Calls { get; } = new List<string>();

            public string? Find(string executable) => executable == "missing" ? null : "/usr/bin/" + executable;

            public ProcessResult Run(string executable, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default, Action<string>? outputLine = null)
            {
                Calls.Add(executable + " " + string.Join(" ", arguments));
                return Answer(executable, arguments);
            }
        }

        [Fact]
        public void Run_AMissingTool_IsNativeToolNotFound_NamingTheToolAndPath()
        {
            var ex = Assert.Throws<TroubleshootException>(() => new NativeTool(new ScriptedRunner()).Run(new NativeCommand("missing", new[] { "x" }), CancellationToken.None));

            Assert.Equal(ErrorIds.NativeToolNotFound, ex.ErrorId);
            Assert.Equal(ProblemKind.ObjectNotFound, ex.Kind);
            Assert.Contains("'missing' was not found on PATH", ex.Message);
        }

        [Fact]
        public void Run_ShowsTheCommandLineInVerbose_QuotedAndMasked()
        {
            var reporter = new CollectingReporter();
            var runner = new ScriptedRunner();

            new NativeTool(runner, reporter).Run(new NativeCommand("iotedge", new[] { "logs", "my module", "SharedAccessKey=c2VjcmV0c2VjcmV0c2VjcmV0" }), CancellationToken.None);

            string verbose = Assert.Single(reporter.Verbose);
            Assert.StartsWith("Running: iotedge logs \"my module\" ", verbose);
            Assert.DoesNotContain("c2VjcmV0c2VjcmV0c2VjcmV0", verbose);
            Assert.Equal("/usr/bin/iotedge logs my module SharedAccessKey=c2VjcmV0c2VjcmV0c2VjcmV0", runner.Calls.Single());
        }

        [Fact]
        public void Run_ANonZeroExit_IsNativeToolFailed_WithTheExitCodeWhatItSaidAndWhatToTry()
        {
            var runner = new ScriptedRunner { Answer = (_, _) => new ProcessResult(1, string.Empty, "A module runtime error occurred\n\tcaused by: No such container: edgeHubx\n") };
            var command = new NativeCommand("iotedge", new[] { "restart", "edgeHubx" }) { WhatToTry = "List the modules with 'iotedge list'." };

            var ex = Assert.Throws<TroubleshootException>(() => new NativeTool(runner).Run(command, CancellationToken.None));

            Assert.Equal(ErrorIds.NativeToolFailed, ex.ErrorId);
            Assert.Contains("exit code 1", ex.Message);
            Assert.Contains("No such container: edgeHubx", ex.Message);
            Assert.EndsWith("List the modules with 'iotedge list'.", ex.Message);
        }

        [Fact]
        public void Run_AnAcceptedExitCode_IsAnAnswer()
        {
            var runner = new ScriptedRunner { Answer = (_, _) => new ProcessResult(3, "inactive\n", string.Empty) };

            var result = new NativeTool(runner).Run(new NativeCommand("systemctl", new[] { "is-active", "iotedge" }) { AcceptedExitCodes = new[] { 0, 3 } }, CancellationToken.None);

            Assert.Equal(3, result.ExitCode);
        }

        [Theory]
        [InlineData("docker", "Got permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock", "'docker' group")]
        [InlineData("iotedge", "Could not list modules\n\tcaused by: Permission denied (os error 13) connecting to unix:///var/run/iotedge/mgmt.sock", "'iotedge' group")]
        [InlineData("systemctl", "Failed to restart aziot-edged.service: Interactive authentication required.", "Run it elevated")]
        [InlineData("iotedge", "this command must be run as root", "Run it elevated")]
        public void Run_AccessRefused_IsNativeToolAccessDenied_SayingToElevateOrJoinTheGroup(string tool, string said, string advice)
        {
            var runner = new ScriptedRunner { Answer = (_, _) => new ProcessResult(1, string.Empty, said) };

            var ex = Assert.Throws<TroubleshootException>(() => new NativeTool(runner).Run(new NativeCommand(tool, new[] { "x" }), CancellationToken.None));

            Assert.Equal(ErrorIds.NativeToolAccessDenied, ex.ErrorId);
            Assert.Equal(ProblemKind.PermissionDenied, ex.Kind);
            Assert.Contains(advice, ex.Message);
        }

        [Fact]
        public void Run_TheJournalsOtherUsersHint_IsAWarning_BecauseTheAnswerIsIncomplete()
        {
            var reporter = new CollectingReporter();
            var runner = new ScriptedRunner
            {
                Answer = (_, _) => new ProcessResult(0, "{}\n", "Hint: You are currently not seeing messages from other users and the system.\n      Users in groups 'adm', 'systemd-journal' can see all messages.\n"),
            };

            new NativeTool(runner, reporter).Run(new NativeCommand("journalctl", new[] { "-u", "aziot-edged" }), CancellationToken.None);

            string warning = Assert.Single(reporter.Warnings);
            Assert.Contains("'systemd-journal' group", warning);
        }

        [Fact]
        public void Run_NoSystemd_SaysSoAndWhatHelps_InsteadOfTheCommandsOwnAdvice()
        {
            var runner = new ScriptedRunner { Answer = (_, _) => new ProcessResult(1, string.Empty, "System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down\n") };
            var command = new NativeCommand("systemctl", new[] { "show", "aziot-edged.service" }) { WhatToTry = "Run 'systemctl status aziot-edged'." };

            var ex = Assert.Throws<TroubleshootException>(() => new NativeTool(runner).Run(command, CancellationToken.None));

            Assert.Equal(ErrorIds.SystemdNotRunning, ex.ErrorId);
            Assert.Contains("systemd is not running on this machine", ex.Message);
            Assert.Contains("-Path", ex.Message);
            Assert.DoesNotContain("systemctl status", ex.Message);
        }

        [Fact]
        public void Run_ATimeout_IsNativeToolTimedOut()
        {
            var runner = new ScriptedRunner { Answer = (_, _) => throw new TimeoutException("'journalctl' did not finish within 1 s.") };

            var ex = Assert.Throws<TroubleshootException>(() => new NativeTool(runner).Run(new NativeCommand("journalctl", new[] { "-f" }, TimeSpan.FromSeconds(1)), CancellationToken.None));

            Assert.Equal(ErrorIds.NativeToolTimedOut, ex.ErrorId);
            Assert.Equal(ProblemKind.OperationTimeout, ex.Kind);
        }

        [Fact]
        public void Run_ARealProgram_EndToEnd()
        {
            var ex = Assert.Throws<TroubleshootException>(() => new NativeTool().Run(new NativeCommand("sh", new[] { "-c", "echo nope >&2; exit 3" }), CancellationToken.None));

            Assert.Equal(ErrorIds.NativeToolFailed, ex.ErrorId);
            Assert.Contains("exit code 3", ex.Message);
            Assert.Contains("nope", ex.Message);
        }
    }
}
