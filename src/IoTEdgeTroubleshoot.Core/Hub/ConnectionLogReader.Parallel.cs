using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>The analysis' read: files on several threads, each thread with its own reader and consumer.</summary>
    public sealed partial class ConnectionLogReader
    {
        /// <summary>
        /// Reads the files on several threads (one file at a time each), every reader thread handing its
        /// events to its own consumer (<paramref name="consumerForWorker"/>, called once per thread with the
        /// thread's number; consumers run at the same time: whatever they share, they must guard). Only each file's report crosses threads:
        /// problems, verbose lines and progress still reach the reporter on the calling thread. A consumer
        /// that fails ends the read with a <see cref="TroubleshootException"/> (<see cref="ErrorIds.LogReadFailed"/>)
        /// naming the file, never with the worker's raw exception. <paramref name="totalBytes"/>: the files' sizes summed,
        /// when the caller has them (for the progress); otherwise they are asked of the file system here.
        /// </summary>
        internal void ConsumeFilesInParallel(IReadOnlyList<string> files, int maxDegreeOfParallelism, Func<int, Action<IoTHubConnectionEvent>> consumerForWorker, CancellationToken cancellationToken, long? totalBytes = null)
        {
            int workers = Math.Max(1, Math.Min(maxDegreeOfParallelism, files.Count));
            if (workers == 1)
            {
                var consume = consumerForWorker(0);
                EventSink = consume;
                try
                {
                    foreach (var e in ReadFiles(files, cancellationToken)) consume(e);
                }
                catch (Exception ex) when (IsDefect(ex))
                {
                    throw ReadFailed(_currentFile ?? string.Empty, ex);
                }
                finally
                {
                    EventSink = null;
                }

                return;
            }

            long allBytes = totalBytes ?? files.Sum(SizeOf);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var queue = new System.Collections.Concurrent.BlockingCollection<FileReport>(boundedCapacity: 4 * workers);
            int nextFile = -1;
            int running = workers;
            Exception? failure = null;
            string? failedFile = null;
            var threads = new List<Thread>();
            for (int w = 0; w < workers; w++)
            {
                int worker = w;
                var thread = new Thread(() =>
                {
                    string? file = null;
                    try
                    {
                        var consume = consumerForWorker(worker);
                        var collector = new CollectingReporter();
                        var reader = new ConnectionLogReader(_filter, collector, _lean) { EventSink = consume, DeviceKeys = DeviceKeys };
                        int index;
                        while ((index = Interlocked.Increment(ref nextFile)) < files.Count && !stop.IsCancellationRequested)
                        {
                            file = files[index];
                            var report = collector.Target = new FileReport(collector);
                            report.Verbose.Add($"Reading '{file}'.");
                            reader.LastFileCoverage = null;
                            foreach (var e in reader.ReadFileGuarded(file, null, stop.Token)) consume(e);
                            report.Bytes = SizeOf(file);
                            report.Records = reader.RecordsRead;
                            report.Malformed = reader.MalformedRecords;
                            report.Coverage = reader.LastFileCoverage;
                            queue.Add(report, stop.Token);
                        }
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                    }
                    catch (Exception ex)
                    {
                        if (Interlocked.CompareExchange(ref failure, ex, null) == null) failedFile = file;
                        stop.Cancel();
                    }
                    finally
                    {
                        if (Interlocked.Decrement(ref running) == 0) queue.CompleteAdding();
                    }
                })
                {
                    IsBackground = true,
                    Name = "IoTEdgeTroubleshoot log reader " + w,
                };
                threads.Add(thread);
                thread.Start();
            }

            long doneBytes = 0;
            var totalsPerWorker = new Dictionary<CollectingReporter, (long Records, long Malformed)>();
            var overlap = new FormOverlap();
            try
            {
                foreach (var report in queue.GetConsumingEnumerable(cancellationToken))
                {
                    foreach (var message in report.Verbose) _reporter.Verbose(message);
                    foreach (var message in report.Warnings) _reporter.Warning(message);
                    foreach (var problem in report.Problems) _reporter.Problem(problem);
                    doneBytes += report.Bytes;
                    totalsPerWorker[report.Owner] = (report.Records, report.Malformed);
                    overlap.Add(report.Coverage);
                    int percent = allBytes > 0 ? (int)(doneBytes * 100 / allBytes) : 0;
                    _reporter.Progress(new ProgressReport(ProgressActivityId, "Reading IoT Hub connection logs",
                        $"{FormatBytes(doneBytes)} of {FormatBytes(allBytes)} in {files.Count} files, {workers} at a time", percent));
                }
            }
            finally
            {
                stop.Cancel(); // done, or the caller was stopped: release the readers
                foreach (var thread in threads) thread.Join();
            }

            RecordsRead += totalsPerWorker.Values.Sum(v => v.Records);
            MalformedRecords += totalsPerWorker.Values.Sum(v => v.Malformed);
            if (failure is TroubleshootException known) ExceptionDispatchInfo.Capture(known).Throw();
            if (failure != null) throw ReadFailed(failedFile ?? string.Empty, failure);
            cancellationToken.ThrowIfCancellationRequested(); // the readers stopped early: never pass that off as the whole
            if (overlap.Warning() is string warning) _reporter.Warning(warning);
            _reporter.Progress(new ProgressReport(ProgressActivityId, "Reading IoT Hub connection logs", "Done", 100, completed: true));
        }

        /// <summary>What a reader thread tells the calling thread about one file it read.</summary>
        private sealed class FileReport
        {
            public FileReport(CollectingReporter owner) => Owner = owner;

            public CollectingReporter Owner { get; }

            public List<Problem> Problems { get; } = new List<Problem>();

            public List<string> Verbose { get; } = new List<string>();

            public List<string> Warnings { get; } = new List<string>();

            public long Bytes { get; set; }

            /// <summary>The reader thread's running totals after this file.</summary>
            public long Records { get; set; }

            public long Malformed { get; set; }

            public FileCoverage? Coverage { get; set; }
        }

        /// <summary>A reader thread's reporter: keeps what it is told in the report of the file being read.</summary>
        private sealed class CollectingReporter : IReporter
        {
            public FileReport? Target { get; set; }

            public void Verbose(string message) => Target?.Verbose.Add(message);

            public void Warning(string message) => Target?.Warnings.Add(message);

            public void Progress(ProgressReport progress) { }

            public void Problem(Problem problem) => Target?.Problems.Add(problem);
        }
    }
}
