using System;
using System.IO;
using System.Linq;
using System.Net;
using IoTEdgeTroubleshoot.Edge.Network.Listeners;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Network
{
    /// <summary>
    /// The Windows TCP table's bytes, built here as GetExtendedTcpTable lays them out (these tests run on Linux,
    /// so the P/Invoke itself is not run; its parsing is).
    /// </summary>
    public class WindowsTcpTableParserTests
    {
        private const uint Listen = 2, Established = 5;

        private static byte[] Table4(params (uint State, byte[] Address, int Port, uint Pid)[] rows)
        {
            using var bytes = new MemoryStream();
            using var w = new BinaryWriter(bytes); // little-endian, as Windows lays DWORDs
            w.Write((uint)rows.Length);
            foreach (var row in rows)
            {
                w.Write(row.State);
                w.Write(row.Address);                          // dwLocalAddr, network order
                w.Write(new[] { (byte)(row.Port >> 8), (byte)row.Port, (byte)0, (byte)0 }); // dwLocalPort: network order in the low word
                w.Write(new byte[] { 10, 0, 0, 9 });           // dwRemoteAddr
                w.Write(new byte[] { 0x1F, 0x90, 0, 0 });      // dwRemotePort
                w.Write(row.Pid);
            }

            return bytes.ToArray();
        }

        private static byte[] Table6(params (uint State, byte[] Address, uint Scope, int Port, uint Pid)[] rows)
        {
            using var bytes = new MemoryStream();
            using var w = new BinaryWriter(bytes);
            w.Write((uint)rows.Length);
            foreach (var row in rows)
            {
                w.Write(row.Address);                          // ucLocalAddr[16]
                w.Write(row.Scope);                            // dwLocalScopeId
                w.Write(new[] { (byte)(row.Port >> 8), (byte)row.Port, (byte)0, (byte)0 });
                w.Write(new byte[16]);                         // ucRemoteAddr
                w.Write(0u);                                   // dwRemoteScopeId
                w.Write(0u);                                   // dwRemotePort
                w.Write(row.State);
                w.Write(row.Pid);
            }

            return bytes.ToArray();
        }

        [Fact]
        public void IPv4_rows_give_address_port_and_pid_of_listeners_only()
        {
            var table = Table4((Listen, new byte[] { 0, 0, 0, 0 }, 443, 4), (Established, new byte[] { 192, 168, 1, 20 }, 50000, 900), (Listen, new byte[] { 127, 0, 0, 1 }, 8883, 2288));
            Assert.Equal(4 + 3 * WindowsTcpTableParser.RowSize4, table.Length);
            var rows = WindowsTcpTableParser.ParseIPv4(table).ToArray();
            Assert.Equal(new[] { ("0.0.0.0", 443, 4), ("127.0.0.1", 8883, 2288) }, rows.Select(r => (r.Address.ToString(), r.Port, r.ProcessId)));
        }

        [Fact]
        public void IPv6_rows_give_address_with_scope_port_and_pid()
        {
            var linkLocal = IPAddress.Parse("fe80::1").GetAddressBytes();
            var table = Table6((Listen, IPAddress.IPv6Any.GetAddressBytes(), 0, 5671, 3120), (Listen, linkLocal, 7, 443, 77), (Established, IPAddress.IPv6Loopback.GetAddressBytes(), 0, 1234, 1));
            Assert.Equal(4 + 3 * WindowsTcpTableParser.RowSize6, table.Length);
            var rows = WindowsTcpTableParser.ParseIPv6(table).ToArray();
            Assert.Equal(new[] { ("::", 5671, 3120), ("fe80::1%7", 443, 77) }, rows.Select(r => (r.Address.ToString(), r.Port, r.ProcessId)));
        }

        [Fact]
        public void A_count_larger_than_the_buffer_stops_at_the_last_whole_row()
        {
            var table = Table4((Listen, new byte[] { 0, 0, 0, 0 }, 443, 4), (Listen, new byte[] { 0, 0, 0, 0 }, 5671, 5));
            BitConverter.GetBytes(1000u).CopyTo(table, 0);
            Assert.Equal(2, WindowsTcpTableParser.ParseIPv4(table).Count());
            Assert.Single(WindowsTcpTableParser.ParseIPv4(table.Take(table.Length - 1).ToArray()));
            Assert.Empty(WindowsTcpTableParser.ParseIPv4(new byte[2]));
            Assert.Empty(WindowsTcpTableParser.ParseIPv6(Array.Empty<byte>()));
        }

        [Fact]
        public void A_high_port_keeps_its_network_byte_order()
        {
            var row = Assert.Single(WindowsTcpTableParser.ParseIPv4(Table4((Listen, new byte[] { 0, 0, 0, 0 }, 0xC350, 1))));
            Assert.Equal(50000, row.Port);
        }
    }
}
