using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.DeviceChecks;
using IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks;
using IoTEdgeTroubleshoot.Tests.Edge.Network;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.DeviceChecks
{
    public sealed class HostLocalTimeTests
    {
        private static IoTEdgeCheckResult Check(string server, TimeSpan? timeout = null) => Checks.RunOne(new HostLocalTimeCheck(), new DeviceCheckContext
        {
            TimeServer = server,
            Timeout = timeout ?? TimeSpan.FromSeconds(5),
        });

        [Fact]
        public void A_clock_in_step_with_the_server_passes()
        {
            using var server = new LoopbackSntpServer(TimeSpan.Zero);
            var result = Check(server.Address);
            Assert.Equal(CheckStatus.Pass, result.Status);
            Assert.Equal("host-local-time", result.CheckId);
            Assert.Equal(1, server.Requests);
        }

        [Theory]
        [InlineData(30, CheckStatus.Warning, "behind")]
        [InlineData(-30, CheckStatus.Warning, "ahead of")]
        [InlineData(3 * 3600, CheckStatus.Error, "behind")]
        [InlineData(-400 * 86400, CheckStatus.Error, "ahead of")]
        [InlineData(5, CheckStatus.Pass, "behind")]
        public void The_offset_decides_by_aziotctl_s_warning_and_the_hour_error(int seconds, CheckStatus expected, string direction)
        {
            using var server = new LoopbackSntpServer(TimeSpan.FromSeconds(seconds));
            var result = Check(server.Address);
            Assert.Equal(expected, result.Status);
            Assert.Contains(direction + " the time server", result.Message);
            if (expected != CheckStatus.Pass)
            {
                Assert.Contains("timedatectl", result.Remedy);
                Assert.Equal("Restart-IoTEdgeDaemon", result.RemedyCommand);
            }
        }

        [Fact]
        public async Task The_measured_offset_is_the_servers_to_within_a_loopback_round_trip()
        {
            using var server = new LoopbackSntpServer(TimeSpan.FromSeconds(42.5));
            var readings = new List<DateTimeOffset>(); // the client's clock when it sent and when the answer came
            var offset = await SntpClient.QueryOffsetAsync(server.Address, () => Read(readings), TimeSpan.FromSeconds(5), CancellationToken.None);

            // Off by at most half the round trip (a loaded machine may hold the question or the answer a while), plus
            // the 32-bit fractions' rounding.
            var roundTrip = readings[readings.Count - 1] - readings[0];
            Assert.True(Math.Abs(offset.TotalSeconds - 42.5) <= roundTrip.TotalSeconds / 2 + 0.005, $"offset {offset.TotalSeconds} s, round trip {roundTrip.TotalSeconds} s");
            Assert.True(roundTrip < TimeSpan.FromSeconds(5), $"round trip {roundTrip}");

            static DateTimeOffset Read(List<DateTimeOffset> readings)
            {
                var now = DateTimeOffset.UtcNow;
                lock (readings) readings.Add(now);
                return now;
            }
        }

        [Fact]
        public void A_server_that_never_answers_is_a_warning_after_the_timeout_not_an_error()
        {
            using var server = new LoopbackSntpServer(_ => null);
            var watch = Stopwatch.StartNew();
            var result = Check(server.Address, TimeSpan.FromMilliseconds(400));
            watch.Stop();
            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.Contains("did not answer within 0.4 s", result.Message);
            Assert.InRange(watch.Elapsed.TotalSeconds, 0.35, 8); // far below the 10 s default: the given timeout was used, even on a loaded machine
            Assert.Equal(1, server.Requests);
        }

        [Fact]
        public void A_closed_port_is_a_warning()
        {
            int port;
            using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0))) port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
            var result = Check("127.0.0.1:" + port, TimeSpan.FromMilliseconds(500));
            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.Contains("Could not query the time server", result.Message);
        }

        [Theory]
        [InlineData(0, 4, 0, true, "kiss-o'-death 'RATE'")]
        [InlineData(3, 4, 2, true, "not synchronized")]
        [InlineData(0, 3, 2, true, "mode 3")]
        [InlineData(0, 4, 2, false, "another request")]
        public void An_unusable_answer_is_a_warning_that_says_what_was_wrong(int leap, int mode, int stratum, bool echo, string why)
        {
            using var server = new LoopbackSntpServer(request => LoopbackSntpServer.Answer(request, TimeSpan.FromHours(5), leap, mode, stratum, echo));
            var result = Check(server.Address);
            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.Contains(why, result.Message);
        }

        [Fact]
        public void A_short_answer_is_a_warning()
        {
            using var server = new LoopbackSntpServer(_ => new byte[12]);
            var result = Check(server.Address);
            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.Contains("not an SNTP packet", result.Message);
        }

        [Theory]
        [InlineData("pool.ntp.org", "pool.ntp.org", 123)]
        [InlineData("time.example:1123", "time.example", 1123)]
        [InlineData("[::1]:5123", "::1", 5123)]
        [InlineData("[::1]", "::1", 123)]
        [InlineData("::1", "::1", 123)]
        public void Time_servers_are_host_and_optional_port(string text, string host, int port)
        {
            Assert.Equal((host, port), SntpClient.ParseServer(text));
        }

        [Theory]
        [InlineData("time.example:x")]
        [InlineData("time.example:70000")]
        [InlineData("")]
        [InlineData(":123")]
        public void A_time_server_that_is_not_host_and_port_is_a_warning(string text)
        {
            var result = Check(text);
            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.Contains("Could not query", result.Message);
        }

        [Fact]
        public void The_offset_comes_from_the_four_timestamps()
        {
            // T1 = 0 s, T2 = 10.5 s, T3 = 10.6 s, T4 = 0.3 s (server clock 10.4 s ahead, 0.2 s round trip)
            var t1 = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
            ulong sent = SntpClient.ToNtp(t1);
            var packet = new byte[48];
            packet[0] = 0x24;
            packet[1] = 1;
            SntpClient.Write(packet, 24, sent);
            SntpClient.Write(packet, 32, SntpClient.ToNtp(t1.AddSeconds(10.5)));
            SntpClient.Write(packet, 40, SntpClient.ToNtp(t1.AddSeconds(10.6)));
            var offset = SntpClient.OffsetFrom(packet, sent, t1, t1.AddSeconds(0.3), "test");
            Assert.Equal(10.4, offset.TotalSeconds, 3);
            Assert.Equal(t1.AddSeconds(10.5), SntpClient.FromNtp(SntpClient.ToNtp(t1.AddSeconds(10.5))), TimeSpan.FromMilliseconds(1));
        }
    }
}
