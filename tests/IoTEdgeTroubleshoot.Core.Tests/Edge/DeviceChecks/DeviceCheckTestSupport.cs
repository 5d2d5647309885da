using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.DeviceChecks;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.DeviceChecks
{
    /// <summary>Certificates made at run time (never committed), valid over the times a test needs.</summary>
    internal static class TestCertificates
    {
        public static X509Certificate2 Make(DateTimeOffset notBefore, DateTimeOffset notAfter, string subject = "CN=test-device")
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            return request.CreateSelfSigned(notBefore, notAfter);
        }

        public static string Pem(params X509Certificate2[] certificates) => string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n"));
    }

    internal static class Checks
    {
        /// <summary>Runs a check the way the runner will, and returns its only result.</summary>
        public static IoTEdgeCheckResult RunOne(IDeviceCheck check, DeviceCheckContext context)
        {
            var results = check.RunAsync(context, CancellationToken.None).GetAwaiter().GetResult();
            var result = Assert.Single(results);
            Assert.False(string.IsNullOrWhiteSpace(result.Message));
            Assert.Equal(check.Description, result.Description);
            return result;
        }
    }

    /// <summary>A fact for what only an unprivileged user sees (root reads every file): skipped, with the reason, when the tests run as root.</summary>
    public sealed class UnprivilegedFactAttribute : FactAttribute
    {
        public UnprivilegedFactAttribute()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) Skip = "needs Linux";
            else if (geteuid() == 0) Skip = "needs an unprivileged user (as root every file is readable)";
        }

        [DllImport("libc")]
        private static extern uint geteuid();
    }
}
