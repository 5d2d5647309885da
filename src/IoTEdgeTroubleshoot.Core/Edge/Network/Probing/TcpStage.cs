using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace IoTEdgeTroubleshoot.Edge.Network.Probing
{
    /// <summary>Opens the TCP connection, trying each address in turn until one answers.</summary>
    internal static class TcpStage
    {
        public static async Task<(Socket Socket, IPAddress Address)> ConnectAsync(IPAddress[] addresses, int port, CancellationToken cancellationToken)
        {
            SocketException? last = null;
            IPAddress? lastAddress = null;
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    // Closing the socket is the only way to stop a connect in netstandard2.0.
                    using (cancellationToken.Register(socket.Dispose))
                    {
                        await socket.ConnectAsync(address, port).ConfigureAwait(false);
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    return (socket, address);
                }
                catch (SocketException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    socket.Dispose();
                    last = ex;
                    lastAddress = address;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }

            throw new StageFailedException(ProbeStage.Tcp, Describe(last!, lastAddress!, port), last);
        }

        private static string Describe(SocketException ex, IPAddress address, int port)
        {
            string where = Endpoint(address, port);
            return ex.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => $"{where} refused the connection (a firewall rejects port {port}, or nothing listens there)",
                SocketError.TimedOut => $"{where} did not answer (a firewall drops port {port})",
                SocketError.NetworkUnreachable or SocketError.HostUnreachable => $"{where} cannot be reached from here ({ex.SocketErrorCode}: no route; check the device's network, VPN and gateway)",
                _ => $"{where}: {ex.SocketErrorCode} ({ex.Message})",
            };
        }

        internal static string Endpoint(IPAddress address, int port) =>
            address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
    }
}
