using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Runtime.InteropServices;

namespace IoTEdgeTroubleshoot.Edge.Network.Listeners
{
    /// <summary>
    /// Windows: the TCP table of listeners with their owning process ids (GetExtendedTcpTable,
    /// TCP_TABLE_OWNER_PID_LISTENER), for IPv4 and IPv6. The buffer is parsed by <see cref="WindowsTcpTableParser"/>,
    /// which the tests exercise with buffers they build (the tests run on Linux).
    /// </summary>
    public sealed class WindowsListenerTable : IListenerTable
    {
        private const int AfInet = 2, AfInet6 = 23;
        private const int TcpTableOwnerPidListener = 3;
        private const uint NoError = 0, InsufficientBuffer = 122;

        public IReadOnlyList<TcpListenerEntry> Listeners()
        {
            var rows = WindowsTcpTableParser.ParseIPv4(Table(AfInet)).Concat(WindowsTcpTableParser.ParseIPv6(Table(AfInet6)));
            var names = new Dictionary<int, string?>();
            return rows.Select(row =>
            {
                if (!names.TryGetValue(row.ProcessId, out string? name)) names[row.ProcessId] = name = ProcessName(row.ProcessId);
                return new TcpListenerEntry(row.Address.ToString(), row.Port, row.ProcessId, name);
            }).ToArray();
        }

        private static byte[] Table(int family)
        {
            // The table can grow between the size query and the copy: ask again until it fits.
            int size = 0;
            for (int attempt = 0; attempt < 5; attempt++)
            {
                IntPtr buffer = size == 0 ? IntPtr.Zero : Marshal.AllocHGlobal(size);
                try
                {
                    uint status = GetExtendedTcpTable(buffer, ref size, false, family, TcpTableOwnerPidListener, 0);
                    if (status == NoError && buffer != IntPtr.Zero)
                    {
                        var bytes = new byte[size];
                        Marshal.Copy(buffer, bytes, 0, size);
                        return bytes;
                    }

                    if (status != InsufficientBuffer && status != NoError) throw new Win32Exception((int)status);
                }
                finally
                {
                    if (buffer != IntPtr.Zero) Marshal.FreeHGlobal(buffer);
                }
            }

            throw new Win32Exception((int)InsufficientBuffer);
        }

        private static string? ProcessName(int pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                return process.ProcessName;
            }
            catch (Exception ex) when (ex is ArgumentException || ex is InvalidOperationException || ex is Win32Exception)
            {
                return null; // ended since the table was read, or not ours to look at
            }
        }

        [DllImport("iphlpapi.dll", SetLastError = true)]
        private static extern uint GetExtendedTcpTable(IntPtr table, ref int size, bool order, int addressFamily, int tableClass, uint reserved);
    }

    /// <summary>A listener row of the Windows TCP table.</summary>
    internal readonly struct WindowsTcpRow
    {
        public WindowsTcpRow(IPAddress address, int port, int processId)
        {
            Address = address;
            Port = port;
            ProcessId = processId;
        }

        public IPAddress Address { get; }

        public int Port { get; }

        public int ProcessId { get; }
    }

    /// <summary>
    /// MIB_TCPTABLE_OWNER_PID and MIB_TCP6TABLE_OWNER_PID as bytes: a DWORD count, then fixed-size rows.
    /// DWORDs are little-endian; addresses are in network order; a port is in network order in the low 16 bits
    /// of its DWORD (the first two bytes in memory).
    /// </summary>
    internal static class WindowsTcpTableParser
    {
        // MIB_TCPROW_OWNER_PID: dwState, dwLocalAddr, dwLocalPort, dwRemoteAddr, dwRemotePort, dwOwningPid.
        internal const int RowSize4 = 24;

        // MIB_TCP6ROW_OWNER_PID: ucLocalAddr[16], dwLocalScopeId, dwLocalPort, ucRemoteAddr[16], dwRemoteScopeId, dwRemotePort, dwState, dwOwningPid.
        internal const int RowSize6 = 56;

        internal const uint StateListen = 2;

        public static IEnumerable<WindowsTcpRow> ParseIPv4(byte[] table)
        {
            foreach (int row in Rows(table, RowSize4))
            {
                if (UInt32(table, row) != StateListen) continue;
                var address = new IPAddress(Slice(table, row + 4, 4));
                yield return new WindowsTcpRow(address, Port(table, row + 8), (int)UInt32(table, row + 20));
            }
        }

        public static IEnumerable<WindowsTcpRow> ParseIPv6(byte[] table)
        {
            foreach (int row in Rows(table, RowSize6))
            {
                if (UInt32(table, row + 48) != StateListen) continue;
                var address = new IPAddress(Slice(table, row, 16), UInt32(table, row + 16));
                yield return new WindowsTcpRow(address, Port(table, row + 20), (int)UInt32(table, row + 52));
            }
        }

        // The offsets of the rows the count announces and the buffer holds (a short buffer ends the table early).
        private static IEnumerable<int> Rows(byte[] table, int rowSize)
        {
            if (table.Length < 4) yield break;
            long count = UInt32(table, 0);
            for (long i = 0; i < count && 4 + (i + 1) * rowSize <= table.Length; i++) yield return (int)(4 + i * rowSize);
        }

        private static uint UInt32(byte[] b, int at) => (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);

        private static int Port(byte[] b, int at) => b[at] << 8 | b[at + 1];

        private static byte[] Slice(byte[] b, int at, int length)
        {
            var slice = new byte[length];
            Buffer.BlockCopy(b, at, slice, 0, length);
            return slice;
        }
    }
}
