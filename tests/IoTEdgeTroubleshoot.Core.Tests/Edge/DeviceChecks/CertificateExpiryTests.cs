using System;
using System.IO;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.DeviceChecks;
using IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks;
using IoTEdgeTroubleshoot.Tests.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.DeviceChecks
{
    /// <summary>identity-certificate-expiry, certificates-expiry (Edge CA / device CA) and local-ca-certificate-expiry against real files.</summary>
    public sealed class CertificateExpiryTests : IDisposable
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        private readonly TempFolder _folder = new TempFolder();

        public void Dispose() => _folder.Dispose();

        private string Certificate(string name, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
            _folder.Write(name, TestCertificates.Pem(TestCertificates.Make(notBefore, notAfter)));

        private DeviceCheckContext Context(string config, EdgeGeneration generation = EdgeGeneration.V1_2, string name = "config.toml") => new DeviceCheckContext
        {
            Generation = generation,
            ConfigPath = _folder.Write(name, config),
            UtcNow = () => Now,
            IsWindows = false,
        };

        private static string ManualX509(string certificate) =>
            "hostname = \"edge\"\n\n[provisioning]\nsource = \"manual\"\niothub_hostname = \"hub.azure-devices.net\"\ndevice_id = \"dev1\"\n\n[provisioning.authentication]\nmethod = \"x509\"\n"
            + $"identity_cert = \"file://{certificate}\"\nidentity_pk = \"file:///var/secrets/id.key.pem\"\n";

        [Fact]
        public void A_valid_identity_certificate_passes_and_names_its_expiry()
        {
            string cert = Certificate("id.pem", Now.AddDays(-30), Now.AddDays(300));
            var result = Checks.RunOne(new IdentityCertificateExpiryCheck(), Context(ManualX509(cert)));
            Assert.Equal(CheckStatus.Pass, result.Status);
            Assert.Equal("identity-certificate-expiry", result.CheckId);
            Assert.Contains("Manual identity certificate", result.Message);
            Assert.Contains("300 days left", result.Message);
            Assert.Equal(cert, result.Path);
        }

        [Fact]
        public void An_identity_certificate_inside_the_renewal_window_is_a_warning_with_the_restart_remedy()
        {
            string cert = Certificate("id.pem", Now.AddDays(-30), Now.AddDays(3));
            var result = Checks.RunOne(new IdentityCertificateExpiryCheck(), Context(ManualX509(cert)));
            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.Contains("in 3 days", result.Message);
            Assert.Equal("Restart-IoTEdgeDaemon", result.RemedyCommand);
            Assert.Contains("iotedge config apply", result.Remedy);
        }

        [Theory]
        [InlineData(7 * 24 * 60 + 1, CheckStatus.Pass)]
        [InlineData(7 * 24 * 60 - 1, CheckStatus.Warning)]
        public void The_renewal_window_is_seven_days_as_aziotctl_has_it(int minutesLeft, CheckStatus expected)
        {
            Assert.Equal(TimeSpan.FromDays(7), DeviceCheckThresholds.CertificateRenewalWindow);
            string cert = Certificate("id.pem", Now.AddDays(-30), Now.AddMinutes(minutesLeft));
            Assert.Equal(expected, Checks.RunOne(new IdentityCertificateExpiryCheck(), Context(ManualX509(cert))).Status);
        }

        [Fact]
        public void An_expired_identity_certificate_is_an_error()
        {
            string cert = Certificate("id.pem", Now.AddDays(-400), Now.AddDays(-2));
            var result = Checks.RunOne(new IdentityCertificateExpiryCheck(), Context(ManualX509(cert)));
            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.Contains("expired on", result.Message);
            Assert.Contains("2 days ago", result.Message);
            Assert.Equal("Restart-IoTEdgeDaemon", result.RemedyCommand);
        }

        [Fact]
        public void A_certificate_not_yet_valid_is_an_error_that_points_at_the_clock()
        {
            string cert = Certificate("id.pem", Now.AddDays(2), Now.AddDays(300));
            var result = Checks.RunOne(new IdentityCertificateExpiryCheck(), Context(ManualX509(cert)));
            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.Contains("not valid before", result.Message);
            Assert.Contains("clock", result.Remedy);
        }

        [Fact]
        public void Only_the_first_certificate_of_a_chain_counts()
        {
            var leaf = TestCertificates.Make(Now.AddDays(-400), Now.AddDays(-1), "CN=leaf");
            var issuer = TestCertificates.Make(Now.AddDays(-400), Now.AddDays(4000), "CN=issuer");
            string cert = _folder.Write("chain.pem", TestCertificates.Pem(leaf, issuer));
            var result = Checks.RunOne(new IdentityCertificateExpiryCheck(), Context(ManualX509(cert)));
            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.Contains("CN=leaf", result.Message);
        }

        [Fact]
        public void A_DER_certificate_is_read_too()
        {
            string path = Path.Combine(_folder.Path, "id.der");
            File.WriteAllBytes(path, TestCertificates.Make(Now.AddDays(-1), Now.AddDays(100)).RawData);
            Assert.Equal(CheckStatus.Pass, Checks.RunOne(new IdentityCertificateExpiryCheck(), Context(ManualX509(path))).Status);
        }

        [Fact]
        public void A_missing_certificate_file_is_an_error_at_the_setting_line()
        {
            string missing = Path.Combine(_folder.Path, "nowhere", "id.pem");
            var result = Checks.RunOne(new IdentityCertificateExpiryCheck(), Context(ManualX509(missing)));
            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.Contains("does not exist", result.Message);
            Assert.Contains("provisioning.authentication.identity_cert", result.Message);
            Assert.EndsWith("config.toml", result.Path);
            Assert.Equal(10, result.Line);
            Assert.Equal(1, result.Column);
        }

        [Theory]
        [InlineData("-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n", "no CERTIFICATE block")]
        [InlineData("-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n", "not valid base64")]
        [InlineData("-----BEGIN CERTIFICATE-----\nMIIB\n", "has no '-----END CERTIFICATE-----' line")]
        [InlineData("-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n", "does not decode")]
        [InlineData("hello", "holds no certificate")]
        [InlineData("", "holds no certificate")]
        public void A_file_that_is_not_a_certificate_is_an_error_saying_why(string content, string why)
        {
            string path = _folder.Write("bad.pem", content);
            var result = Checks.RunOne(new IdentityCertificateExpiryCheck(), Context(ManualX509(path)));
            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.Contains(why, result.Message);
        }

        [Fact]
        public void A_certificate_path_the_user_cannot_open_is_skipped_not_an_error()
        {
            // a folder where the file should be: the operating system refuses to open it as a file
            string folder = Path.Combine(_folder.Path, "id.pem");
            Directory.CreateDirectory(folder);
            var result = Checks.RunOne(new IdentityCertificateExpiryCheck(), Context(ManualX509(folder)));
            Assert.Equal(CheckStatus.Skipped, result.Status);
            Assert.Contains("cannot be read by this user", result.Message);
        }

        [MachineFact]
        public void A_named_pipe_as_the_certificate_path_is_an_error_at_once_not_a_read_that_waits_for_a_writer()
        {
            string fifo = Path.Combine(_folder.Path, "id.pem");
            Assert.Equal(0, Machine.Run("mkfifo", fifo));
            var run = System.Threading.Tasks.Task.Run(() => Checks.RunOne(new IdentityCertificateExpiryCheck(), Context(ManualX509(fifo))));
            Assert.True(run.Wait(TimeSpan.FromSeconds(10)), "the check waited on the named pipe");
            Assert.Equal(CheckStatus.Error, run.Result.Status);
            Assert.Contains("named pipe", run.Result.Message);
        }

        [MachineFact]
        public void A_named_pipe_in_place_of_config_toml_is_not_opened_so_the_check_is_skipped_at_once()
        {
            string fifo = Path.Combine(_folder.Path, "config.toml");
            Assert.Equal(0, Machine.Run("mkfifo", fifo));
            var context = new DeviceCheckContext { Generation = EdgeGeneration.V1_2, ConfigPath = fifo, UtcNow = () => Now, IsWindows = false };
            var run = System.Threading.Tasks.Task.Run(() => Checks.RunOne(new IdentityCertificateExpiryCheck(), context));
            Assert.True(run.Wait(TimeSpan.FromSeconds(10)), "the check waited on the named pipe");
            Assert.Equal(CheckStatus.Skipped, run.Result.Status);
            Assert.Contains("named pipe", run.Result.Message);
        }

        [MachineFact]
        public void A_device_that_never_ends_as_the_certificate_path_is_an_error_not_read()
        {
            // /dev/zero read to its end would take all the memory there is
            var run = System.Threading.Tasks.Task.Run(() => Checks.RunOne(new IdentityCertificateExpiryCheck(), Context(ManualX509("/dev/zero"))));
            Assert.True(run.Wait(TimeSpan.FromSeconds(10)), "the check read the device");
            Assert.Equal(CheckStatus.Error, run.Result.Status);
            Assert.Contains("character device", run.Result.Message);
        }

        [UnprivilegedFact]
        public void A_certificate_only_root_can_read_is_skipped_with_that_reason()
        {
            if (!OperatingSystem.IsLinux()) return; // the fact is skipped elsewhere
            string cert = Certificate("id.pem", Now.AddDays(-1), Now.AddDays(100));
            File.SetUnixFileMode(cert, UnixFileMode.None);
            var result = Checks.RunOne(new IdentityCertificateExpiryCheck(), Context(ManualX509(cert)));
            Assert.Equal(CheckStatus.Skipped, result.Status);
            Assert.Contains("run elevated", result.Message);
        }

        [Fact]
        public void DPS_X509_attestation_is_read_from_provisioning_attestation()
        {
            string cert = Certificate("dps.pem", Now.AddDays(-1), Now.AddDays(2));
            string config = "[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://global.azure-devices-provisioning.net\"\nid_scope = \"0ne00000000\"\n\n"
                + $"[provisioning.attestation]\nmethod = \"x509\"\nregistration_id = \"dev1\"\nidentity_cert = \"file://{cert}\"\nidentity_pk = \"file:///k.pem\"\n";
            var result = Checks.RunOne(new IdentityCertificateExpiryCheck(), Context(config));
            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.Contains("DPS identity certificate", result.Message);
        }

        [Theory]
        [InlineData("[provisioning]\nsource = \"manual\"\nconnection_string = \"HostName=h;DeviceId=d;SharedAccessKey=c2VjcmV0c2VjcmV0\"\n", "connection string")]
        [InlineData("[provisioning]\nsource = \"dps\"\n[provisioning.attestation]\nmethod = \"symmetric_key\"\n", "symmetric_key")]
        [InlineData("[provisioning]\nsource = \"dps\"\n[provisioning.attestation]\nmethod = \"tpm\"\n", "tpm")]
        public void A_device_without_an_X509_identity_is_skipped_and_no_key_is_shown(string config, string method)
        {
            var result = Checks.RunOne(new IdentityCertificateExpiryCheck(), Context(config));
            Assert.Equal(CheckStatus.Skipped, result.Status);
            Assert.Contains(method, result.Message);
            Assert.DoesNotContain("c2VjcmV0", result.Message);
        }

        [Fact]
        public void An_identity_certificate_issued_by_EST_is_skipped_at_its_setting()
        {
            string config = "[provisioning]\nsource = \"manual\"\n[provisioning.authentication]\nmethod = \"x509\"\nidentity_cert = \"est-id\"\n";
            var result = Checks.RunOne(new IdentityCertificateExpiryCheck(), Context(config));
            Assert.Equal(CheckStatus.Skipped, result.Status);
            Assert.Contains("not a file:// path", result.Message);
            Assert.Equal(5, result.Line);
        }

        [Fact]
        public void The_1_1_config_yaml_is_read_for_its_manual_X509_identity()
        {
            string cert = Certificate("id.pem", Now.AddDays(-1), Now.AddDays(-0.5));
            string yaml = "provisioning:\n  source: \"manual\"\n  authentication:\n    method: \"x509\"\n    iothub_hostname: \"hub.azure-devices.net\"\n    device_id: \"dev1\"\n"
                + $"    identity_cert: \"file://{cert}\"\n    identity_pk: \"file:///k.pem\"\nhostname: \"edge\"\n";
            var result = Checks.RunOne(new IdentityCertificateExpiryCheck(), Context(yaml, EdgeGeneration.V1_1, "config.yaml"));
            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.Contains("restart the IoT Edge daemon", result.Remedy);
        }

        [Fact]
        public void A_missing_or_malformed_config_makes_the_check_skipped_not_failed()
        {
            var missing = new DeviceCheckContext { ConfigPath = Path.Combine(_folder.Path, "absent.toml"), UtcNow = () => Now };
            var skipped = Checks.RunOne(new IdentityCertificateExpiryCheck(), missing);
            Assert.Equal(CheckStatus.Skipped, skipped.Status);
            Assert.Contains("does not exist", skipped.Message);

            var malformed = Checks.RunOne(new EdgeCaCertificateExpiryCheck(), Context("[provisioning\nsource = "));
            Assert.Equal(CheckStatus.Skipped, malformed.Status);
            Assert.Contains("not well-formed TOML", malformed.Message);
        }

        [Fact]
        public void An_Edge_CA_certificate_of_the_config_is_checked_with_its_renewal_remedy()
        {
            string cert = Certificate("ca.pem", Now.AddDays(-1), Now.AddDays(5));
            var result = Checks.RunOne(new EdgeCaCertificateExpiryCheck(), Context($"[edge_ca]\ncert = \"file://{cert}\"\npk = \"file:///ca.key.pem\"\n"));
            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.Equal("certificates-expiry", result.CheckId);
            Assert.Contains("Edge CA certificate", result.Message);
            Assert.Equal("Restart-IoTEdgeDaemon", result.RemedyCommand);
        }

        [Fact]
        public void The_auto_generated_Edge_CA_is_read_from_the_certd_store_and_its_remedy_names_the_file()
        {
            string store = Path.Combine(_folder.Path, "certd", "certs");
            Directory.CreateDirectory(store);
            string generated = Path.Combine(store, "aziotedgedca-0f3b.cer");
            File.WriteAllText(generated, TestCertificates.Pem(TestCertificates.Make(Now.AddDays(-91), Now.AddDays(-1), "CN=iotedged workload ca")));
            File.WriteAllText(Path.Combine(store, "deviceid-77aa.cer"), TestCertificates.Pem(TestCertificates.Make(Now.AddDays(-1), Now.AddDays(300))));
            var result = Checks.RunOne(new EdgeCaCertificateExpiryCheck(store), Context("hostname = \"edge\"\n"));
            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.Contains("auto-generated Edge CA certificate", result.Message);
            Assert.Contains($"sudo rm '{generated}'", result.Remedy);
            Assert.Equal(generated, result.Path);
        }

        [Fact]
        public void No_Edge_CA_yet_in_the_store_is_skipped()
        {
            string store = Path.Combine(_folder.Path, "certs");
            var absent = Checks.RunOne(new EdgeCaCertificateExpiryCheck(store), Context("hostname = \"edge\"\n"));
            Assert.Equal(CheckStatus.Skipped, absent.Status);
            Assert.Contains("does not exist yet", absent.Message);

            Directory.CreateDirectory(store);
            var empty = Checks.RunOne(new EdgeCaCertificateExpiryCheck(store), Context("hostname = \"edge\"\n"));
            Assert.Equal(CheckStatus.Skipped, empty.Status);
            Assert.Contains("holds no generated one", empty.Message);
        }

        [UnprivilegedFact]
        public void A_certd_store_only_root_can_list_is_skipped_with_that_reason()
        {
            if (!OperatingSystem.IsLinux()) return; // the fact is skipped elsewhere
            string store = Path.Combine(_folder.Path, "certs");
            Directory.CreateDirectory(store);
            File.SetUnixFileMode(store, UnixFileMode.None);
            var result = Checks.RunOne(new EdgeCaCertificateExpiryCheck(store), Context("hostname = \"edge\"\n"));
            File.SetUnixFileMode(store, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Assert.Equal(CheckStatus.Skipped, result.Status);
            Assert.Contains("only root can read", result.Message);
        }

        [Fact]
        public void On_Windows_the_1_2_generated_Edge_CA_is_skipped_since_it_lives_in_EFLOW()
        {
            var context = Context("hostname = \"edge\"\n");
            context.IsWindows = true;
            var result = Checks.RunOne(new EdgeCaCertificateExpiryCheck(Path.Combine(_folder.Path, "certs")), context);
            Assert.Equal(CheckStatus.Skipped, result.Status);
            Assert.Contains("EFLOW", result.Message);
        }

        [Fact]
        public void The_1_1_quickstart_device_CA_is_found_under_homedir_and_restarting_the_daemon_is_the_remedy()
        {
            string certs = Path.Combine(_folder.Path, "iotedge", "hsm", "certs");
            Directory.CreateDirectory(certs);
            File.WriteAllText(Path.Combine(certs, "device_ca_alias_edge.cert.pem"), TestCertificates.Pem(TestCertificates.Make(Now.AddDays(-89), Now.AddDays(1))));
            string yaml = $"provisioning:\n  source: \"manual\"\n  device_connection_string: \"HostName=h;DeviceId=d;SharedAccessKey=a2V5\"\nhomedir: \"{Path.Combine(_folder.Path, "iotedge")}\"\n";
            var result = Checks.RunOne(new EdgeCaCertificateExpiryCheck(), Context(yaml, EdgeGeneration.V1_1, "config.yaml"));
            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.Contains("quickstart device CA certificate", result.Message);
            Assert.Contains("Restart the IoT Edge daemon", result.Remedy);
            Assert.Equal("Restart-IoTEdgeDaemon", result.RemedyCommand);
        }

        [Fact]
        public void The_1_1_device_CA_of_the_config_is_read_from_a_plain_path()
        {
            string cert = Certificate("device-ca.pem", Now.AddDays(-1), Now.AddDays(365));
            string yaml = $"certificates:\n  device_ca_cert: \"{cert}\"\n  device_ca_pk: \"/k.pem\"\n  trusted_ca_certs: \"/root.pem\"\n";
            var result = Checks.RunOne(new EdgeCaCertificateExpiryCheck(), Context(yaml, EdgeGeneration.V1_1, "config.yaml"));
            Assert.Equal(CheckStatus.Pass, result.Status);
            Assert.Contains("Device CA certificate", result.Message);
        }

        [Fact]
        public void The_local_CA_certificate_is_checked_when_cert_issuance_has_one()
        {
            string cert = Certificate("local-ca.pem", Now.AddDays(-800), Now.AddDays(-30));
            var result = Checks.RunOne(new LocalCaCertificateExpiryCheck(), Context($"[cert_issuance.local_ca]\ncert = \"file://{cert}\"\npk = \"file:///k.pem\"\n"));
            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.Equal("local-ca-certificate-expiry", result.CheckId);
            Assert.Contains("Local CA certificate", result.Message);

            Assert.Equal(CheckStatus.Skipped, Checks.RunOne(new LocalCaCertificateExpiryCheck(), Context("hostname = \"edge\"\n")).Status);
            Assert.Equal(CheckStatus.Skipped, Checks.RunOne(new LocalCaCertificateExpiryCheck(), Context("hostname: edge\n", EdgeGeneration.V1_1, "config.yaml")).Status);
        }

        [Theory]
        [InlineData("file:///var/secrets/id.pem", "/var/secrets/id.pem")]
        [InlineData("file:///var/my%20secrets/id.pem", "/var/my secrets/id.pem")]
        [InlineData("/etc/iotedge/device-ca.pem", "/etc/iotedge/device-ca.pem")]
        [InlineData("pkcs11:object=ca", null)]
        [InlineData("est-id", null)]
        [InlineData("https://example.com/ca.pem", null)]
        [InlineData("relative/ca.pem", null)]
        public void Setting_values_become_local_paths_only_when_they_name_a_file(string value, string? path)
        {
            Assert.Equal(path, ConfiguredCertificates.FilePath(value));
        }
    }
}
