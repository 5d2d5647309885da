using System;
using System.Linq;
using System.Text;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    /// <summary>Whole secret values are hidden in every form they come in; what is not secret stays readable.</summary>
    public class SecretMaskerTests
    {
        private const string Pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsecretline1\nQ2hlY2tTZWNyZXRsaW5lMg==\n-----END RSA PRIVATE KEY-----";

        /// <summary>text, the secret parts that must be gone, the parts around them that must stay.</summary>
        public static TheoryData<string, string[], string[]> Cases => new TheoryData<string, string[], string[]>
        {
            // values with spaces or '#'
            { "password: correct horse battery staple\nhostname: edge-1", new[] { "correct", "horse", "battery", "staple" }, new[] { "password: ***", "hostname: edge-1" } },
            { "password: \"correct horse # battery\"  # the site one", new[] { "correct", "horse", "battery" }, new[] { "password: \"***\"" } },
            { "password: abc#def#ghi", new[] { "abc", "def", "ghi" }, new[] { "password: ***" } },
            { "password: 'it''s a # secret'\nport: 1", new[] { "it", "s a", "secret" }, new[] { "password: '***'", "port: 1" } },
            { "REGISTRY_PASSWORD=pass word with spaces;Server=myacr.azurecr.io", new[] { "pass word", "with spaces" }, new[] { "REGISTRY_PASSWORD=***", "Server=myacr.azurecr.io" } },
            { "{\"primaryKey\": \"abc def==\", \"deviceId\": \"d1\"}", new[] { "abc def==" }, new[] { "\"deviceId\": \"d1\"" } },
            { "\"properties\":\"{\\\"token\\\":\\\"tok en#1\\\",\\\"deviceId\\\":\\\"d1\\\"}\"", new[] { "tok en#1" }, new[] { "d1" } },
            { "attestation: { method: \"symmetric_key\", registration_id: \"r1\", symmetric_key: abc def== }", new[] { "abc def==" }, new[] { "registration_id: \"r1\"", "}" } },
            { "symmetric_key = { value = \"abc def==\" }\ndevice_id_pk = { value = \"ghi jkl==\" }", new[] { "abc def==", "ghi jkl==" }, new[] { "symmetric_key = ***", "device_id_pk = ***" } },
            { "password: |\n  first secret line\n  second # line\nhostname: edge-1", new[] { "first secret", "second # line" }, new[] { "password: |\n  ***\n  ***\nhostname: edge-1" } },
            { "HostName=hub.azure-devices.net;DeviceId=d1;SharedAccessKey=abc def # ghi==", new[] { "abc def", "ghi==" }, new[] { "HostName=hub.azure-devices.net;DeviceId=d1;SharedAccessKey=***" } },

            // PEM private keys pasted into a setting
            { "trust_material: |\n  " + Pem.Replace("\n", "\n  ") + "\nhostname: edge-1", new[] { "MIIEowIBAAKCAQEAsecretline1", "Q2hlY2tTZWNyZXRsaW5lMg==" }, new[] { "-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----", "hostname: edge-1" } },
            { "identity_cert_key: \"" + Pem.Replace("\n", "\\n") + "\"", new[] { "MIIEowIBAAKCAQEAsecretline1", "Q2hlY2tTZWNyZXRsaW5lMg==" }, Array.Empty<string>() },
            { "edge_ca: " + Pem.Replace("RSA ", "EC ").Replace("\n", "\\n"), new[] { "MIIEowIBAAKCAQEAsecretline1" }, new[] { "-----BEGIN EC PRIVATE KEY-----***-----END EC PRIVATE KEY-----" } },
            { "cert:\n-----BEGIN PRIVATE KEY-----\nMIIEvQcutoffsecret\nAAAAcutoff2", new[] { "MIIEvQcutoffsecret", "AAAAcutoff2" }, new[] { "-----BEGIN PRIVATE KEY-----" } },

            // passwords in URIs
            { "upstream: amqps://user:pass@host.example.com:5671", new[] { "pass@" }, new[] { "amqps://user:***@host.example.com:5671" } },
            { "https_proxy=https://proxyuser:p@ss:w0rd@proxy.contoso.com:3128 and more", new[] { "p@ss", "w0rd" }, new[] { "https://proxyuser:***@proxy.contoso.com:3128 and more" } },
            { "connect to mqtts://dev:s3cr3t@10.0.0.4:8883/path failed", new[] { "s3cr3t" }, new[] { "mqtts://dev:***@10.0.0.4:8883/path failed" } },

            // SAS tokens, also inside error messages
            { "The TimeGenerated value 'SharedAccessSignature sr=hub.azure-devices.net%2Fdevices%2Fd1&sig=Zm9vYmFy%2BsigSecret%3D&se=1700000000&skn=iothubowner' is not a date.", new[] { "sigSecret", "Zm9vYmFy", "1700000000" }, new[] { "The TimeGenerated value 'SharedAccessSignature ***' is not a date." } },
            { "Authorization: SharedAccessSignature%20sr%3Dhub%26sig%3DencodedSecret%26se%3D1", new[] { "encodedSecret" }, new[] { "Authorization: SharedAccessSignature%20***" } },
            // A SAS URL: the whole query (permissions, expiry, signature), not only sig=; the container stays readable.
            { "https://acct.blob.core.windows.net/logs?sv=2022-11-02&se=2026-12-01&sig=blobSig%2Bsecret&sp=rw", new[] { "blobSig", "sp=rw", "se=2026" }, new[] { "https://acct.blob.core.windows.net/logs?***" } },
            { "Upload to 'https://acct.blob.core.windows.net/bundles/x?sig=first&sv=2022' failed; see https://aka.ms/iotedge-bundle?view=1.", new[] { "first", "sv=2022" }, new[] { "'https://acct.blob.core.windows.net/bundles/x?***' failed", "https://aka.ms/iotedge-bundle?view=1." } },
            { "{\"sasUrl\":\"https://acct.blob.core.windows.net/c?sp=w&sig=jsonSig%3D\"}", new[] { "jsonSig", "sp=w" }, new[] { "{\"sasUrl\":\"https://acct.blob.core.windows.net/c?***\"}" } },
            { "Authorization: Bearer eyJhbGciOi.eyJzdWIi.signature_part", new[] { "eyJhbGciOi", "signature_part" }, new[] { "Authorization: Bearer ***" } },

            // a PKCS#11 URI's PIN (config.toml's pkcs11_base_slot and a pkcs11: identity_pk), whatever the setting's name
            { "pkcs11_base_slot = \"pkcs11:slot-id=0?pin-value=1234\"", new[] { "1234" }, new[] { "pkcs11:slot-id=0?pin-value=***\"" } },
            { "opened pkcs11:token=Key%20pairs;object=device-id?pin-value=s3cret&module-name=softhsm for the device", new[] { "s3cret" }, new[] { "?pin-value=***&module-name=softhsm for the device" } },
        };

        [Theory]
        [InlineData("SharedAccessKey", true)]
        [InlineData("pk", true)]
        [InlineData("db_password", true)]
        [InlineData("EdgeHubConnectionString", true)]
        [InlineData("RuntimeLogLevel", false)]
        [InlineData("HostPort", false)]
        [InlineData("KeyVaultName", false)]
        [InlineData(null, false)]
        public void NamesSecret_ReadsTheNameAlone(string? name, bool secret) => Assert.Equal(secret, SecretMasker.NamesSecret(name));

        [Theory]
        [MemberData(nameof(Cases))]
        public void WholeSecretValues_AreHidden_AndTheRestStays(string text, string[] gone, string[] kept)
        {
            string masked = SecretMasker.Mask(text);

            foreach (var secret in gone) Assert.DoesNotContain(secret, masked);
            foreach (var part in kept) Assert.Contains(part, masked);
            Assert.Equal(text.Count(c => c == '\n'), masked.Count(c => c == '\n')); // the lines stay the lines
            Assert.Equal(masked, SecretMasker.Mask(masked));
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void MayHoldSecret_IsTrueForEveryTextMaskChanges(string text, string[] gone, string[] kept)
        {
            // The log readers skip Mask when MayHoldSecret says no: it must never say no to a secret.
            Assert.NotEmpty(gone);
            Assert.NotNull(kept);
            Assert.NotEqual(text, SecretMasker.Mask(text));
            Assert.True(SecretMasker.MayHoldSecret(text));
        }

        [Theory]
        [InlineData("key: /etc/iotedge/device.key")]
        [InlineData("identity_pk: \"file:///var/secrets/device-id.key.pem\"")]
        [InlineData("pk = { uri = \"file:///var/secrets/edge-ca.key.pem\" }")]
        [InlineData("device_connection_string: \"<ADD DEVICE CONNECTION STRING HERE>\"")]
        [InlineData("-----BEGIN CERTIFICATE-----\nMIIDcertificateIsPublic\n-----END CERTIFICATE-----")]
        [InlineData("SharedAccessKeyName=iothubowner")]
        public void WhatIsNotASecret_StaysAsItIs(string text)
        {
            Assert.Equal(text, SecretMasker.Mask(text));
        }

        [Fact]
        public void ErrorsAndProblems_MaskTheirMessages()
        {
            const string token = "SharedAccessSignature sr=h%2Fdevices%2Fd&sig=problemSecret&se=1";

            var problem = new Problem(ErrorIds.MalformedLogRecord, ProblemKind.InvalidData, "f", $"The value '{token}' is bad.", position: new FilePosition("f", 2, 3));
            var exception = new TroubleshootException(ErrorIds.InvalidHostname, ProblemKind.InvalidArgument, "x", $"'password: a b # c' is bad.", new FilePosition("f", 1, 1));

            Assert.Equal("f:2:3: The value 'SharedAccessSignature ***' is bad.", problem.Message);
            Assert.Equal("f:1:1: 'password: ***' is bad.", exception.Message);
            Assert.DoesNotContain("problemSecret", problem.ToException().Message);
        }

        [Fact]
        public void MalformedRecordErrors_DoNotEchoASasToken()
        {
            const string header = "TenantId,TimeGenerated [UTC],OperationName,Level,ResultType,properties_s";
            const string row = "t,SharedAccessSignature sr=hub.azure-devices.net%2Fdevices%2Fd1&sig=echoedSecret%3D&se=1700000000,deviceConnect,Error,404104,{}";
            using var dir = new TempFolder();
            string file = dir.Write("export.csv", header + "\n" + row + "\n");
            var reporter = new CollectingReporter();

            _ = new ConnectionLogReader(new ConnectionEventFilter(), reporter).ReadFile(file, CancellationToken.None).ToList();

            var problem = Assert.Single(reporter.Problems);
            Assert.Equal(ErrorIds.MalformedLogRecord, problem.ErrorId);
            Assert.Contains("SharedAccessSignature ***", problem.Message);
            Assert.DoesNotContain("echoedSecret", problem.Message);
            Assert.DoesNotContain("echoedSecret", problem.ToException().Message);
        }

        [Fact]
        public void Diff_HidesEveryLineOfAMultiLineSecret_AndKeepsTheLineNumbers()
        {
            string before = "hostname: old\nagent:\n  pk: |\n    " + Pem.Replace("\n", "\n    ") + "\nz: 1\n";
            string after = before.Replace("hostname: old", "hostname: new") + "tail: x\n";

            string diff = ConfigEditor.Diff("config.yaml", before.Replace("z: 1", "z: 2"), after);

            Assert.DoesNotContain("secretline1", diff);
            Assert.DoesNotContain("Q2hlY2tTZWNyZXRsaW5lMg", diff);
            Assert.Contains("-hostname: old", diff);
            Assert.Contains("+hostname: new", diff);
            Assert.Contains("+    ***", diff); // the key's lines, shown masked because they lie inside the changed range
            Assert.Contains("@@ -1,8 +1,9 @@", diff);
        }

        /// <summary>Hostile text (a megabyte on one line, of the shapes the patterns look for) is masked in linear time.</summary>
        [Theory]
        [InlineData("a.")]
        [InlineData("x@")]
        [InlineData("https://a:b")]
        [InlineData("key=a;")]
        [InlineData("{ token: \"a")]
        [InlineData("-----BEGIN PRIVATE KEY-----")]
        [InlineData("SharedAccessSignature sr=")]
        [InlineData("key", "[")] // a TOML table header that never closes
        public void HostileLongLines_AreMaskedQuickly(string unit, string prefix = "")
        {
            string text = prefix + string.Concat(Enumerable.Repeat(unit, 1_000_000 / unit.Length));
            var clock = System.Diagnostics.Stopwatch.StartNew();

            string masked = SecretMasker.Mask(text);

            // A guard against backtracking that grows with the square of the length (minutes for 1 MB), not a
            // benchmark: the bound leaves room for a machine busy with other builds (3 s alone, 10 s under load).
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"{clock.Elapsed} for '{unit}'");
            Assert.DoesNotContain('\n', masked);
        }

        /// <summary>Random secrets in every form, with random neighbours: never seen again, lines kept, no exception.</summary>
        [Fact]
        public void RandomSecretsInEveryForm_AreNeverShown()
        {
            var random = new Random(20261201);
            var forms = new (string Template, string Alphabet)[]
            {
                ("password: {0}", "abcXYZ019 #:!$%-_.,"),
                ("  registry_password: \"{0}\"", "abcXYZ019 #:'!$%-_.,{}[]"),
                ("secret: '{0}'", "abcXYZ019 #:\"!$%-_.,{}[]"),
                ("\"accessToken\": \"{0}\",", "abcXYZ019 #:'!$%-_.,{}[]"),
                ("HostName=h.azure-devices.net;DeviceId=d;SharedAccessKey={0}", "abcXYZ019+/= #:!"),
                ("Endpoint=sb://x/;SharedAccessKeyName=n;SharedAccessKey={0};EntityPath=e", "abcXYZ019+/= #:!"),
                ("proxy: https://user:{0}@proxy.contoso.com:3128", "abcXYZ019@:/!$%-_.,;&=+"),
                ("SharedAccessSignature sr=hub%2Fdevices%2Fd&sig={0}&se=1", "abcXYZ019%"),
                ("api_key={0}", "abcXYZ019 #:!$%-_.,"),
                ("symmetric_key = {{ value = \"{0}\" }}", "abcXYZ019 #:!$%-_.,"),
            };

            for (int i = 0; i < 600; i++)
            {
                var (template, alphabet) = forms[random.Next(forms.Length)];
                var secret = new StringBuilder("Qz");
                for (int c = 0, n = 8 + random.Next(24); c < n; c++) secret.Append(alphabet[random.Next(alphabet.Length)]);
                secret.Append("Qz");
                string line = string.Format(template, secret);
                string text = string.Join("\n", Enumerable.Range(0, random.Next(4)).Select(_ => "other: " + random.Next()).Append(line).Concat(Enumerable.Range(0, random.Next(3)).Select(_ => "# note " + random.Next())));

                string masked = SecretMasker.Mask(text);

                Assert.True(!masked.Contains(secret.ToString().Trim()), $"'{secret}' shown in: {masked}");
                Assert.DoesNotContain(secret.ToString().Substring(0, 8), masked);
                Assert.Equal(text.Split('\n').Length, masked.Split('\n').Length);
            }
        }

        /// <summary>
        /// Precise masking: only the secret is hidden, not the rest of its line (a one-line manifest, a log sentence).
        /// text, the secrets that must be gone, the parts that must stay.
        /// </summary>
        public static TheoryData<string, string[], string[]> PreciseCases => new TheoryData<string, string[], string[]>
        {
            // a one-line deployment manifest: the passwords go, the registries, users, addresses and the modules after them stay
            {
                "{\"runtime\":{\"settings\":{\"registryCredentials\":{\"acr\":{\"address\":\"contoso.azurecr.io\",\"username\":\"contoso\",\"password\":\"p@ss w0rd,}]\\\"x\"},"
                + "\"other\":{\"username\":\"u2\",\"password\":\"Second+Secret=\",\"address\":\"r2.example.com:5000\"}}}},\"modules\":{\"m\":{\"settings\":{\"image\":\"contoso.azurecr.io/m:1\"}}}}",
                new[] { "p@ss", "w0rd", "Second+Secret" },
                new[] { "\"acr\":{\"address\":\"contoso.azurecr.io\",\"username\":\"contoso\",\"password\":\"***\"}", "\"address\":\"r2.example.com:5000\"", "\"modules\":{\"m\":{\"settings\":{\"image\":\"contoso.azurecr.io/m:1\"}}}}" }
            },
            // the same in YAML flow style, a value of any other name in it hidden too
            {
                "registryCredentials: { acr: { username: contoso, password: pass phrase, token: abc==, address: contoso.azurecr.io } } # prod",
                new[] { "pass phrase", "abc==" },
                new[] { "username: contoso, password: ***, token: ***, address: contoso.azurecr.io } } # prod" }
            },
            // a list of credentials: every item hidden
            { "\"credentials\": [\"first secret\", \"second\"], \"next\": 1", new[] { "first secret", "second" }, new[] { "\"credentials\": [\"***\", \"***\"], \"next\": 1" } },
            // an inline table under a key's name: all of it, but not the rest of the line
            { "{\"symmetric_key\": {\"value\": \"abc def==\"}, \"registration_id\": \"r1\"}", new[] { "abc def==" }, new[] { "\"symmetric_key\": ***, \"registration_id\": \"r1\"}" } },
            // a key or token named in a sentence is one word: the sentence after it stays
            { "Failed to refresh access token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIi.c2ln and will retry in 5 s", new[] { "eyJhbGciOiJIUzI1NiJ9", "c2ln" }, new[] { "access token: *** and will retry in 5 s" } },
            { "The device key = QmFzZTY0S2V5PQ== was rejected by the hub", new[] { "QmFzZTY0S2V5PQ" }, new[] { "device key = *** was rejected by the hub" } },
            // a password named in a sentence may hold spaces: the rest of its line goes
            { "Login failed with password: correct horse battery staple", new[] { "correct", "horse", "battery", "staple" }, new[] { "with password: ***" } },
            // a commented-out or listed key is a setting, not a sentence: all of its value goes
            { "# token: abc def ghi", new[] { "abc", "def", "ghi" }, new[] { "# token: ***" } },
            { "- key: abc def", new[] { "abc", "def" }, new[] { "- key: ***" } },
            // an authorization value named in a sentence: the scheme and the secret after it
            { "Failed to refresh access token: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnc2ln retrying", new[] { "eyJhbGciOiJIUzI1NiJ9", "eyJzdWIiOiIxIn0", "c2lnc2ln" }, new[] { " retrying" } },
            { "the proxy token: Basic  dXNlcjpwYXNzd29yZA== was refused", new[] { "dXNlcjpwYXNzd29yZA" }, new[] { " was refused" } },
            // a JSON Web Token anywhere, named or not
            { "request failed for eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2FwaSJ9.Zm9vYmFy (401)", new[] { "eyJ0eXAiOiJKV1Qi", "eyJhdWQiOiJodHRwczovL2FwaSJ9", "Zm9vYmFy" }, new[] { "request failed for ***", "(401)" } },
        };

        [Theory]
        [MemberData(nameof(PreciseCases))]
        public void OnlyTheSecretIsHidden_NotTheRestOfItsLine(string text, string[] gone, string[] kept)
        {
            string masked = SecretMasker.Mask(text);

            foreach (var secret in gone) Assert.DoesNotContain(secret, masked);
            foreach (var part in kept) Assert.Contains(part, masked);
            Assert.Equal(masked, SecretMasker.Mask(masked));
            Assert.True(SecretMasker.MayHoldSecret(text));
        }

        /// <summary>Random registry credentials on one line, with hostile characters in the password: never shown.</summary>
        [Fact]
        public void RandomPasswordsInAOneLineManifest_AreNeverShown()
        {
            var random = new Random(20261202);
            const string alphabet = "abcXYZ019 #:,{}[]'=!$%-_.\\\"";
            for (int i = 0; i < 400; i++)
            {
                var secret = new StringBuilder("Qz");
                for (int c = 0, n = 8 + random.Next(24); c < n; c++) secret.Append(alphabet[random.Next(alphabet.Length)]);
                secret.Append("Qz");
                string password = System.Text.Json.JsonSerializer.Serialize(secret.ToString()); // a valid JSON string, escapes included
                string text = "{\"registryCredentials\":{\"r\":{\"username\":\"u\",\"password\":" + password + ",\"address\":\"r.io\"}},\"after\":" + random.Next() + "}";

                string masked = SecretMasker.Mask(text);

                Assert.True(!masked.Contains(secret.ToString().Substring(0, 8)), $"'{secret}' shown in: {masked}");
            }
        }
    }
}

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    using IoTEdgeTroubleshoot.Platform;
    using Xunit;

    public class SecretTableMaskingTests
    {
        [Fact]
        public void A_value_under_a_key_table_of_config_toml_is_hidden_and_the_other_tables_stay()
        {
            string toml = "[provisioning.attestation]\nmethod = \"symmetric_key\"\nregistration_id = \"edge-01\"\n\n"
                + "[provisioning.attestation.symmetric_key]\r\nvalue = \"c2VjcmV0c2VjcmV0c2VjcmV0MTI=\" # the group key\r\n\n"
                + "[agent.config]\nimage = \"mcr.microsoft.com/azureiotedge-agent:1.5\"\nvalue = \"not secret here\"\n";

            string masked = SecretMasker.Mask(toml);

            Assert.DoesNotContain("c2VjcmV0", masked);
            Assert.Contains("value = ***\r\n", masked);
            Assert.Contains("registration_id = \"edge-01\"", masked);
            Assert.Contains("value = \"not secret here\"", masked);
            Assert.Equal(toml.Split('\n').Length, masked.Split('\n').Length); // lines kept
        }

        [Fact]
        public void A_key_table_that_points_at_a_file_keeps_its_path()
        {
            string toml = "[edge_ca.pk]\nvalue = \"file:///var/secrets/edge-ca.key.pem\"\n";
            Assert.Equal(toml, SecretMasker.Mask(toml));
        }
    }
}
