using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.Network.Listeners;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Deployment.Checks
{
    /// <summary>
    /// The deployment check's port lookup, answered from this host's listening sockets: the same table
    /// Test-IoTEdgeFirewall -Local reads (Linux /proc, Windows TCP table), read once.
    /// </summary>
    public sealed class ListenerTablePortOwners : IHostPortOwners
    {
        private readonly Lazy<(IReadOnlyList<TcpListenerEntry> Listeners, string? Unavailable)> _table;

        public ListenerTablePortOwners(IListenerTable? table = null)
        {
            var source = table ?? ListenerTables.ForThisPlatform();
            _table = new Lazy<(IReadOnlyList<TcpListenerEntry>, string?)>(() => Read(source));
        }

        public string? Unavailable => _table.Value.Unavailable;

        public string? OwnerOf(int port)
        {
            var listener = _table.Value.Listeners.FirstOrDefault(l => l.Port == port);
            if (listener == null) return null;
            if (listener.ProcessName == null) return "a process this user cannot see (run elevated to name it)";
            string id = listener.ProcessId is int pid ? " (id " + pid.ToString(CultureInfo.InvariantCulture) + ")" : string.Empty;
            return $"'{listener.ProcessName}'{id}";
        }

        private static (IReadOnlyList<TcpListenerEntry>, string?) Read(IListenerTable? source)
        {
            if (source == null) return (Array.Empty<TcpListenerEntry>(), "this OS's socket table is not read; check the ports with your system's tools");
            try
            {
                return (source.Listeners(), null);
            }
            catch (TroubleshootException ex)
            {
                return (Array.Empty<TcpListenerEntry>(), "the listening sockets could not be read: " + ex.Message.TrimEnd('.'));
            }
        }
    }
}
