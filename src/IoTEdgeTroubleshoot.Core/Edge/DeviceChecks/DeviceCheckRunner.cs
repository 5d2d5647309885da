using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks
{
    /// <summary>One check finished: how many of how many, which, and the results this lets out in catalog order.</summary>
    public sealed class DeviceCheckProgress
    {
        public DeviceCheckProgress(int completed, int total, string checkId, IReadOnlyList<DeviceCheckOutcome> ready)
        {
            Completed = completed;
            Total = total;
            CheckId = checkId;
            Ready = ready;
        }

        public int Completed { get; }

        public int Total { get; }

        public string CheckId { get; }

        /// <summary>
        /// The results that may be shown now: this check's and those of later checks that ended before it, once every
        /// check before them has ended (empty while an earlier check still runs). Over a run they are the run's
        /// results, each once, in catalog order.
        /// </summary>
        public IReadOnlyList<DeviceCheckOutcome> Ready { get; }
    }

    /// <summary>One result and the check that gave it (its category groups the results).</summary>
    public sealed class DeviceCheckOutcome
    {
        public DeviceCheckOutcome(IDeviceCheck check, IoTEdgeCheckResult result)
        {
            Check = check;
            Result = result;
        }

        public IDeviceCheck Check { get; }

        public IoTEdgeCheckResult Result { get; }
    }

    /// <summary>
    /// Test-IoTEdge's loop: the selected checks of a catalog, several at once (they wait on tools, files and sockets),
    /// their results in catalog order whatever order they finish in. A check that cannot run here (a tool missing or
    /// refused, no listener table) becomes one Skipped result with the reason; one that fails otherwise becomes one
    /// Error result with its message, and the others go on. Cancelling stops them all.
    /// </summary>
    public static class DeviceCheckRunner
    {
        /// <summary>Checks running at once: enough for the slow ones (probes, logs) to overlap on a small device.</summary>
        public const int DefaultParallelism = 6;

        // What means "cannot run here" rather than "broken": not installed, not allowed, not this platform.
        private static readonly HashSet<string> CannotRunHere = new HashSet<string>(StringComparer.Ordinal)
        {
            ErrorIds.NativeToolNotFound,
            ErrorIds.NativeToolAccessDenied,
            ErrorIds.SystemdNotRunning,
            ErrorIds.ListenerTableUnavailable,
        };

        /// <summary>
        /// Runs the checks <paramref name="selection"/> selects; <paramref name="progress"/> is called on a worker
        /// thread as each one ends, one call at a time (the caller marshals it), so its <see cref="DeviceCheckProgress.Ready"/>
        /// results can be shown while later checks still run.
        /// </summary>
        public static async Task<IReadOnlyList<DeviceCheckOutcome>> RunAsync(IReadOnlyList<IDeviceCheck> catalog, DeviceCheckContext context, DeviceCheckSelection selection,
            Action<DeviceCheckProgress>? progress, CancellationToken cancellationToken, int parallelism = DefaultParallelism)
        {
            var selected = catalog.Where(selection.Selects).ToList();
            context = context.WithToolTimeLimit(); // -TimeoutSeconds holds for every tool call, whatever limit the reused readers set
            var ended = new IReadOnlyList<DeviceCheckOutcome>?[selected.Count];
            int completed = 0, released = 0;
            var order = new object();
            using var gate = new SemaphoreSlim(Math.Max(1, parallelism));

            async Task<IReadOnlyList<DeviceCheckOutcome>> RunOne(IDeviceCheck check, int index)
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                IReadOnlyList<DeviceCheckOutcome> outcomes = Array.Empty<DeviceCheckOutcome>();
                try
                {
                    var results = await Guarded(check, context, cancellationToken).ConfigureAwait(false);
                    outcomes = results.Where(r => selection.Keeps(check, r)).Select(r => new DeviceCheckOutcome(check, r)).ToList();
                    return outcomes;
                }
                finally
                {
                    gate.Release();
                    // Under the lock, so that the calls come in the order the results are let out.
                    lock (order)
                    {
                        ended[index] = outcomes;
                        var ready = new List<DeviceCheckOutcome>();
                        while (released < ended.Length && ended[released] is IReadOnlyList<DeviceCheckOutcome> next)
                        {
                            ready.AddRange(next);
                            released++;
                        }

                        progress?.Invoke(new DeviceCheckProgress(++completed, selected.Count, check.Id, ready));
                    }
                }
            }

            var all = await Task.WhenAll(selected.Select(RunOne)).ConfigureAwait(false);
            return all.SelectMany(results => results).ToList();
        }

        // The check on a worker thread (an adapter that blocks before its first await must not hold the others up),
        // with its failure turned into a result.
        private static async Task<IReadOnlyList<IoTEdgeCheckResult>> Guarded(IDeviceCheck check, DeviceCheckContext context, CancellationToken cancellationToken)
        {
            try
            {
                var results = await Abandoned(Task.Run(() => check.RunAsync(context, cancellationToken), cancellationToken), cancellationToken).ConfigureAwait(false);
                foreach (var result in results ?? Array.Empty<IoTEdgeCheckResult>())
                {
                    if (result.CheckId.Length == 0) result.CheckId = check.Id;
                    if (result.Description.Length == 0) result.Description = check.Description;
                    // Every text a result shows (the table, ConvertTo-Json, the iotedge check JSON): a remedy may quote the config too.
                    result.Message = SecretMasker.Mask(result.Message);
                    if (result.Remedy != null) result.Remedy = SecretMasker.Mask(result.Remedy);
                    if (result.RemedyCommand != null) result.RemedyCommand = SecretMasker.Mask(result.RemedyCommand);
                }

                return results ?? Array.Empty<IoTEdgeCheckResult>();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (TroubleshootException ex) when (CannotRunHere.Contains(ex.ErrorId))
            {
                return new[] { Failure(check, CheckStatus.Skipped, $"Skipped: {ex.Message}") };
            }
            catch (Exception ex)
            {
                var failed = Failure(check, CheckStatus.Error, $"The check could not finish: {ex.Message}");
                failed.Remedy = "Run the check's own command (see about_IoTEdgeTroubleshoot, DEVICE CHECK IDS) with -Verbose to see more.";
                return new[] { failed };
            }
        }

        // The check's task, or a cancellation as soon as the token is cancelled: Ctrl+C must end the run even while
        // a check is stuck in a call that does not watch the token (a read on a hung file system). The abandoned
        // task's failure, if it ever ends in one, is observed here so that it is not reported as unobserved.
        private static async Task<T> Abandoned<T>(Task<T> work, CancellationToken cancellationToken)
        {
            if (!cancellationToken.CanBeCanceled) return await work.ConfigureAwait(false);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var cancelled = Task.Delay(Timeout.Infinite, stop.Token);
            if (await Task.WhenAny(work, cancelled).ConfigureAwait(false) != work)
            {
                _ = work.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                cancellationToken.ThrowIfCancellationRequested();
            }

            stop.Cancel(); // ends the delay's registration on the caller's token
            return await work.ConfigureAwait(false);
        }

        private static IoTEdgeCheckResult Failure(IDeviceCheck check, CheckStatus status, string message) => new IoTEdgeCheckResult
        {
            CheckId = check.Id,
            Description = check.Description,
            Status = status,
            Message = SecretMasker.Mask(message),
        };
    }
}
