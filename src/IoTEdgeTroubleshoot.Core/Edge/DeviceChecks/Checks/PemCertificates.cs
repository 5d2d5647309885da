using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks
{
    /// <summary>
    /// The certificates of a PEM file (a chain: the device's certificate first), decoded by hand because
    /// netstandard2.0 has no PEM reader; a file without PEM markers is tried as one DER certificate.
    /// </summary>
    internal static class PemCertificates
    {
        private const string Begin = "-----BEGIN CERTIFICATE-----";
        private const string End = "-----END CERTIFICATE-----";

        /// <summary>The certificates in the file's bytes, in file order; throws <see cref="FormatException"/> when there is none that decodes.</summary>
        public static IReadOnlyList<X509Certificate2> Decode(byte[] bytes)
        {
            string text = Encoding.ASCII.GetString(bytes);
            var certificates = new List<X509Certificate2>();
            int at = 0;
            while ((at = text.IndexOf(Begin, at, StringComparison.Ordinal)) >= 0)
            {
                int body = at + Begin.Length;
                int end = text.IndexOf(End, body, StringComparison.Ordinal);
                if (end < 0) throw new FormatException($"certificate {certificates.Count + 1} has no '{End}' line");
                byte[] der;
                try
                {
                    der = Convert.FromBase64String(text.Substring(body, end - body)); // base64 decoding skips the line breaks
                }
                catch (FormatException)
                {
                    throw new FormatException($"certificate {certificates.Count + 1} is not valid base64");
                }

                certificates.Add(Load(der, certificates.Count + 1));
                at = end + End.Length;
            }

            if (certificates.Count > 0) return certificates;
            if (text.IndexOf("-----BEGIN", StringComparison.Ordinal) >= 0) throw new FormatException("the file holds PEM blocks but no CERTIFICATE block (a key or a request?)");
            if (bytes.Length > 0 && bytes[0] == 0x30) return new[] { Load(bytes, 1) }; // DER: an ASN.1 SEQUENCE
            throw new FormatException("the file holds no certificate (no '" + Begin + "' line)");
        }

        /// <summary>
        /// The certificates of the file at <paramref name="path"/>. A named pipe, socket or device is not opened (a pipe
        /// blocks until something writes into it, /dev/zero never ends): that is a <see cref="FormatException"/> too.
        /// </summary>
        public static IReadOnlyList<X509Certificate2> Read(string path)
        {
            string? notRegular = Hub.LogFileFinder.NotRegular(path);
            if (notRegular != null) throw new FormatException("it " + notRegular);
            return Decode(File.ReadAllBytes(path));
        }

        private static X509Certificate2 Load(byte[] der, int number)
        {
            try
            {
                return new X509Certificate2(der);
            }
            catch (CryptographicException ex)
            {
                throw new FormatException($"certificate {number} does not decode: {ex.Message}");
            }
        }
    }
}
