using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace IoTEdgeTroubleshoot.Edge.Network.Probing
{
    /// <summary>Resolves the name a probe connects to; IPv4 first, so that a name with both connects as the device usually does.</summary>
    internal static class DnsStage
    {
        public static readonly Func<string, CancellationToken, Task<IPAddress[]>> SystemResolver = (host, _) => System.Net.Dns.GetHostAddressesAsync(host);

        public static async Task<IPAddress[]> ResolveAsync(Func<string, CancellationToken, Task<IPAddress[]>> resolve, string host, CancellationToken cancellationToken)
        {
            IPAddress[] addresses;
            if (IPAddress.TryParse(host, out var literal))
            {
                addresses = new[] { literal };
            }
            else
            {
                try
                {
                    // The system resolver takes no token: stop waiting for it instead.
                    addresses = await Cancellable.Wait(resolve(host, cancellationToken), cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException ex)
                {
                    throw new StageFailedException(ProbeStage.Dns, $"'{host}' does not resolve ({ex.SocketErrorCode}: {ex.Message})", ex);
                }
                catch (ArgumentException ex)
                {
                    // A name from the config that is no host name at all ("my gateway").
                    throw new StageFailedException(ProbeStage.Dns, $"'{host}' is not a name that can be resolved ({ex.Message})", ex);
                }
            }

            var usable = addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork || a.AddressFamily == AddressFamily.InterNetworkV6)
                .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
                .ToArray();
            if (usable.Length == 0) throw new StageFailedException(ProbeStage.Dns, $"'{host}' resolves to no IP address");
            return usable;
        }
    }

    /// <summary>Waiting for work that takes no cancellation token (netstandard2.0 has few that do).</summary>
    internal static class Cancellable
    {
        public static async Task<T> Wait<T>(Task<T> task, CancellationToken cancellationToken)
        {
            if (!task.IsCompleted)
            {
                var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
                {
                    if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                    {
                        // The abandoned task's own failure must not go unobserved.
                        _ = task.ContinueWith(t => t.Exception, TaskScheduler.Default);
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }
            }

            return await task.ConfigureAwait(false);
        }
    }
}
