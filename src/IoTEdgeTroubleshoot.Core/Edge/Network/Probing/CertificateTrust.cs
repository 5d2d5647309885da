using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.Network.Probing
{
    /// <summary>
    /// Full certificate validation, as the device SDKs do it: the system's verdict (chain to a trusted root,
    /// validity dates, the name) must be clean. Beyond the system's roots, only roots given here are trusted:
    /// a nested device's trust bundle (its parent's edge CA), or a test's own root. A certificate that chains
    /// to one of them is accepted only when that was the chain's sole fault; a wrong name never is. Revocation
    /// is not checked, as the device SDKs do not check it by default.
    /// </summary>
    public sealed class CertificateTrust
    {
        private static readonly Regex PemCertificate = new Regex(
            "-----BEGIN CERTIFICATE-----(?<body>[A-Za-z0-9+/=\\s]+?)-----END CERTIFICATE-----", RegexOptions.CultureInvariant);

        private readonly X509Certificate2[] _extraRoots;

        public CertificateTrust(IEnumerable<X509Certificate2> extraRoots) => _extraRoots = extraRoots.ToArray();

        public static CertificateTrust SystemOnly { get; } = new CertificateTrust(Array.Empty<X509Certificate2>());

        public IReadOnlyList<X509Certificate2> ExtraRoots => _extraRoots;

        /// <summary>The certificates of a PEM file (a trust bundle holds several).</summary>
        public static IReadOnlyList<X509Certificate2> ReadPem(string path) => PemCertificate.Matches(File.ReadAllText(path))
            .Cast<Match>()
            .Select(m => new X509Certificate2(Convert.FromBase64String(Regex.Replace(m.Groups["body"].Value, "\\s", string.Empty))))
            .ToArray();

        public CertificateTrust With(IEnumerable<X509Certificate2> moreRoots) => new CertificateTrust(_extraRoots.Concat(moreRoots));

        /// <summary>Null when the certificate is accepted for <paramref name="host"/>; otherwise why not, in words.</summary>
        internal string? Reject(string host, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (errors == SslPolicyErrors.None) return null;
            if (certificate == null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) return "the host presented no certificate";
            using var presented = new X509Certificate2(certificate);
            if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            {
                string name = presented.GetNameInfo(X509NameType.DnsName, false);
                return $"the certificate is for '{(name.Length == 0 ? presented.Subject : name)}', not '{host}'";
            }

            if (ChainsToExtraRoot(presented)) return null;
            var statuses = (chain?.ChainStatus ?? Array.Empty<X509ChainStatus>())
                .Where(s => s.Status != X509ChainStatusFlags.NoError)
                .Select(s => Describe(s.Status))
                .Distinct()
                .ToArray();
            return statuses.Length == 0 ? "the certificate chain is not valid" : "the certificate chain is not valid: " + string.Join("; ", statuses);
        }

        private bool ChainsToExtraRoot(X509Certificate2 presented)
        {
            if (_extraRoots.Length == 0) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
            chain.ChainPolicy.ExtraStore.AddRange(_extraRoots);
            chain.Build(presented);

            // Allowing an unknown authority lets the chain end in our root; any other fault (dates, usage, signature) still refuses it.
            var root = chain.ChainElements.Count == 0 ? null : chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
            bool endsInOurRoot = root != null && _extraRoots.Any(r => r.RawData.SequenceEqual(root.RawData));
            bool onlyUntrusted = chain.ChainStatus.All(s => s.Status == X509ChainStatusFlags.NoError || s.Status == X509ChainStatusFlags.UntrustedRoot);
            return endsInOurRoot && onlyUntrusted;
        }

        private static string Describe(X509ChainStatusFlags status) => status switch
        {
            X509ChainStatusFlags.UntrustedRoot => "its root is not trusted on this machine",
            X509ChainStatusFlags.PartialChain => "it does not chain to any root this machine knows",
            X509ChainStatusFlags.NotTimeValid => "it is expired or not yet valid",
            X509ChainStatusFlags.Revoked => "it is revoked",
            X509ChainStatusFlags.NotSignatureValid => "its signature is not valid",
            _ => status.ToString(),
        };
    }
}
