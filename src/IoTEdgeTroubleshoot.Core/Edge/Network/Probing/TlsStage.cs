using System;
using System.IO;
using System.Net.Security;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;

namespace IoTEdgeTroubleshoot.Edge.Network.Probing
{
    /// <summary>
    /// The TLS handshake with the target's name as SNI, then the certificate's validation. A handshake that
    /// breaks is a TLS failure; a certificate that is refused is a certificate failure.
    /// </summary>
    internal static class TlsStage
    {
        // The system's choice (TLS 1.2 and 1.3) on .NET; Windows PowerShell 5.1's .NET Framework would otherwise
        // offer what powershell.exe's old target framework defaults to (TLS 1.0), which IoT Hub refuses: ask for 1.2.
        private static readonly SslProtocols Protocols =
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal) ? SslProtocols.Tls12 : SslProtocols.None;

        /// <summary>Completes the handshake and returns the issuer of the certificate presented.</summary>
        public static async Task<string?> HandshakeAsync(Stream stream, string host, CertificateTrust trust)
        {
            string? rejection = null, issuer = null;
            bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
            {
                issuer = certificate?.Issuer;
                rejection = trust.Reject(host, certificate, chain, errors);
                return rejection == null;
            }

            using var tls = new SslStream(stream, leaveInnerStreamOpen: true, Validate);
            try
            {
                await tls.AuthenticateAsClientAsync(host, null, Protocols, checkCertificateRevocation: false).ConfigureAwait(false);
            }
            catch (Exception ex) when (rejection != null)
            {
                throw new StageFailedException(ProbeStage.Certificate, rejection, ex, issuer);
            }
            catch (Exception ex) when (ex is IOException || ex is AuthenticationException)
            {
                throw new StageFailedException(ProbeStage.Tls, "the TLS handshake failed: " + Innermost(ex).Message, ex);
            }

            return issuer;
        }

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }
    }
}
