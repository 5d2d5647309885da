using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.DeviceChecks;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.DeviceChecks
{
    /// <summary>A check whose behaviour a test scripts: how long it waits, what it reports, or what it throws.</summary>
    internal sealed class ScriptedCheck : IDeviceCheck, IDeviceCheckResultIds
    {
        private readonly Func<CancellationToken, Task<IReadOnlyList<IoTEdgeCheckResult>>> _run;

        public ScriptedCheck(string id, Func<CancellationToken, Task<IReadOnlyList<IoTEdgeCheckResult>>> run, DeviceCheckCategory category = DeviceCheckCategory.Runtime, params string[] resultIds)
        {
            Id = id;
            _run = run;
            Category = category;
            ResultIds = resultIds;
        }

        public string Id { get; }

        public string Description => "scripted " + Id;

        public DeviceCheckCategory Category { get; }

        public IReadOnlyList<string> ResultIds { get; }

        public int Runs;

        public Task<IReadOnlyList<IoTEdgeCheckResult>> RunAsync(DeviceCheckContext context, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Runs);
            return _run(cancellationToken);
        }

        public static IReadOnlyList<IoTEdgeCheckResult> Results(params (string Id, CheckStatus Status)[] results) =>
            results.Select(r => new IoTEdgeCheckResult { CheckId = r.Id, Status = r.Status, Message = r.Id + " " + r.Status }).ToList();

        public static ScriptedCheck After(string id, int milliseconds, params (string Id, CheckStatus Status)[] results) =>
            new ScriptedCheck(id, async token => { await Task.Delay(milliseconds, token); return Results(results); }, DeviceCheckCategory.Runtime, results.Select(r => r.Id).ToArray());
    }

    public class DeviceCheckRunnerTests
    {
        private static readonly DeviceCheckContext Context = new DeviceCheckContext();

        private static IReadOnlyList<DeviceCheckOutcome> Run(IReadOnlyList<IDeviceCheck> checks, DeviceCheckSelection? selection = null, Action<DeviceCheckProgress>? progress = null, CancellationToken token = default, int parallelism = DeviceCheckRunner.DefaultParallelism) =>
            DeviceCheckRunner.RunAsync(checks, Context, selection ?? new DeviceCheckSelection(), progress, token, parallelism).GetAwaiter().GetResult();

        [Fact]
        public void Results_come_in_catalog_order_whatever_order_the_checks_end_in()
        {
            var checks = new IDeviceCheck[]
            {
                ScriptedCheck.After("slow", 300, ("slow-a", CheckStatus.Pass), ("slow-b", CheckStatus.Warning)),
                ScriptedCheck.After("fast", 0, ("fast-a", CheckStatus.Error)),
                ScriptedCheck.After("middle", 100, ("middle-a", CheckStatus.Pass)),
            };
            var outcomes = Run(checks);
            Assert.Equal(new[] { "slow-a", "slow-b", "fast-a", "middle-a" }, outcomes.Select(o => o.Result.CheckId));
            Assert.Equal(new[] { "slow", "slow", "fast", "middle" }, outcomes.Select(o => o.Check.Id));
        }

        [Fact]
        public void Checks_that_wait_run_at_once()
        {
            // Each check waits until all three have started: run one after the other, they would time out.
            using var started = new CountdownEvent(3);
            IDeviceCheck Waiting(string id) => new ScriptedCheck(id, token => Task.Run(() =>
            {
                started.Signal();
                bool all = started.Wait(TimeSpan.FromSeconds(10), token);
                return ScriptedCheck.Results((id, all ? CheckStatus.Pass : CheckStatus.Error));
            }, token));
            var outcomes = Run(new[] { Waiting("one"), Waiting("two"), Waiting("three") });
            Assert.All(outcomes, o => Assert.Equal(CheckStatus.Pass, o.Result.Status));
        }

        [Fact]
        public void No_more_checks_run_at_once_than_the_bound()
        {
            int running = 0, most = 0;
            IDeviceCheck Counting(string id) => new ScriptedCheck(id, async token =>
            {
                int now = Interlocked.Increment(ref running);
                int seen;
                while ((seen = Volatile.Read(ref most)) < now && Interlocked.CompareExchange(ref most, now, seen) != seen) { }
                await Task.Delay(80, token);
                Interlocked.Decrement(ref running);
                return ScriptedCheck.Results((id, CheckStatus.Pass));
            });
            var outcomes = Run(Enumerable.Range(1, 6).Select(i => Counting("c" + i)).ToList(), parallelism: 2);
            Assert.Equal(6, outcomes.Count);
            Assert.Equal(2, most);
        }

        [Fact]
        public void A_check_that_blocks_before_its_first_await_does_not_hold_the_others()
        {
            using var released = new ManualResetEventSlim();
            var blocking = new ScriptedCheck("blocking", token =>
            {
                released.Wait(TimeSpan.FromSeconds(10), token); // synchronous work, on whatever thread calls it
                return Task.FromResult(ScriptedCheck.Results(("blocking", CheckStatus.Pass)));
            });
            var releasing = new ScriptedCheck("releasing", token =>
            {
                released.Set();
                return Task.FromResult(ScriptedCheck.Results(("releasing", CheckStatus.Pass)));
            });
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Run(new IDeviceCheck[] { blocking, releasing });
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), "the second check ran while the first blocked");
        }

        [Fact]
        public void A_check_that_throws_is_one_masked_Error_and_the_others_go_on()
        {
            var checks = new IDeviceCheck[]
            {
                new ScriptedCheck("broken", _ => throw new InvalidOperationException("HostName=h.azure-devices.net;DeviceId=d;SharedAccessKey=c2VjcmV0c2VjcmV0c2VjcmV0 was refused")),
                ScriptedCheck.After("fine", 0, ("fine", CheckStatus.Pass)),
            };
            var outcomes = Run(checks);
            Assert.Equal(2, outcomes.Count);
            var broken = outcomes[0].Result;
            Assert.Equal(("broken", CheckStatus.Error), (broken.CheckId, broken.Status));
            Assert.Contains("could not finish", broken.Message);
            Assert.DoesNotContain("c2VjcmV0c2VjcmV0c2VjcmV0", broken.Message);
            Assert.NotNull(broken.Remedy);
            Assert.Equal(CheckStatus.Pass, outcomes[1].Result.Status);
        }

        [Theory]
        [InlineData(ErrorIds.NativeToolNotFound)]
        [InlineData(ErrorIds.NativeToolAccessDenied)]
        [InlineData(ErrorIds.ListenerTableUnavailable)]
        [InlineData(ErrorIds.SystemdNotRunning)]
        public void A_check_that_cannot_run_here_is_Skipped_with_the_reason(string errorId)
        {
            var check = new ScriptedCheck("needs-tool", _ => throw new TroubleshootException(errorId, ProblemKind.ObjectNotFound, "systemctl", "'systemctl' was not found on PATH."));
            var result = Assert.Single(Run(new[] { check })).Result;
            Assert.Equal(CheckStatus.Skipped, result.Status);
            Assert.Equal("Skipped: 'systemctl' was not found on PATH.", result.Message);
        }

        [Fact]
        public void Another_troubleshoot_failure_is_an_Error_not_a_skip()
        {
            var check = new ScriptedCheck("tool-failed", _ => throw new TroubleshootException(ErrorIds.NativeToolFailed, ProblemKind.InvalidOperation, "iotedge", "iotedge list failed: connection refused"));
            Assert.Equal(CheckStatus.Error, Assert.Single(Run(new[] { check })).Result.Status);
        }

        [Fact]
        public void Results_without_an_id_or_description_get_the_check_s()
        {
            var check = new ScriptedCheck("plain", _ => Task.FromResult<IReadOnlyList<IoTEdgeCheckResult>>(new[] { new IoTEdgeCheckResult { Status = CheckStatus.Pass, Message = "fine" } }));
            var result = Assert.Single(Run(new[] { check })).Result;
            Assert.Equal(("plain", "scripted plain"), (result.CheckId, result.Description));
        }

        [Fact]
        public void Cancelling_stops_the_run()
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var forever = new ScriptedCheck("forever", async token => { await Task.Delay(Timeout.Infinite, token); return ScriptedCheck.Results(); });
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.ThrowsAny<OperationCanceledException>(() => Run(new[] { forever, forever }, token: cancel.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        }

        /// <summary>Tools that never answer: each call waits out the time limit it is given, as ProcessRunner does, and records it.</summary>
        private sealed class HangingTools : IProcessRunner
        {
            public System.Collections.Concurrent.ConcurrentBag<TimeSpan> Limits { get; } = new System.Collections.Concurrent.ConcurrentBag<TimeSpan>();

            public string? Find(string executable) => "/usr/bin/" + executable;

            public ProcessResult Run(string executable, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default, Action<string>? outputLine = null)
            {
                Limits.Add(timeout);
                if (cancellationToken.WaitHandle.WaitOne(timeout)) throw new OperationCanceledException(cancellationToken);
                throw new TimeoutException($"'{executable}' did not finish within {timeout.TotalSeconds:0.#} s.");
            }
        }

        [Fact]
        public async Task The_time_limit_of_the_context_holds_for_every_tool_call_of_the_checks()
        {
            // -TimeoutSeconds says how long one tool call may take; systemctl show (30 s) and journalctl (30 min) kept their own.
            var tools = new HangingTools();
            var context = new DeviceCheckContext { Processes = tools, Timeout = TimeSpan.FromSeconds(1), IsWindows = false };
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // ends the hanging calls if the limit does not hold
            var run = DeviceCheckRunner.RunAsync(new IDeviceCheck[] { new IoTEdgeTroubleshoot.Edge.DeviceChecks.Adapters.DaemonDeviceCheck(), new IoTEdgeTroubleshoot.Edge.DeviceChecks.Adapters.KnownIssuesDeviceCheck() },
                context, new DeviceCheckSelection(), null, cancel.Token);
            bool ended = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(15))) == run;
            cancel.Cancel();
            Assert.True(ended, "a check waited longer than the context's time limit for a tool");
            Assert.NotEmpty(tools.Limits);
            Assert.All(tools.Limits, limit => Assert.True(limit <= TimeSpan.FromSeconds(1), $"a tool call was given {limit}"));
            var daemons = Assert.Single(await run, o => o.Check.Id == "edge-daemons").Result;
            Assert.Contains("did not finish within 1 s", daemons.Message);
        }

        [Fact]
        public async Task Cancelling_stops_the_run_even_when_a_check_is_stuck_in_a_call_that_ignores_the_token()
        {
            // Ctrl+C while a check blocks in a read that never returns (a file system that hangs, a pipe): the run ends anyway.
            using var never = new ManualResetEventSlim(false);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var stuck = new ScriptedCheck("stuck", token => { never.Wait(); return Task.FromResult(ScriptedCheck.Results()); });
            var run = DeviceCheckRunner.RunAsync(new IDeviceCheck[] { stuck }, new DeviceCheckContext(), new DeviceCheckSelection(), null, cancel.Token);
            bool ended = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10))) == run;
            never.Set(); // lets the stuck check go, whatever the outcome
            Assert.True(ended, "the run waited for the stuck check after it was cancelled");
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        }

        [Fact]
        public void Progress_is_told_once_per_check_that_runs()
        {
            var steps = new ConcurrentQueue<DeviceCheckProgress>();
            var checks = new IDeviceCheck[] { ScriptedCheck.After("a", 30, ("a", CheckStatus.Pass)), ScriptedCheck.After("b", 0, ("b", CheckStatus.Pass)), ScriptedCheck.After("c", 10, ("c", CheckStatus.Pass)) };
            Run(checks, new DeviceCheckSelection(exclude: new[] { "c" }), steps.Enqueue);
            Assert.Equal(2, steps.Count);
            Assert.All(steps, s => Assert.Equal(2, s.Total));
            Assert.Equal(new[] { 1, 2 }, steps.Select(s => s.Completed).OrderBy(c => c));
            Assert.Equal(new[] { "a", "b" }, steps.Select(s => s.CheckId).OrderBy(id => id));
        }

        [Fact]
        public void Results_are_let_out_in_catalog_order_as_soon_as_every_check_before_them_ended()
        {
            var steps = new ConcurrentQueue<DeviceCheckProgress>();
            var checks = new IDeviceCheck[]
            {
                ScriptedCheck.After("slow", 300, ("slow-a", CheckStatus.Pass), ("slow-b", CheckStatus.Warning)),
                ScriptedCheck.After("fast", 0, ("fast-a", CheckStatus.Error)),
                ScriptedCheck.After("middle", 100, ("middle-a", CheckStatus.Pass)),
            };
            var outcomes = Run(checks, progress: steps.Enqueue);
            var told = steps.ToList();
            Assert.Equal(outcomes, told.SelectMany(s => s.Ready)); // each result once, in catalog order
            // Nothing comes out before the first check in the catalog ends, whichever ends first.
            int slow = told.FindIndex(s => s.CheckId == "slow");
            Assert.All(told.Take(slow), s => Assert.Empty(s.Ready));
            Assert.Equal(new[] { "slow-a", "slow-b" }, told[slow].Ready.Take(2).Select(o => o.Result.CheckId));
        }

        [Fact]
        public void A_check_results_are_let_out_while_a_later_check_still_runs()
        {
            // The second check ends only once the first one's result has been let out: were the results held to the
            // end of the run, it would wait its 10 s and say Error.
            using var firstShown = new ManualResetEventSlim();
            var first = ScriptedCheck.After("first", 0, ("first", CheckStatus.Pass));
            var second = new ScriptedCheck("second", token => Task.Run(() =>
                ScriptedCheck.Results(("second", firstShown.Wait(TimeSpan.FromSeconds(10), token) ? CheckStatus.Pass : CheckStatus.Error)), token));
            var outcomes = Run(new IDeviceCheck[] { first, second }, progress: step =>
            {
                if (step.Ready.Any(o => o.Result.CheckId == "first")) firstShown.Set();
            });
            Assert.Equal(new[] { CheckStatus.Pass, CheckStatus.Pass }, outcomes.Select(o => o.Result.Status));
        }

        [Fact]
        public void A_secret_in_a_message_remedy_or_remedy_command_is_masked()
        {
            const string key = "c2VjcmV0a2V5MTIzNDU2Nzg5MA==";
            var leaky = new ScriptedCheck("leaky", _ => Task.FromResult<IReadOnlyList<IoTEdgeCheckResult>>(new[]
            {
                new IoTEdgeCheckResult
                {
                    CheckId = "leaky",
                    Status = CheckStatus.Error,
                    Message = "HostName=h.azure-devices.net;DeviceId=d;SharedAccessKey=" + key,
                    Remedy = "Write connection_string = \"HostName=h.azure-devices.net;DeviceId=d;SharedAccessKey=" + key + "\"",
                    RemedyCommand = "Set-Something -ConnectionString 'HostName=h.azure-devices.net;DeviceId=d;SharedAccessKey=" + key + "'",
                },
            }));
            var result = Assert.Single(Run(new[] { leaky })).Result;
            Assert.DoesNotContain(key, result.Message);
            Assert.DoesNotContain(key, result.Remedy);
            Assert.DoesNotContain(key, result.RemedyCommand);
            Assert.Contains("DeviceId=d", result.Remedy);
        }

        [Fact]
        public void Include_by_a_result_id_runs_its_check_and_keeps_only_that_result()
        {
            var config = ScriptedCheck.After("edge-config", 0, ("hostname", CheckStatus.Error), ("config-readable", CheckStatus.Pass));
            var other = ScriptedCheck.After("edge-dns", 0, ("dns-engine-config", CheckStatus.Pass));
            var outcomes = Run(new IDeviceCheck[] { config, other }, new DeviceCheckSelection(include: new[] { "HOSTNAME" }));
            Assert.Equal("hostname", Assert.Single(outcomes).Result.CheckId);
            Assert.Equal(0, other.Runs);
        }

        [Fact]
        public void Include_by_a_check_id_keeps_every_result_and_Exclude_wins()
        {
            var config = ScriptedCheck.After("edge-config", 0, ("hostname", CheckStatus.Error), ("config-readable", CheckStatus.Pass));
            var outcomes = Run(new IDeviceCheck[] { config }, new DeviceCheckSelection(include: new[] { "edge-*" }, exclude: new[] { "config-r?adable" }));
            Assert.Equal("hostname", Assert.Single(outcomes).Result.CheckId);
        }

        [Fact]
        public void Exclude_by_a_check_id_never_runs_it()
        {
            var probes = ScriptedCheck.After("upstream-connectivity", 0, ("host-connect-iothub-amqp", CheckStatus.Pass));
            var outcomes = Run(new IDeviceCheck[] { probes }, new DeviceCheckSelection(exclude: new[] { "upstream-connectivity" }));
            Assert.Empty(outcomes);
            Assert.Equal(0, probes.Runs);
        }

        [Fact]
        public void Patterns_that_match_no_id_are_told_apart()
        {
            var ids = new[] { "edge-config", "hostname", "keyd-running" };
            Assert.Equal(new[] { "hostnme", "nothing-*" }, DeviceCheckSelection.Unmatched(new[] { "HOSTNAME", "hostnme", "*-running", "nothing-*" }, ids));
            Assert.Empty(DeviceCheckSelection.Unmatched(null, ids));
        }

        [Fact]
        public void Category_selects_the_checks_of_its_groups()
        {
            var logs = new ScriptedCheck("logs", _ => Task.FromResult(ScriptedCheck.Results(("logs", CheckStatus.Pass))), DeviceCheckCategory.Logs);
            var runtime = new ScriptedCheck("runtime", _ => Task.FromResult(ScriptedCheck.Results(("runtime", CheckStatus.Pass))), DeviceCheckCategory.Runtime);
            var outcomes = Run(new IDeviceCheck[] { logs, runtime }, new DeviceCheckSelection(categories: new[] { DeviceCheckCategory.Logs }));
            Assert.Equal("logs", Assert.Single(outcomes).Result.CheckId);
            Assert.Equal(0, runtime.Runs);
        }
    }
}
