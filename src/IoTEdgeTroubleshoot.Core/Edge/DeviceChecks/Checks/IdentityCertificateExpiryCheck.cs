using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks
{
    /// <summary>
    /// aziotctl check's identity-certificate-expiry (iotedge check's in 1.0/1.1): the X.509 identity certificate the
    /// device provisions with, manual or DPS. Devices that authenticate with a key have none (Skipped).
    /// </summary>
    public sealed class IdentityCertificateExpiryCheck : IDeviceCheck
    {
        public const string CheckId = "identity-certificate-expiry";

        public string Id => CheckId;

        public string Description => "production readiness: identity certificate expiry";

        public DeviceCheckCategory Category => DeviceCheckCategory.Configuration;

        public Task<IReadOnlyList<IoTEdgeCheckResult>> RunAsync(DeviceCheckContext context, CancellationToken cancellationToken) =>
            DeviceCheckResults.OnWorker(() => Run(context), cancellationToken);

        private IReadOnlyList<IoTEdgeCheckResult> Run(DeviceCheckContext context)
        {
            var document = ConfiguredCertificates.Load(context, out string? whyNot);
            if (document == null) return this.One(CheckStatus.Skipped, $"Skipped: {whyNot}.", context.ConfigPath);

            var certificate = ConfiguredCertificates.Identity(document, out string method);
            if (certificate == null)
            {
                return this.One(CheckStatus.Skipped, $"Skipped: the device does not authenticate with an X.509 certificate (method: {method}), so it has no identity certificate to expire.", document.Path);
            }

            return CertificateExpiry.OfSetting(this, context, certificate,
                $"Get a renewed identity certificate for this device from your PKI (for DPS, one that chains to the enrollment's CA; for manual provisioning, update the thumbprint or CA on the device identity in IoT Hub if it changes), replace '{certificate.Path}' with it (or point {certificate.Setting} at the new file), {CertificateExpiry.ApplyStep(document.Generation)}.",
                "; a certificate that aziot-certd issues (EST, local CA) is renewed by it and read by 'sudo aziotctl check'");
        }
    }
}
