using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace IoTEdgeTroubleshoot.Edge.Network.Listeners
{
    /// <summary>A TCP socket listening on this host, and the process that owns it when it can be seen.</summary>
    public sealed class TcpListenerEntry
    {
        public TcpListenerEntry(string localAddress, int port, int? processId = null, string? processName = null)
        {
            LocalAddress = localAddress;
            Port = port;
            ProcessId = processId;
            ProcessName = processName;
        }

        public string LocalAddress { get; }

        public int Port { get; }

        public int? ProcessId { get; }

        public string? ProcessName { get; }

        /// <summary>The systemd unit the process runs in (Linux), for a remedy that stops the service rather than the process.</summary>
        public string? ServiceName { get; set; }
    }

    /// <summary>The host's listening TCP sockets with their processes: Linux /proc, or the Windows TCP table.</summary>
    public interface IListenerTable
    {
        IReadOnlyList<TcpListenerEntry> Listeners();
    }

    public static class ListenerTables
    {
        /// <summary>The table of this OS, or null where none is read (macOS).</summary>
        public static IListenerTable? ForThisPlatform() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? new LinuxListenerTable()
            : RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? new WindowsListenerTable()
            : (IListenerTable?)null;
    }
}
