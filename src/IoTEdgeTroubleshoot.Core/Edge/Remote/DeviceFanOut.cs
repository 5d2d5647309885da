using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Remote
{
    /// <summary>
    /// One device's part of a fleet run: what it returned, or the one error that ended it, and the verbose lines
    /// and warnings said while it ran, for the caller to write on its own thread.
    /// </summary>
    public sealed class DeviceOutcome<T>
    {
        internal DeviceOutcome(string deviceId) => DeviceId = deviceId;

        public string DeviceId { get; }

        public IReadOnlyList<T> Results { get; internal set; } = Array.Empty<T>();

        /// <summary>Why this device gave nothing (not online, timed out, refused); null when it answered.</summary>
        public TroubleshootException? Failure { get; internal set; }

        public List<string> Verbose { get; } = new List<string>();

        public List<string> Warnings { get; } = new List<string>();

        public List<Problem> Problems { get; } = new List<Problem>();

        internal Exception? Unexpected { get; set; }
    }

    /// <summary>
    /// Runs one piece of work per device on at most <c>throttle</c> threads. Each thread has its own worker (its
    /// own REST client and token), so a fleet signs in once per thread, not once per device. Outcomes come back
    /// to the calling thread as devices finish; nothing else is written from the other threads. A device's
    /// failure is its outcome: the others go on. Leaving the loop early (Ctrl+C, Select-Object -First) stops
    /// the threads.
    /// </summary>
    internal static class DeviceFanOut
    {
        internal const int ProgressActivityId = 1414;

        public static IEnumerable<DeviceOutcome<T>> Run<TWorker, T>(
            IReadOnlyList<string> deviceIds,
            int throttle,
            Func<IReporter, TWorker> newWorker,
            Func<TWorker, string, IReporter, CancellationToken, IReadOnlyList<T>> work,
            IReporter caller,
            string activity,
            CancellationToken cancellationToken)
        {
            if (deviceIds.Count == 0) yield break;
            var queue = new ConcurrentQueue<string>(deviceIds);
            var outcomes = new BlockingCollection<DeviceOutcome<T>>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            // The first worker is made here: a hub name or connection string that cannot work fails once, before any thread.
            var firstReporter = new OutcomeReporter();
            var first = newWorker(firstReporter);
            int threadCount = Math.Max(1, Math.Min(throttle, deviceIds.Count));
            var threads = new List<Thread>();
            for (int i = 0; i < threadCount; i++)
            {
                bool isFirst = i == 0;
                var thread = new Thread(() => Serve(isFirst ? first : default, isFirst ? firstReporter : null, newWorker, work, queue, outcomes, stop.Token))
                {
                    IsBackground = true,
                    Name = "IoTEdgeTroubleshoot device " + i,
                };
                threads.Add(thread);
                thread.Start();
            }

            try
            {
                int done = 0;
                while (done < deviceIds.Count)
                {
                    if (!outcomes.TryTake(out var outcome, 250, cancellationToken))
                    {
                        caller.Progress(new ProgressReport(ProgressActivityId, activity, $"{done} of {deviceIds.Count} devices answered, {threadCount} at a time", done * 100 / deviceIds.Count));
                        continue;
                    }

                    done++;
                    if (outcome.Unexpected != null) ExceptionDispatchInfo.Capture(outcome.Unexpected).Throw();
                    caller.Progress(new ProgressReport(ProgressActivityId, activity, $"{done} of {deviceIds.Count} devices answered ({outcome.DeviceId} last)", done * 100 / deviceIds.Count));
                    yield return outcome;
                }

                caller.Progress(new ProgressReport(ProgressActivityId, activity, "Done", 100, completed: true));
            }
            finally
            {
                stop.Cancel();
                foreach (var thread in threads) thread.Join();
                outcomes.Dispose();
            }
        }

        private static void Serve<TWorker, T>(
            TWorker? worker,
            OutcomeReporter? reporter,
            Func<IReporter, TWorker> newWorker,
            Func<TWorker, string, IReporter, CancellationToken, IReadOnlyList<T>> work,
            ConcurrentQueue<string> queue,
            BlockingCollection<DeviceOutcome<T>> outcomes,
            CancellationToken stop)
        {
            reporter ??= new OutcomeReporter();
            while (!stop.IsCancellationRequested && queue.TryDequeue(out var deviceId))
            {
                var outcome = new DeviceOutcome<T>(deviceId);
                reporter.Target = new OutcomeLists(outcome.Verbose, outcome.Warnings, outcome.Problems);
                try
                {
                    worker ??= newWorker(reporter);
                    outcome.Results = work(worker, deviceId, reporter, stop);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (TroubleshootException ex)
                {
                    outcome.Failure = ex;
                }
                catch (Exception ex)
                {
                    outcome.Unexpected = ex; // a defect: thrown again on the caller's thread
                }

                try
                {
                    outcomes.Add(outcome, stop);
                }
                catch (Exception ex) when (ex is OperationCanceledException || ex is ObjectDisposedException || ex is InvalidOperationException)
                {
                    return;
                }
            }
        }

        private sealed class OutcomeLists
        {
            public OutcomeLists(List<string> verbose, List<string> warnings, List<Problem> problems)
            {
                Verbose = verbose;
                Warnings = warnings;
                Problems = problems;
            }

            public List<string> Verbose { get; }

            public List<string> Warnings { get; }

            public List<Problem> Problems { get; }
        }

        /// <summary>A thread's reporter: keeps what is said in the outcome of the device being served.</summary>
        private sealed class OutcomeReporter : IReporter
        {
            public OutcomeLists? Target { get; set; }

            public void Verbose(string message) => Target?.Verbose.Add(message);

            public void Warning(string message) => Target?.Warnings.Add(message);

            public void Progress(ProgressReport progress) { }

            public void Problem(Problem problem) => Target?.Problems.Add(problem);
        }
    }
}
