using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks
{
    /// <summary>Why an SNTP query gave no offset: the server could not be reached, or answered something unusable.</summary>
    internal sealed class SntpException : Exception
    {
        public SntpException(string message, bool unreachable)
            : base(message)
        {
            Unreachable = unreachable;
        }

        /// <summary>The name did not resolve or no answer came in time (not the device's fault: a Warning).</summary>
        public bool Unreachable { get; }
    }

    /// <summary>
    /// One SNTP (RFC 4330) query: a 48-byte client request over UDP, and the clock offset from the four
    /// timestamps, ((T2 - T1) + (T3 - T4)) / 2, where T1 and T4 are this machine's send and receive times and
    /// T2 and T3 the server's receive and transmit times. Positive: this clock is behind the server's.
    /// </summary>
    internal static class SntpClient
    {
        private const int PacketLength = 48;

        /// <summary>Seconds from 1900-01-01 (NTP's era 0) to 1970-01-01.</summary>
        private const long NtpToUnixSeconds = 2_208_988_800L;

        /// <summary>"host", "host:port", "[v6]:port" to host and port.</summary>
        public static (string Host, int Port) ParseServer(string server)
        {
            string text = (server ?? string.Empty).Trim();
            if (text.Length == 0) throw new SntpException("no time server was given", unreachable: false);
            int port = DeviceCheckThresholds.SntpPort;
            string host = text;
            if (text.StartsWith("[", StringComparison.Ordinal))
            {
                int close = text.IndexOf(']');
                if (close < 0) throw new SntpException($"'{server}' is not host[:port]", unreachable: false);
                host = text.Substring(1, close - 1);
                string rest = text.Substring(close + 1);
                if (rest.StartsWith(":", StringComparison.Ordinal)) port = Port(rest.Substring(1), server!);
            }
            else if (text.Count(c => c == ':') == 1)
            {
                int colon = text.IndexOf(':');
                host = text.Substring(0, colon);
                port = Port(text.Substring(colon + 1), server!);
            }

            if (host.Length == 0) throw new SntpException($"'{server}' has no host", unreachable: false);
            return (host, port);
        }

        /// <summary>Asks the server once; throws <see cref="SntpException"/> when there is no usable answer within <paramref name="timeout"/>.</summary>
        public static async Task<TimeSpan> QueryOffsetAsync(string server, Func<DateTimeOffset> utcNow, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var (host, port) = ParseServer(server);
            IPAddress address = await ResolveAsync(host, timeout, cancellationToken).ConfigureAwait(false);

            using var client = new UdpClient(address.AddressFamily);
            var request = new byte[PacketLength];
            request[0] = 0x23; // leap indicator 0, version 4, mode 3 (client)
            DateTimeOffset t1 = utcNow();
            ulong sent = ToNtp(t1);
            Write(request, 40, sent); // transmit timestamp: the server echoes it as the originate timestamp
            await client.SendAsync(request, request.Length, new IPEndPoint(address, port)).ConfigureAwait(false);

            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) throw new SntpException($"{host}:{port} did not answer within {timeout.TotalSeconds:0.#} s", unreachable: true);
                var receive = client.ReceiveAsync();
                var first = await Task.WhenAny(receive, Task.Delay(left, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (first != receive)
                {
                    client.Close(); // ends the pending receive
                    throw new SntpException($"{host}:{port} did not answer within {timeout.TotalSeconds:0.#} s", unreachable: true);
                }

                UdpReceiveResult answer;
                try
                {
                    answer = await receive.ConfigureAwait(false);
                }
                catch (SocketException ex)
                {
                    // ICMP port unreachable comes back as a reset on the socket
                    throw new SntpException($"{host}:{port} refused the query ({ex.SocketErrorCode})", unreachable: true);
                }

                DateTimeOffset t4 = utcNow();
                if (!answer.RemoteEndPoint.Address.Equals(address) || answer.RemoteEndPoint.Port != port) continue; // not the server's: wait on
                return OffsetFrom(answer.Buffer, sent, t1, t4, $"{host}:{port}");
            }
        }

        /// <summary>The offset a server's answer gives, after the checks RFC 4330 section 5 asks of a client.</summary>
        internal static TimeSpan OffsetFrom(byte[] packet, ulong sent, DateTimeOffset t1, DateTimeOffset t4, string server)
        {
            if (packet.Length < PacketLength) throw new SntpException($"{server} answered {packet.Length} bytes, not an SNTP packet ({PacketLength})", unreachable: false);
            int leap = packet[0] >> 6;
            int mode = packet[0] & 0x7;
            int stratum = packet[1];
            if (mode != 4 && mode != 5) throw new SntpException($"{server} answered in mode {mode}, not as a server (4)", unreachable: false);
            if (stratum == 0) throw new SntpException($"{server} refused to serve the time (kiss-o'-death '{KissCode(packet)}')", unreachable: false);
            if (leap == 3) throw new SntpException($"{server} says its own clock is not synchronized (leap indicator 3)", unreachable: false);
            if (Read(packet, 24) != sent) throw new SntpException($"{server} answered another request (its originate timestamp is not the one sent)", unreachable: false);
            ulong received = Read(packet, 32);
            ulong transmitted = Read(packet, 40);
            if (transmitted == 0) throw new SntpException($"{server} answered without a transmit timestamp", unreachable: false);

            double t2 = Seconds(received), t3 = Seconds(transmitted);
            double s1 = Seconds(ToNtp(t1)), s4 = Seconds(ToNtp(t4));
            return TimeSpan.FromSeconds(((t2 - s1) + (t3 - s4)) / 2);
        }

        /// <summary>A time as a 64-bit NTP timestamp (seconds since 1900 and a binary fraction).</summary>
        internal static ulong ToNtp(DateTimeOffset time)
        {
            long ticks = time.UtcTicks - new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
            ulong seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
            ulong fraction = (ulong)((ticks % TimeSpan.TicksPerSecond) * 0x1_0000_0000L / TimeSpan.TicksPerSecond);
            return (seconds << 32) | fraction;
        }

        internal static DateTimeOffset FromNtp(ulong stamp) =>
            new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks((long)((stamp >> 32) * TimeSpan.TicksPerSecond) + (long)((stamp & 0xFFFF_FFFF) * TimeSpan.TicksPerSecond >> 32));

        internal static void Write(byte[] packet, int offset, ulong value)
        {
            for (int i = 7; i >= 0; i--)
            {
                packet[offset + i] = (byte)value;
                value >>= 8;
            }
        }

        internal static ulong Read(byte[] packet, int offset)
        {
            ulong value = 0;
            for (int i = 0; i < 8; i++) value = (value << 8) | packet[offset + i];
            return value;
        }

        private static double Seconds(ulong stamp) => (stamp >> 32) + (stamp & 0xFFFF_FFFF) / 4294967296.0;

        private static string KissCode(byte[] packet) => new string(packet.Skip(12).Take(4).Select(b => b >= 0x20 && b < 0x7F ? (char)b : '?').ToArray());

        private static int Port(string text, string server) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port > 0 && port <= 65535
                ? port
                : throw new SntpException($"'{server}' has no valid port after the colon", unreachable: false);

        private static async Task<IPAddress> ResolveAsync(string host, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (IPAddress.TryParse(host, out var literal)) return literal;
            var lookup = System.Net.Dns.GetHostAddressesAsync(host);
            var first = await Task.WhenAny(lookup, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (first != lookup) throw new SntpException($"the name '{host}' did not resolve within {timeout.TotalSeconds:0.#} s", unreachable: true);
            IPAddress[] addresses;
            try
            {
                addresses = await lookup.ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                throw new SntpException($"the name '{host}' does not resolve ({ex.Message})", unreachable: true);
            }

            return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                ?? throw new SntpException($"the name '{host}' resolves to no address", unreachable: true);
        }
    }
}
