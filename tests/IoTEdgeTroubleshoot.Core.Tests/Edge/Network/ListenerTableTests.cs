using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Network;
using IoTEdgeTroubleshoot.Edge.Network.Listeners;
using IoTEdgeTroubleshoot.Platform;
using IoTEdgeTroubleshoot.Tests.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Network
{
    /// <summary>-Local: which process holds a port edgeHub publishes (the guide's "find the process using port 443").</summary>
    public class ListenerTableTests
    {
        private sealed class FixedTable : IListenerTable
        {
            private readonly TcpListenerEntry[] _entries;

            public FixedTable(params TcpListenerEntry[] entries) => _entries = entries;

            public IReadOnlyList<TcpListenerEntry> Listeners() => _entries;
        }

        private sealed class BrokenTable : IListenerTable
        {
            public IReadOnlyList<TcpListenerEntry> Listeners() => throw new UnauthorizedAccessException("/proc/net/tcp: permission denied");
        }

        [MachineFact]
        public void This_processs_own_listener_is_found_with_its_pid_and_name_in_proc()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                var result = Assert.Single(PortOwnerCheck.Run(new[] { port }, new LinuxListenerTable()));
                Assert.Equal(CheckStatus.Error, result.Status);
                Assert.Equal((port, "127.0.0.1", Environment.ProcessId), (result.Port, result.LocalAddress, result.ProcessId!.Value));
                Assert.Equal(File.ReadAllText($"/proc/{Environment.ProcessId}/comm").Trim(), result.ProcessName);
                Assert.Contains("port is already allocated", result.Message);
                Assert.Equal(PortGuide.OtherLocalCheckId, result.CheckId);
            }
            finally
            {
                listener.Stop();
            }
        }

        [MachineFact]
        public void A_free_port_passes()
        {
            int port = LoopbackServer.ClosedPort();
            var result = Assert.Single(PortOwnerCheck.Run(new[] { port }, new LinuxListenerTable()));
            Assert.Equal(CheckStatus.Pass, result.Status);
            Assert.Null(result.ProcessId);
        }

        [Fact]
        public void Proc_net_tcp_lines_give_listening_addresses_ports_and_inodes_only()
        {
            var lines = new[]
            {
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 00000000:01BB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0",
                "   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 77 1 0000000000000000 100 0 0 10 0",
                "   2: 0100007F:B109 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 78 1 0000000000000000 20 4 30 10 -1",
                "   3: 00000000000000000000000000000000:22B3 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 99 1 0",
                "   4: 0000000000000000FFFF00000100007F:1627 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 100 1 0",
                "   5: garbage",
            };
            var parsed = LinuxListenerTable.ParseProcNetTcp(lines).ToArray();
            Assert.Equal(new[] { ("0.0.0.0", 443, 4242L), ("127.0.0.1", 8080, 77L), ("::", 8883, 99L), ("::ffff:127.0.0.1", 5671, 100L) }, parsed);
        }

        [Theory]
        [InlineData("socket:[12345]", 12345L)]
        [InlineData("pipe:[12345]", null)]
        [InlineData("/dev/null", null)]
        [InlineData("socket:[]", null)]
        public void A_socket_links_inode_is_read_from_its_target(string link, long? inode) =>
            Assert.Equal(inode, LinuxListenerTable.SocketInode(link));

        [Fact]
        public void A_processs_systemd_service_comes_from_its_cgroup()
        {
            Assert.Equal("nginx.service", LinuxListenerTable.ServiceFromCgroup(new[] { "0::/system.slice/nginx.service" }));
            Assert.Equal("apache2.service", LinuxListenerTable.ServiceFromCgroup(new[] { "12:pids:/system.slice/apache2.service", "1:name=systemd:/system.slice/apache2.service" }));
            Assert.Null(LinuxListenerTable.ServiceFromCgroup(new[] { "0::/user.slice/user-1000.slice/user@1000.service/app.slice/x.scope" }));
            Assert.Null(LinuxListenerTable.ServiceFromCgroup(new[] { "0::/" }));
        }

        [Fact]
        public void A_web_server_on_443_is_an_error_naming_it_with_the_command_that_stops_its_service()
        {
            var table = new FixedTable(
                new TcpListenerEntry("0.0.0.0", 443, 812, "nginx") { ServiceName = "nginx.service" },
                new TcpListenerEntry("::", 443, 812, "nginx") { ServiceName = "nginx.service" });
            var results = PortOwnerCheck.Run(PortGuide.DefaultPorts, table);
            Assert.Equal(new[] { 8883, 5671, 443 }, results.Select(r => r.Port));
            Assert.Equal(new[] { "edgehub-port-free-8883", "edgehub-port-free-5671", "edgehub-port-free-443" }, results.Select(r => r.CheckId));
            var web = results[2];
            Assert.Equal((CheckStatus.Error, "nginx", 812), (web.Status, web.ProcessName, web.ProcessId!.Value));
            Assert.Equal("sudo systemctl disable --now nginx.service", web.RemedyCommand);
            Assert.Contains("usually a web server", web.Remedy);
        }

        [Fact]
        public void Two_processes_on_one_port_are_two_results_and_a_hidden_owner_asks_for_root()
        {
            var results = PortOwnerCheck.Run(new[] { 8883 }, new FixedTable(new TcpListenerEntry("0.0.0.0", 8883, 10, "mosquitto"), new TcpListenerEntry("::", 8883)));
            Assert.Equal(2, results.Count);
            Assert.Equal("Stop-Process -Id 10", results[0].RemedyCommand);
            Assert.Null(results[1].ProcessId);
            Assert.Contains("run as root", results[1].Message);
        }

        [Fact]
        public void A_containers_port_proxy_is_a_warning_that_may_be_edgeHub_itself()
        {
            var result = Assert.Single(PortOwnerCheck.Run(new[] { 5671 }, new FixedTable(new TcpListenerEntry("0.0.0.0", 5671, 3001, "docker-proxy"))));
            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.Equal("docker ps --filter publish=5671", result.RemedyCommand);
        }

        [Fact]
        public void Windows_http_sys_on_443_points_at_netsh()
        {
            var result = Assert.Single(PortOwnerCheck.Run(new[] { 443 }, new FixedTable(new TcpListenerEntry("0.0.0.0", 443, 4, "System"))));
            Assert.Equal("netsh http show servicestate", result.RemedyCommand);
            Assert.Contains("http.sys", result.Remedy);
        }

        [Fact]
        public void No_table_and_a_table_that_cannot_be_read_are_ListenerTableUnavailable()
        {
            Assert.Equal(ErrorIds.ListenerTableUnavailable, Assert.Throws<TroubleshootException>(() => PortOwnerCheck.Run(new[] { 443 }, null)).ErrorId);
            var ex = Assert.Throws<TroubleshootException>(() => PortOwnerCheck.Run(new[] { 443 }, new BrokenTable()));
            Assert.Equal((ErrorIds.ListenerTableUnavailable, ProblemKind.ReadError), (ex.ErrorId, ex.Kind));
        }
    }
}
