using System;
using System.IO;
using System.Net.Security;
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
                await tls.AuthenticateAsClientAsync(host).ConfigureAwait(false);
            }
            catch (Exception ex) when (rejection != null)
            {
                throw new StageFailedException(ProbeStage.Certificate, rejection, ex, issuer);
            }
            catch (Exception ex) when (ex is IOException || ex is System.Security.Authentication.AuthenticationException)
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
