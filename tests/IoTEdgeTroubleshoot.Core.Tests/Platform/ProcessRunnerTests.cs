using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    /// <summary>The process runner against real programs: echo, sh, sleep, printf.</summary>
    public class ProcessRunnerTests
    {
        private static readonly ProcessRunner Runner = new ProcessRunner();

        private static string Sh => Runner.Find("sh") ?? throw new InvalidOperationException("sh is needed for these tests");

        [Fact]
        public void Run_Echo_ReturnsItsOutputAndExitCodeZero()
        {
            var result = Runner.Run(Runner.Find("echo")!, new[] { "hello", "world" }, TimeSpan.FromSeconds(10));

            Assert.Equal(0, result.ExitCode);
            Assert.Equal("hello world", result.StandardOutput.Trim());
        }

        [Fact]
        public void Run_ANonZeroExit_IsReturnedWithStandardError()
        {
            var result = Runner.Run(Sh, new[] { "-c", "echo broken >&2; exit 3" }, TimeSpan.FromSeconds(10));

            Assert.Equal(3, result.ExitCode);
            Assert.Equal("broken", result.StandardError.Trim());
        }

        [Theory]
        [InlineData("plain")]
        [InlineData("two words")]
        [InlineData("edgeHub; rm -rf /")]
        [InlineData("$(reboot) `id` | cat > x")]
        [InlineData("quote\" and 'single' and \\ back\\\\")]
        [InlineData("")]
        [InlineData("trailing backslash\\")]
        public void Run_EachArgument_ReachesTheProgramVerbatim_NeverAsShellCode(string argument)
        {
            // printf prints its second argument between markers: whatever the value holds, it comes back unchanged
            var result = Runner.Run(Runner.Find("printf")!, new[] { "[%s]", argument }, TimeSpan.FromSeconds(10));

            Assert.Equal(0, result.ExitCode);
            Assert.Equal("[" + argument + "]", result.StandardOutput.TrimEnd('\n'));
        }

        [Fact]
        public void Run_WithALineHandler_HandsEveryLineOverOnTheCallingThread_AndKeepsNoCopy()
        {
            int caller = Environment.CurrentManagedThreadId;
            var lines = new List<string>();
            var threads = new HashSet<int>();

            var result = Runner.Run(Sh, new[] { "-c", "i=0; while [ $i -lt 20000 ]; do echo line$i; i=$((i+1)); done" }, TimeSpan.FromSeconds(30),
                CancellationToken.None, line => { lines.Add(line); threads.Add(Environment.CurrentManagedThreadId); });

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(20000, lines.Count);
            Assert.Equal("line0", lines[0]);
            Assert.Equal("line19999", lines[19999]);
            Assert.Equal(new[] { caller }, threads.ToArray());
            Assert.Equal(string.Empty, result.StandardOutput);
        }

        [Fact]
        public void Run_ASleeper_IsStoppedAtTheTimeout()
        {
            var clock = Stopwatch.StartNew();

            var ex = Assert.Throws<TimeoutException>(() => Runner.Run(Runner.Find("sleep")!, new[] { "30" }, TimeSpan.FromMilliseconds(500)));

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
            Assert.Contains("sleep", ex.Message);
        }

        [Fact]
        public void Run_AGrandchildHoldingTheOutputOpen_DoesNotHoldTheTimeoutUp()
        {
            // sh is killed at the timeout; the sleep it started keeps the pipe open, which must not block the reader
            var clock = Stopwatch.StartNew();

            Assert.Throws<TimeoutException>(() => Runner.Run(Sh, new[] { "-c", "echo started; sleep 20; echo never" }, TimeSpan.FromMilliseconds(700),
                CancellationToken.None, _ => { }));

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
        }

        [Fact]
        public void Run_Cancelled_StopsTheProgramAndThrowsOperationCanceled()
        {
            using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));
            var clock = Stopwatch.StartNew();

            Assert.Throws<OperationCanceledException>(() => Runner.Run(Runner.Find("sleep")!, new[] { "30" }, TimeSpan.FromSeconds(60), cancellation.Token));

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
        }

        [Fact]
        public void Run_AFailingLineHandler_StopsTheProgram_AndTheFailureReachesTheCaller()
        {
            var clock = Stopwatch.StartNew();

            Assert.Throws<InvalidOperationException>(() => Runner.Run(Sh, new[] { "-c", "while true; do echo y; done" }, TimeSpan.FromSeconds(60),
                CancellationToken.None, _ => throw new InvalidOperationException("the pipeline stopped")));

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
        }

        [Fact]
        public void Run_ChattyStandardError_IsKeptBounded()
        {
            var result = Runner.Run(Sh, new[] { "-c", "i=0; while [ $i -lt 20000 ]; do echo 'a noisy warning line of some length' >&2; i=$((i+1)); done" }, TimeSpan.FromSeconds(30));

            Assert.Equal(0, result.ExitCode);
            Assert.InRange(result.StandardError.Length, 60 * 1024, 70 * 1024);
        }

        [Fact]
        public void Run_AToolThatReadsInput_GetsEndOfInput_NotTheConsole()
        {
            var result = Runner.Run(Sh, new[] { "-c", "read answer; echo \"got [$answer]\"" }, TimeSpan.FromSeconds(10));

            Assert.Equal("got []", result.StandardOutput.Trim());
        }

        [Fact]
        public void Find_LooksOnPath_AndTakesAFullPathAsItIs()
        {
            Assert.NotNull(Runner.Find("sh"));
            Assert.Null(Runner.Find("no-such-tool-" + Guid.NewGuid().ToString("N")));
            Assert.Equal(Sh, Runner.Find(Sh));
        }
    }
}
