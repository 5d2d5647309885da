using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// A reporter for work on other threads: it only queues what they say, and <see cref="Pump"/>, called on
    /// the caller's thread (the cmdlet's pipeline thread), hands it to the real reporter. PowerShell allows
    /// Write-Progress, Write-Verbose and Write-Warning on that thread only.
    /// </summary>
    public sealed class QueuedReporter : IReporter
    {
        private readonly ConcurrentQueue<Action<IReporter>> _queue = new ConcurrentQueue<Action<IReporter>>();
        private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);

        public void Verbose(string message) => Enqueue(r => r.Verbose(message));

        public void Warning(string message) => Enqueue(r => r.Warning(message));

        public void Progress(ProgressReport progress) => Enqueue(r => r.Progress(progress));

        public void Problem(Problem problem) => Enqueue(r => r.Problem(problem));

        /// <summary>Relays to <paramref name="target"/>, as it comes, until <paramref name="work"/> ends, then the rest.</summary>
        public void Pump(Task work, IReporter target)
        {
            while (!work.IsCompleted)
            {
                _signal.Wait(50);
                Drain(target);
            }

            Drain(target);
        }

        private void Enqueue(Action<IReporter> say)
        {
            _queue.Enqueue(say);
            _signal.Release();
        }

        private void Drain(IReporter target)
        {
            while (_queue.TryDequeue(out var say)) say(target);
        }
    }
}
