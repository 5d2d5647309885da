using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.SupportBundle;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Tests.Edge.SupportBundle
{
    /// <summary>
    /// A scripted IoT Edge 1.5 device for the support bundle: config.toml and a config.d drop-in in a temp folder,
    /// and answers for journalctl, iotedge and docker. Every secret on it is a unique canary; next to each stands
    /// a value that is not secret and must come through.
    /// </summary>
    internal sealed class BundleDevice : IDisposable
    {
        // The secrets: none may appear in any entry of the bundle.
        public const string ConnectionStringKey = "Q2FuYXJ5Q29ubmVjdGlvbktleTE=";
        public const string SymmetricKey = "c3ltbWV0cmljQ2FuYXJ5S2V5Mg==";
        public const string AgentRegistryPassword = "cmVnaXN0cnlQYXNzd29yZENhbmFyeTM";
        public const string Pkcs11Pin = "PinCanary4444";
        public const string EstPassword = "ZXN0UGFzc3dvcmRDYW5hcnk1";
        public const string EnvConnectionKey = "ZWRnZUh1YkNvbm5DYW5hcnk2";
        public const string EnvPlainValue = "plainEnvCanary7";
        public const string LabelEnvPassword = "bGFiZWxFbnZDYW5hcnk4";
        public const string CreateOptionsEnvValue = "Y3JlYXRlT3B0aW9uc0NhbmFyeTk";
        public const string CommandLinePassword = "Y21kUGFzc3dvcmRDYW5hcnkxMA";
        public const string JournalSasSignature = "c2FzU2lnQ2FuYXJ5MTE";
        public const string JournalJwtPayload = "eyJzdWIiOiJjYW5hcnkxMiJ9";
        public const string JournalJwtSignature = "c2lnbmF0dXJlQ2FuYXJ5MTI";
        public const string ModuleSasSignature = "bW9kdWxlU2FzQ2FuYXJ5MTM";
        public const string ModuleBearerToken = "bW9kdWxlQmVhcmVyQ2FuYXJ5MTQ";
        public const string ModulePrivateKeyLine = "TUlJRXBBSUJBQUtDQVFFQXByaXZhdGVLZXlDYW5hcnkxNQ==";
        public const string ModulePassword = "bW9kdWxlUGFzc3dvcmRDYW5hcnkxNg";
        public const string RegistryEnvPassword = "cmVnaXN0cnlFbnZDYW5hcnkxNw";
        public const string InlineDeviceKey = "aW5saW5lRGV2aWNlS2V5Q2FuYXJ5MTg=";
        public const string ProxyPassword = "cHJveHlQYXNzQ2FuYXJ5MTk";

        public static readonly string[] Canaries =
        {
            ConnectionStringKey, SymmetricKey, AgentRegistryPassword, Pkcs11Pin, EstPassword, EnvConnectionKey, EnvPlainValue, LabelEnvPassword,
            CreateOptionsEnvValue, CommandLinePassword, JournalSasSignature, JournalJwtPayload, JournalJwtSignature, ModuleSasSignature,
            ModuleBearerToken, ModulePrivateKeyLine, ModulePassword, RegistryEnvPassword, InlineDeviceKey, ProxyPassword,
        };

        private readonly TempFolder _folder = new TempFolder();

        public BundleDevice()
        {
            ConfigPath = _folder.Write("aziot/config.toml", string.Join("\n",
                "hostname = \"edge-gw-07\"",
                "",
                "[provisioning]",
                "source = \"manual\"",
                $"connection_string = \"HostName=contoso-hub.azure-devices.net;DeviceId=edge-gw-07;SharedAccessKey={ConnectionStringKey}\"",
                "",
                "[agent.config]",
                "image = \"mcr.microsoft.com/azureiotedge-agent:1.5\"",
                "",
                "[agent.config.auth]",
                "serveraddress = \"contoso.azurecr.io\"",
                "username = \"acr-pull-user\"",
                $"password = \"{AgentRegistryPassword}\"",
                "",
                "[agent.env]",
                $"https_proxy = \"http://proxy-user:{ProxyPassword}@proxy.contoso.com:3128\"",
                "",
                "[cert_issuance.est.auth]",
                "username = \"est-user\"",
                $"password = \"{EstPassword}\"",
                "",
                "[aziot_keys]",
                $"pkcs11_lib_path = \"/usr/lib/libmypkcs11.so\"",
                $"pkcs11_base_slot = \"pkcs11:slot-id=0?pin-value={Pkcs11Pin}\"",
                ""));
            _folder.Write("aziot/config.d/50-dps.toml", string.Join("\n",
                "[provisioning.attestation]",
                "method = \"symmetric_key\"",
                "registration_id = \"reg-edge-gw-07\"",
                "",
                "[provisioning.attestation.symmetric_key]",
                $"value = \"{SymmetricKey}\"",
                ""));
            _folder.Write("aziot/config.d/60-sas.toml", string.Join("\n",
                "[provisioning.authentication]",
                "method = \"sas\"",
                $"device_id_pk = {{ value = \"{InlineDeviceKey}\" }}",
                ""));
            Runner.Tools["journalctl"] = _ => (0, Journal, string.Empty);
            Runner.Tools["iotedge"] = arguments => arguments[0] switch
            {
                "list" => (0, ModuleListText, string.Empty),
                "logs" => ModuleLogs.TryGetValue(arguments[1], out var log) ? (0, log, string.Empty) : (1, string.Empty, $"Error: Module {arguments[1]} not found"),
                "version" => (0, "iotedge 1.5.21\n", string.Empty),
                _ => (2, string.Empty, "unknown verb"),
            };
            Runner.Tools["docker"] = arguments => arguments[0] switch
            {
                "inspect" => (0, Inspect, string.Empty),
                "version" => (0, "Client:\n Version:           20.10.27+azure-1\nServer:\n Engine:\n  Version:          20.10.27+azure-1\n", string.Empty),
                _ => (2, string.Empty, "unknown verb"),
            };
        }

        public string Folder => _folder.Path;

        public string ConfigPath { get; }

        public ScriptedRunner Runner { get; } = new ScriptedRunner();

        public static string Journal => string.Join("\n",
            Record(1784542272000000, 6, "aziot-edged", 705, "2026-07-20T10:11:12Z [INFO] - Starting Azure IoT Edge Daemon"),
            Record(1784542273000000, 6, "aziot-identityd", 702, $"2026-07-20T10:11:13Z [INFO] - Renewing the token for device edge-gw-07: SharedAccessSignature sr=contoso-hub.azure-devices.net%2Fdevices%2Fedge-gw-07&sig={JournalSasSignature}%3D&se=1784545872"),
            Record(1784542274000000, 3, "aziot-edged", 705, $"2026-07-20T10:11:14Z [ERR!] - Request failed, Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.{JournalJwtPayload}.{JournalJwtSignature}"),
            Record(1784542275000000, 6, "aziot-edged", 705, "2026-07-20T10:11:15Z [INFO] - Module runtime started"));

        public const string ModuleListText =
            "NAME             STATUS           DESCRIPTION      CONFIG\n" +
            "edgeAgent        running          Up 2 hours       mcr.microsoft.com/azureiotedge-agent:1.5\n" +
            "edgeHub          running          Up 2 hours       mcr.microsoft.com/azureiotedge-hub:1.5\n" +
            "filterModule     running          Up 2 hours       contoso.azurecr.io/filtermodule:0.0.4-amd64\n";

        public Dictionary<string, string> ModuleLogs { get; } = new Dictionary<string, string>
        {
            ["edgeAgent"] = "<6> 2026-07-20 10:11:20.101 +00:00 [INF] - Edge agent started: pulling contoso.azurecr.io/filtermodule:0.0.4-amd64\n"
                + $"<6> 2026-07-20 10:11:21.101 +00:00 [INF] - Registry login for contoso.azurecr.io with username acr-pull-user password={ModulePassword}\n",
            ["edgeHub"] = "<6> 2026-07-20 10:11:22.230 +00:00 [INF] - Initializing Edge Hub.\n"
                + $"<6> 2026-07-20 10:11:23.230 +00:00 [INF] - Upstream https://contoso-hub.azure-devices.net/devices/edge-gw-07?api-version=2021-04-12&sig={ModuleSasSignature}&se=1784545872\n"
                + $"<4> 2026-07-20 10:11:24.004 +00:00 [WRN] - Token refresh, Authorization: Bearer {ModuleBearerToken}\n"
                + "<7> 2026-07-20 10:11:25.004 +00:00 [DBG] - Loaded server key -----BEGIN RSA PRIVATE KEY-----\n"
                + $"{ModulePrivateKeyLine}\n"
                + "-----END RSA PRIVATE KEY----- for edgeHub server certificate\n",
            ["filterModule"] = "Filter module started, threshold 25\n",
        };

        public static string Inspect => $$$$"""
            [
              {
                "Id": "4f1a",
                "Name": "/edgeHub",
                "Created": "2026-07-20T08:11:12Z",
                "Image": "sha256:1234",
                "GraphDriver": { "Name": "overlay2" },
                "State": { "Status": "running", "Running": true, "ExitCode": 0 },
                "RestartCount": 0,
                "Config": {
                  "Hostname": "edgeHub",
                  "Env": [ "RuntimeLogLevel=debug", "EdgeHubConnectionString=HostName=contoso-hub.azure-devices.net;DeviceId=edge-gw-07;ModuleId=$edgeHub;SharedAccessKey={{{{EnvConnectionKey}}}}", "MY_PLAIN={{{{EnvPlainValue}}}}" ],
                  "Cmd": [ "--registry", "contoso.azurecr.io", "--password", "{{{{CommandLinePassword}}}}" ],
                  "Labels": {
                    "net.azure-devices.edge.owner": "Microsoft.Azure.Devices.Edge.Agent",
                    "net.azure-devices.edge.env": "{\"RegistryPassword\":{\"value\":\"{{{{LabelEnvPassword}}}}\"},\"RuntimeLogLevel\":{\"value\":\"debug\"}}",
                    "net.azure-devices.edge.create-options": "{\"Env\":[\"FROM_CREATE={{{{CreateOptionsEnvValue}}}}\"],\"HostConfig\":{\"PortBindings\":{\"8883/tcp\":[{\"HostPort\":\"8883\"}]}}}"
                  }
                },
                "HostConfig": {
                  "Binds": [ "/srv/edgehub:/tmp/edgehub" ],
                  "PortBindings": { "8883/tcp": [ { "HostIp": "", "HostPort": "8883" } ], "443/tcp": [ { "HostIp": "", "HostPort": "443" } ] },
                  "LogConfig": { "Type": "json-file", "Config": { "max-size": "10m" } }
                },
                "Mounts": [ { "Type": "bind", "Source": "/srv/edgehub", "Destination": "/tmp/edgehub" } ],
                "NetworkSettings": { "Ports": { "8883/tcp": [ { "HostIp": "0.0.0.0", "HostPort": "8883" } ] } }
              },
              {
                "Name": "/filterModule",
                "Config": { "Env": [ "DOCKER_REGISTRY_PASSWORD={{{{RegistryEnvPassword}}}}", "Threshold=25" ] },
                "HostConfig": { "Privileged": false }
              }
            ]
            """;

        /// <summary>A request for this device into a new zip in its folder; the checks are the config checks of config.toml.</summary>
        public SupportBundleRequest Request(string? path = null)
        {
            string target = path ?? Path.Combine(Folder, "out", "bundle.zip");
            return new SupportBundleRequest(target, ConfigPath, EdgeGeneration.V1_2, new DateTimeOffset(2026, 7, 20, 10, 0, 0, TimeSpan.Zero),
                token => IoTEdgeTroubleshoot.Edge.Config.ConfigChecks.Run(new IoTEdgeTroubleshoot.Edge.Config.Checks.ConfigCheckContext(ConfigPath, EdgeGeneration.V1_2), token).ToList())
            {
                Processes = Runner,
                IsWindows = false,
                HostName = "edge-gw-07",
                UtcNow = () => new DateTimeOffset(2026, 7, 21, 10, 0, 0, TimeSpan.Zero),
            };
        }

        /// <summary>Every entry of a zip as text.</summary>
        public static Dictionary<string, string> Entries(string zip)
        {
            using var archive = ZipFile.OpenRead(zip);
            return archive.Entries.ToDictionary(e => e.FullName, e =>
            {
                using var reader = new StreamReader(e.Open());
                return reader.ReadToEnd();
            });
        }

        public void Dispose() => _folder.Dispose();

        private static string Record(long realtime, int priority, string identifier, int pid, string message) =>
            "{\"__REALTIME_TIMESTAMP\":\"" + realtime + "\",\"PRIORITY\":\"" + priority + "\",\"SYSLOG_IDENTIFIER\":\"" + identifier + "\",\"_PID\":\"" + pid
            + "\",\"_CMDLINE\":\"/usr/bin/" + identifier + " --connection-string HostName=x;SharedAccessKey=" + ConnectionStringKey + "\",\"MESSAGE\":" + System.Text.Json.JsonSerializer.Serialize(message) + "}";
    }

    /// <summary>
    /// An <see cref="IProcessRunner"/> that answers from a script per tool, streams output through the line callback
    /// when one is given (as the real runner does), and records each call and whether it was streamed.
    /// </summary>
    internal sealed class ScriptedRunner : IProcessRunner
    {
        public Dictionary<string, Func<string[], (int Exit, string Output, string Error)>> Tools { get; } = new Dictionary<string, Func<string[], (int, string, string)>>();

        public List<(string Tool, string[] Arguments, bool Streamed)> Calls { get; } = new List<(string, string[], bool)>();

        /// <summary>Called before each streamed line (a test cancels there).</summary>
        public Action<string>? BeforeLine { get; set; }

        public string? Find(string executable) => Tools.ContainsKey(executable) ? "/usr/bin/" + executable : null;

        public ProcessResult Run(string executable, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default, Action<string>? outputLine = null)
        {
            string tool = Path.GetFileName(executable);
            Calls.Add((tool, arguments.ToArray(), outputLine != null));
            var (exit, output, error) = Tools[tool](arguments.ToArray());
            if (outputLine == null) return new ProcessResult(exit, output, error);
            foreach (var line in output.Split('\n').Take(output.EndsWith("\n", StringComparison.Ordinal) ? output.Split('\n').Length - 1 : int.MaxValue))
            {
                BeforeLine?.Invoke(line);
                cancellationToken.ThrowIfCancellationRequested();
                outputLine(line);
            }

            return new ProcessResult(exit, string.Empty, error);
        }
    }
}
