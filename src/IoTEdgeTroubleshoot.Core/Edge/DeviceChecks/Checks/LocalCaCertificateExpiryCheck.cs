using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using IoTEdgeTroubleshoot.Edge.Config;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks
{
    /// <summary>
    /// aziotctl check's local-ca-certificate-expiry (1.2+): the CA certificate of [cert_issuance.local_ca], which
    /// aziot-certd uses to issue the device's certificates locally. Devices without a local CA are Skipped.
    /// </summary>
    public sealed class LocalCaCertificateExpiryCheck : IDeviceCheck
    {
        public const string CheckId = "local-ca-certificate-expiry";

        public string Id => CheckId;

        public string Description => "production readiness: local CA certificate expiry";

        public DeviceCheckCategory Category => DeviceCheckCategory.Configuration;

        public Task<IReadOnlyList<IoTEdgeCheckResult>> RunAsync(DeviceCheckContext context, CancellationToken cancellationToken) =>
            DeviceCheckResults.OnWorker(() => Run(context), cancellationToken);

        private IReadOnlyList<IoTEdgeCheckResult> Run(DeviceCheckContext context)
        {
            if (context.Generation == EdgeGeneration.V1_1) return this.One(CheckStatus.Skipped, "Skipped: IoT Edge 1.0/1.1 has no local CA (cert_issuance.local_ca is 1.2+).", context.ConfigPath);
            var document = ConfiguredCertificates.Load(context, out string? whyNot);
            if (document == null) return this.One(CheckStatus.Skipped, $"Skipped: {whyNot}.", context.ConfigPath);

            var certificate = ConfiguredCertificates.LocalCa(document);
            if (certificate == null) return this.One(CheckStatus.Skipped, "Skipped: the config has no [cert_issuance.local_ca], so no local CA certificate is used.", document.Path);
            return CertificateExpiry.OfSetting(this, context, certificate,
                $"Renew the local CA certificate from your PKI, replace '{certificate.Path}' with it (keeping the key of cert_issuance.local_ca.pk, or updating pk too), then sudo iotedge config apply; certificates it issued before are reissued as they renew.");
        }
    }
}
