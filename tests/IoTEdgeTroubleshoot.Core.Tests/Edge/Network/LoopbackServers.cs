#nullable enable // also compiled by the Pester tests (Add-Type), where nullable annotations are off by default
using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace IoTEdgeTroubleshoot.Tests.Edge.Network
{
    /// <summary>
    /// Real servers on 127.0.0.1 for the probes to meet: each kind of far end the guide's failures come
    /// from. Nothing here listens on or connects to anything but the loopback address.
    /// </summary>
    public sealed class LoopbackServer : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly List<TcpClient> _held = new List<TcpClient>();

        private LoopbackServer(Func<TcpClient, CancellationToken, Task> serve)
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = AcceptLoop(serve);
        }

        public int Port { get; }

        /// <summary>How many connections it has accepted (a test waits for the probe to arrive).</summary>
        public int Accepted
        {
            get
            {
                lock (_held) return _held.Count;
            }
        }

        /// <summary>When each connection was accepted (Stopwatch timestamps), in order.</summary>
        public IReadOnlyList<long> AcceptedAt
        {
            get
            {
                lock (_held) return _acceptedAt.ToArray();
            }
        }

        private readonly List<long> _acceptedAt = new List<long>();

        /// <summary>Accepts and never answers: the TLS stage waits until the probe's time runs out.</summary>
        public static LoopbackServer Silent() => new LoopbackServer((client, stop) => Task.Delay(Timeout.Infinite, stop));

        /// <summary>Speaks plain text, not TLS (as an HTTP server on the port would), and hangs up.</summary>
        public static LoopbackServer PlainText() => new LoopbackServer(async (client, stop) =>
        {
            var stream = client.GetStream();
            var answer = Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(answer, 0, answer.Length, stop);
            client.Client.Shutdown(SocketShutdown.Both);
        });

        /// <summary>Completes TLS with <paramref name="certificate"/>, then keeps the connection until the client closes it.</summary>
        public static LoopbackServer Tls(X509Certificate2 certificate) => new LoopbackServer(async (client, stop) =>
        {
            using var tls = new SslStream(client.GetStream());
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, stop);
                _ = await tls.ReadAsync(new byte[1], stop); // until the client closes
            }
            catch (Exception ex) when (ex is IOException || ex is System.Security.Authentication.AuthenticationException || ex is OperationCanceledException)
            {
                // The client refused the certificate, or the test ended.
            }
        });

        /// <summary>
        /// An HTTP CONNECT proxy that answers with <paramref name="status"/>; on 200 it relays to 127.0.0.1:<paramref name="relayPort"/>,
        /// whatever host was asked for. Each CONNECT line it receives is kept in <paramref name="requests"/>.
        /// </summary>
        public static LoopbackServer ConnectProxy(int relayPort, List<string> requests, string status = "200 Connection established") => new LoopbackServer(async (client, stop) =>
        {
            var stream = client.GetStream();
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, 0, 1, stop) == 1) head.Append((char)one[0]);
            lock (requests) requests.Add(head.ToString());
            var answer = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\n\r\n");
            await stream.WriteAsync(answer, 0, answer.Length, stop);
            if (!status.StartsWith("200", StringComparison.Ordinal)) return;
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(IPAddress.Loopback, relayPort, stop);
            var up = upstream.GetStream();
            await Task.WhenAny(stream.CopyToAsync(up, stop), up.CopyToAsync(stream, stop));
        });

        /// <summary>A port on 127.0.0.1 where nothing listens (it was bound a moment ago, and let go).</summary>
        public static int ClosedPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        private async Task AcceptLoop(Func<TcpClient, CancellationToken, Task> serve)
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException || ex is SocketException || ex is ObjectDisposedException)
                {
                    return;
                }

                lock (_held)
                {
                    _held.Add(client);
                    _acceptedAt.Add(System.Diagnostics.Stopwatch.GetTimestamp());
                }

                _ = Task.Run(async () =>
                {
                    try
                    {
                        await serve(client, _stop.Token);
                    }
                    catch (Exception ex) when (ex is IOException || ex is SocketException || ex is OperationCanceledException || ex is ObjectDisposedException)
                    {
                    }
                });
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_held)
            {
                foreach (var client in _held) client.Dispose();
            }
        }
    }

    /// <summary>Certificates made at run time: a root, and leaves it signs or that sign themselves.</summary>
    public static class TestCertificates
    {
        public static X509Certificate2 Root(string name = "IoTEdgeTroubleshoot Test Root")
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(30));
        }

        /// <summary>A server certificate for <paramref name="dnsName"/>, signed by <paramref name="issuer"/> (self-signed without one).</summary>
        public static X509Certificate2 Leaf(string dnsName, X509Certificate2? issuer = null, bool expired = false)
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(dnsName);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            var notBefore = expired ? DateTimeOffset.UtcNow.AddDays(-10) : DateTimeOffset.UtcNow.AddDays(-1);
            var notAfter = expired ? DateTimeOffset.UtcNow.AddDays(-2) : DateTimeOffset.UtcNow.AddDays(10);
            if (issuer == null) return request.CreateSelfSigned(notBefore, notAfter);
            var serial = new byte[8];
            RandomNumberGenerator.Fill(serial);
            using var signed = request.Create(issuer, notBefore, notAfter, serial);
            return signed.CopyWithPrivateKey(key);
        }

        public static string Pem(X509Certificate2 certificate) =>
            "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(certificate.RawData, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE-----\n";
    }

    /// <summary>
    /// A real SNTP server on 127.0.0.1: it answers each request with its clock shifted by a chosen offset, or
    /// answers wrongly, or not at all. Nothing is ever sent beyond loopback.
    /// </summary>
    public sealed class LoopbackSntpServer : IDisposable
    {
        private readonly UdpClient _socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Func<byte[], byte[]?> _answer;

        public LoopbackSntpServer(TimeSpan offset)
            : this(request => Answer(request, offset))
        {
        }

        /// <summary>A server that answers with what <paramref name="answer"/> makes of each request (null: no answer).</summary>
        public LoopbackSntpServer(Func<byte[], byte[]?> answer)
        {
            _answer = answer;
            _ = Task.Run(ServeAsync);
        }

        public int Requests;

        public string Address => "127.0.0.1:" + ((IPEndPoint)_socket.Client.LocalEndPoint!).Port;

        /// <summary>A server's answer per RFC 4330: mode 4, stratum 2, the request's transmit time echoed, receive and transmit times shifted.</summary>
        public static byte[] Answer(byte[] request, TimeSpan offset, int leap = 0, int mode = 4, int stratum = 2, bool echo = true)
        {
            var packet = new byte[48];
            packet[0] = (byte)((leap << 6) | (4 << 3) | mode);
            packet[1] = (byte)stratum;
            if (stratum == 0) Encoding.ASCII.GetBytes("RATE").CopyTo(packet, 12);
            ulong now = ToNtp(DateTimeOffset.UtcNow + offset);
            if (echo) Array.Copy(request, 40, packet, 24, 8);
            Write(packet, 32, now);
            Write(packet, 40, now);
            return packet;
        }

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                UdpReceiveResult request;
                try
                {
                    request = await _socket.ReceiveAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException || ex is ObjectDisposedException || ex is SocketException)
                {
                    return;
                }

                Interlocked.Increment(ref Requests);
                var answer = _answer(request.Buffer);
                if (answer != null) await _socket.SendAsync(answer, answer.Length, request.RemoteEndPoint);
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _socket.Dispose();
        }

        // The wire format, written here rather than borrowed from the client under test: seconds since 1900 and a
        // binary fraction, big-endian.
        private static ulong ToNtp(DateTimeOffset time)
        {
            long ticks = time.UtcTicks - new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
            ulong seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
            ulong fraction = (ulong)((ticks % TimeSpan.TicksPerSecond) * 0x100000000L / TimeSpan.TicksPerSecond);
            return (seconds << 32) | fraction;
        }

        private static void Write(byte[] packet, int offset, ulong value)
        {
            for (int i = 7; i >= 0; i--, value >>= 8) packet[offset + i] = (byte)value;
        }
    }
}
