using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTEdgeTroubleshoot.Edge.Config;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks
{
    /// <summary>
    /// iotedge check's certificates-expiry: the Edge CA certificate (1.2+, [edge_ca] cert) or device CA certificate
    /// (1.0/1.1, certificates.device_ca_cert) that signs edgeHub's and the modules' server certificates. Without one
    /// in the config, the auto-generated (quickstart) CA is checked where the runtime keeps it: 1.2+ in aziot-certd's
    /// store, 1.0/1.1 under homedir/hsm/certs; both need root to read, so this user gets Skipped with that reason.
    /// </summary>
    public sealed class EdgeCaCertificateExpiryCheck : IDeviceCheck
    {
        public const string CheckId = "certificates-expiry";

        /// <summary>Where aziot-certd keeps the certificates it made (1.2+, Linux).</summary>
        public const string CertdStore = "/var/lib/aziot/certd/certs";

        /// <summary>
        /// certd names a file after the certificate id with only its letters and digits, then a hash:
        /// the id aziot-edged gives its CA is "aziot-edged-ca".
        /// </summary>
        internal const string CertdEdgeCaPrefix = "aziotedgedca";

        /// <summary>1.0/1.1 names the quickstart device CA device_ca_alias*.cert.pem under homedir/hsm/certs.</summary>
        internal const string QuickstartDeviceCaPattern = "device_ca_alias*.cert.pem";

        private readonly string _certdStore;

        public EdgeCaCertificateExpiryCheck()
            : this(CertdStore)
        {
        }

        /// <summary>Tests point the certd store at a folder of their own.</summary>
        internal EdgeCaCertificateExpiryCheck(string certdStore) => _certdStore = certdStore;

        public string Id => CheckId;

        public string Description => "production readiness: Edge CA certificate expiry";

        public DeviceCheckCategory Category => DeviceCheckCategory.Configuration;

        public Task<IReadOnlyList<IoTEdgeCheckResult>> RunAsync(DeviceCheckContext context, CancellationToken cancellationToken) =>
            DeviceCheckResults.OnWorker(() => Run(context), cancellationToken);

        private IReadOnlyList<IoTEdgeCheckResult> Run(DeviceCheckContext context)
        {
            var document = ConfiguredCertificates.Load(context, out string? whyNot);
            if (document == null) return this.One(CheckStatus.Skipped, $"Skipped: {whyNot}.", context.ConfigPath);

            bool legacy = document.Generation == EdgeGeneration.V1_1;
            var configured = ConfiguredCertificates.EdgeCa(document);
            if (configured != null)
            {
                return CertificateExpiry.OfSetting(this, context, configured,
                    $"Issue a renewed CA certificate for this device from your PKI, replace '{configured.Path}' with it (with its key, if that changes too), {CertificateExpiry.ApplyStep(document.Generation)}; edgeHub and the modules then get new server certificates.");
            }

            if (!legacy && context.IsWindows)
            {
                return this.One(CheckStatus.Skipped, "Skipped: IoT Edge 1.2+ runs on Linux (on Windows inside the EFLOW virtual machine): run this check there.", document.Path);
            }

            string folder = legacy ? Path.Combine(Homedir(document, context), "hsm", "certs") : _certdStore;
            string pattern = legacy ? QuickstartDeviceCaPattern : CertdEdgeCaPrefix + "*";
            string? file;
            try
            {
                if (!Directory.Exists(folder))
                {
                    return this.One(CheckStatus.Skipped, $"Skipped: the config names no CA certificate, and '{folder}', where IoT Edge keeps the one it generates, does not exist yet (the runtime makes it at its first start).", folder);
                }

                file = Directory.GetFiles(folder, pattern).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException || ex is System.Security.SecurityException)
            {
                return this.One(CheckStatus.Skipped, $"Skipped: the config names no CA certificate, so IoT Edge uses the one it generates, in '{folder}', which only root can read; run elevated (sudo pwsh) to check its expiry.", folder);
            }
            catch (IOException ex)
            {
                return this.One(CheckStatus.Skipped, $"Skipped: '{folder}' could not be listed: {ex.Message}", folder);
            }

            if (file == null)
            {
                return this.One(CheckStatus.Skipped, $"Skipped: the config names no CA certificate, and '{folder}' holds no generated one ({pattern}) yet.", folder);
            }

            string remedy = legacy
                ? "Restart the IoT Edge daemon: once the quickstart device CA has expired, it makes a new one at start (iotedge check's advice). For production, give certificates.device_ca_cert a CA certificate of your own."
                : $"IoT Edge renews the CA it generates itself ([edge_ca.auto_renew]); if it has expired, delete it (sudo rm '{file}') and restart IoT Edge (sudo iotedge system restart), which makes a new one. For production, give [edge_ca] a CA certificate of your own.";
            var generated = new CertificateExpiry.Subject(legacy ? "quickstart device CA certificate" : "auto-generated Edge CA certificate", file, remedy, "Restart-IoTEdgeDaemon");
            return new[] { CertificateExpiry.Evaluate(this, generated, context.UtcNow()) };
        }

        /// <summary>1.0/1.1's homedir setting, else its default for the platform.</summary>
        private static string Homedir(EdgeConfigDocument document, DeviceCheckContext context)
        {
            string? homedir = document.ScalarValue("homedir");
            if (!string.IsNullOrWhiteSpace(homedir)) return homedir!.Trim();
            return context.IsWindows ? @"C:\ProgramData\iotedge" : "/var/lib/iotedge";
        }
    }
}
