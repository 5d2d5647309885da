using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.Config;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks
{
    /// <summary>
    /// The verdict on one certificate file, as aziotctl check and iotedge check give it: not yet valid or
    /// expired is an Error, expiring within <see cref="DeviceCheckThresholds.CertificateRenewalWindow"/> a
    /// Warning. A file this user cannot read is Skipped (certificate stores need root), never an error.
    /// </summary>
    internal static class CertificateExpiry
    {
        /// <summary>What to say and do for one certificate: its name for messages, and the fix in words and as a command.</summary>
        internal sealed class Subject
        {
            public Subject(string name, string path, string remedy, string? remedyCommand)
            {
                Name = name;
                Path = path;
                Remedy = remedy;
                RemedyCommand = remedyCommand;
            }

            public string Name { get; }

            public string Path { get; }

            public string Remedy { get; }

            public string? RemedyCommand { get; }

            /// <summary>Where the config names it, for a missing file.</summary>
            public Platform.FilePosition? Setting { get; set; }

            /// <summary>The setting's name, for a missing file.</summary>
            public string? SettingName { get; set; }
        }

        /// <summary>
        /// The verdict on a certificate a config setting names (Skipped when its value is not a file, with
        /// <paramref name="notAFile"/> said after why); the fix is <paramref name="remedy"/> and a restart.
        /// </summary>
        public static IReadOnlyList<IoTEdgeCheckResult> OfSetting(IDeviceCheck check, DeviceCheckContext context, ConfiguredCertificate certificate, string remedy, string? notAFile = null)
        {
            if (certificate.Path == null)
            {
                return new[] { check.Result(CheckStatus.Skipped, $"Skipped: {certificate.Setting} is '{certificate.Value}', not a file:// path{notAFile}.", position: certificate.Position) };
            }

            var subject = new Subject(certificate.Name, certificate.Path, remedy, "Restart-IoTEdgeDaemon")
            {
                Setting = certificate.Position,
                SettingName = certificate.Setting,
            };
            return new[] { Evaluate(check, subject, context.UtcNow()) };
        }

        /// <summary>How a changed certificate file takes effect, in the generation's words.</summary>
        public static string ApplyStep(EdgeGeneration generation) => generation == EdgeGeneration.V1_1
            ? "then restart the IoT Edge daemon"
            : "then restart IoT Edge (sudo iotedge system restart; after a path change, sudo iotedge config apply)";

        public static IoTEdgeCheckResult Evaluate(IDeviceCheck check, Subject subject, DateTimeOffset now)
        {
            System.Security.Cryptography.X509Certificates.X509Certificate2 certificate;
            try
            {
                certificate = PemCertificates.Read(subject.Path).First();
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                string where = subject.SettingName == null ? string.Empty : $" named by {subject.SettingName}";
                return check.Result(CheckStatus.Error, $"The {subject.Name} '{subject.Path}'{where} does not exist, so IoT Edge cannot use it.",
                    remedy: $"Put the certificate at '{subject.Path}', or point {subject.SettingName ?? "the setting"} at the file that holds it, then apply the config (1.2+: sudo iotedge config apply; 1.0/1.1: restart the daemon).",
                    position: subject.Setting, path: subject.Path);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException || ex is System.Security.SecurityException)
            {
                return check.Result(CheckStatus.Skipped, $"Skipped: the {subject.Name} '{subject.Path}' cannot be read by this user; run elevated (sudo pwsh, or PowerShell as Administrator) to check its expiry.", path: subject.Path);
            }
            catch (IOException ex)
            {
                return check.Result(CheckStatus.Skipped, $"Skipped: the {subject.Name} '{subject.Path}' could not be read: {ex.Message}", path: subject.Path);
            }
            catch (FormatException ex)
            {
                return check.Result(CheckStatus.Error, $"The {subject.Name} '{subject.Path}' is not a certificate IoT Edge can read: {ex.Message}.",
                    path: subject.Path, remedy: "Give a PEM file whose first block is the device's certificate (-----BEGIN CERTIFICATE-----), followed by its chain.");
            }

            using (certificate)
            {
                var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
                var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
                string who = $"The {subject.Name} '{subject.Path}' ({certificate.Subject})";
                if (notBefore > now)
                {
                    return check.Result(CheckStatus.Error, $"{who} is not valid before {Time(notBefore)}, which is still ahead; either the certificate was issued for later or this device's clock is behind (see host-local-time).",
                        path: subject.Path, remedy: "Check the device's clock first (timedatectl; enable NTP). If the clock is right, use a certificate that is valid now. " + subject.Remedy, remedyCommand: subject.RemedyCommand);
                }

                if (notAfter <= now)
                {
                    return check.Result(CheckStatus.Error, $"{who} expired on {Time(notAfter)} ({Days(now - notAfter)} ago): IoT Edge fails TLS with it.",
                        path: subject.Path, remedy: subject.Remedy, remedyCommand: subject.RemedyCommand);
                }

                var left = notAfter - now;
                if (left < DeviceCheckThresholds.CertificateRenewalWindow)
                {
                    return check.Result(CheckStatus.Warning, $"{who} expires on {Time(notAfter)}, in {Days(left)}; renew it before then.",
                        path: subject.Path, remedy: subject.Remedy, remedyCommand: subject.RemedyCommand);
                }

                return check.Result(CheckStatus.Pass, $"{who} is valid until {Time(notAfter)} ({Days(left)} left).", path: subject.Path);
            }
        }

        private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

        private static string Days(TimeSpan span) => span.TotalDays >= 1
            ? ((int)span.TotalDays).ToString(CultureInfo.InvariantCulture) + (((int)span.TotalDays) == 1 ? " day" : " days")
            : ((int)Math.Max(0, span.TotalHours)).ToString(CultureInfo.InvariantCulture) + " hours";
    }
}
