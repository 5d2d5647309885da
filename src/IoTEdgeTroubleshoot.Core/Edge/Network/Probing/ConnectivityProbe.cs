using System;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace IoTEdgeTroubleshoot.Edge.Network.Probing
{
    /// <summary>
    /// One probe, stage by stage: resolve the name (the proxy's, through one), connect over TCP, open the
    /// proxy's tunnel, complete TLS with the target's name as SNI and validate its certificate. The whole
    /// probe has one time budget; the stage that runs out of it is the one reported as timed out.
    /// </summary>
    public static class ConnectivityProbe
    {
        public static async Task<ProbeOutcome> RunAsync(ProbeTarget target, ProbeSettings settings, CancellationToken cancellationToken)
        {
            var outcome = new ProbeOutcome(target);
            var clock = Stopwatch.StartNew();
            var stage = ProbeStage.Dns;
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            budget.CancelAfter(settings.Timeout);
            var token = budget.Token;
            Socket? socket = null;
            try
            {
                var proxy = target.Proxy;
                var addresses = await DnsStage.ResolveAsync(settings.Resolve, proxy?.Host ?? target.Host, token).ConfigureAwait(false);

                stage = ProbeStage.Tcp;
                var connected = await TcpStage.ConnectAsync(addresses, proxy?.Port ?? target.Port, token).ConfigureAwait(false);
                socket = connected.Socket;
                outcome.Address = connected.Address;

                // From here on, closing the socket is what stops a stage that waits too long.
                using (token.Register(socket.Dispose))
                using (var stream = new NetworkStream(socket, ownsSocket: false))
                {
                    if (proxy != null)
                    {
                        stage = ProbeStage.Proxy;
                        await ProxyTunnel.OpenAsync(stream, proxy, target.Host, target.Port, token).ConfigureAwait(false);
                    }

                    stage = ProbeStage.Tls;
                    outcome.CertificateIssuer = await TlsStage.HandshakeAsync(stream, target.Host, settings.Trust).ConfigureAwait(false);
                }

                token.ThrowIfCancellationRequested();
            }
            catch (Exception ex) when (budget.IsCancellationRequested)
            {
                // Ctrl+C stops the whole run; the budget running out is this probe's finding.
                if (cancellationToken.IsCancellationRequested) throw new OperationCanceledException("The probes were stopped.", ex, cancellationToken);
                outcome.FailedStage = stage;
                outcome.TimedOut = true;
                outcome.Detail = $"no answer within {settings.Timeout.TotalSeconds:0.#} s";
            }
            catch (StageFailedException ex)
            {
                outcome.FailedStage = ex.Stage;
                outcome.Detail = ex.Message;
                if (ex.Stage == ProbeStage.Certificate) outcome.CertificateIssuer = ex.Issuer;
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is SocketException)
            {
                // The far end reset or closed the connection mid-stage (a proxy that hangs up on CONNECT, say).
                outcome.FailedStage = stage;
                outcome.Detail = ex.Message;
            }
            finally
            {
                socket?.Dispose();
                outcome.LatencyMs = clock.ElapsedMilliseconds;
            }

            return outcome;
        }
    }
}
