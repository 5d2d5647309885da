using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;

namespace IoTEdgeTroubleshoot.Edge.Dns
{
    /// <summary>Resolves a host name with this machine's resolver: an interface so that checks are tested without the network.</summary>
    public interface IHostResolver
    {
        /// <summary>The addresses of <paramref name="host"/>; throws <see cref="SocketException"/> or <see cref="TimeoutException"/> when it does not resolve.</summary>
        IReadOnlyList<string> Resolve(string host, TimeSpan timeout);
    }

    public sealed class SystemHostResolver : IHostResolver
    {
        public IReadOnlyList<string> Resolve(string host, TimeSpan timeout)
        {
            var lookup = System.Net.Dns.GetHostAddressesAsync(host);
            try
            {
                if (!lookup.Wait(timeout)) throw new TimeoutException($"No answer for '{host}' within {timeout.TotalSeconds:0} s.");
            }
            catch (AggregateException ex) when (ex.InnerException is SocketException socket)
            {
                throw socket;
            }

            return lookup.Result.Select(a => a.ToString()).ToList();
        }
    }
}
