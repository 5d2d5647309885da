using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Tests.Edge
{
    /// <summary>
    /// The config corpus, written here for these tests: every provisioning form of config.yaml (1.0/1.1) and
    /// config.toml (1.2+) around a common body, and the variants the daemons refuse. Keys are made-up base64.
    /// </summary>
    internal static class ConfigCorpus
    {
        public const string Key = "QXp1cmUgSW9UIEVkZ2UgY29ycHVzIGtleSAwMDAwMDE=";
        public const string ConnectionString = "HostName=contoso-iot-prod.azure-devices.net;DeviceId=edge-gw-01;SharedAccessKey=" + Key;

        // ---- 1.0/1.1: config.yaml -------------------------------------------------------------------

        public static readonly IReadOnlyDictionary<string, string> YamlProvisioning = new Dictionary<string, string>
        {
            ["manual connection string"] = $"provisioning:\n  source: \"manual\"\n  device_connection_string: \"{ConnectionString}\"\n  dynamic_reprovisioning: false\n",
            ["manual authentication connection string"] = $"provisioning:\n  source: \"manual\"\n  authentication:\n    method: \"device_connection_string\"\n    device_connection_string: \"{ConnectionString}\"\n",
            ["manual x509"] = "provisioning:\n  source: \"manual\"\n  authentication:\n    method: \"x509\"\n    iothub_hostname: \"contoso-iot-prod.azure-devices.net\"\n    device_id: \"edge-gw-01\"\n    identity_cert: \"file:///var/secrets/edge-gw-01.cert.pem\"\n    identity_pk: \"file:///var/secrets/edge-gw-01.key.pem\"\n",
            ["dps 1.0 tpm"] = "provisioning:\n  source: \"dps\"\n  global_endpoint: \"https://global.azure-devices-provisioning.net\"\n  scope_id: \"0ne00012345\"\n  registration_id: \"edge-gw-01\"\n",
            ["dps tpm"] = "provisioning:\n  source: \"dps\"\n  global_endpoint: \"https://global.azure-devices-provisioning.net\"\n  scope_id: \"0ne00012345\"\n  attestation:\n    method: \"tpm\"\n    registration_id: \"edge-gw-01\"\n",
            ["dps symmetric key"] = $"provisioning:\n  source: \"dps\"\n  global_endpoint: \"https://global.azure-devices-provisioning.net\"\n  scope_id: \"0ne00012345\"\n  attestation:\n    method: \"symmetric_key\"\n    registration_id: \"edge-gw-01\"\n    symmetric_key: \"{Key}\"\n  dynamic_reprovisioning: true\n",
            ["dps x509"] = "provisioning:\n  source: \"dps\"\n  global_endpoint: \"https://global.azure-devices-provisioning.net\"\n  scope_id: \"0ne00012345\"\n  attestation:\n    method: \"x509\"\n    identity_cert: \"file:///var/secrets/edge-gw-01.cert.pem\"\n    identity_pk: \"file:///var/secrets/edge-gw-01.key.pem\"\n",
            ["external"] = "provisioning:\n  source: \"external\"\n  endpoint: \"http://localhost:9999\"\n",
        };

        public const string YamlBody = "agent:\n  name: \"edgeAgent\"\n  type: \"docker\"\n  env: {}\n  config:\n    image: \"mcr.microsoft.com/azureiotedge-agent:1.1\"\n    auth: {}\n"
            + "hostname: \"edge-gw-01\"\n"
            + "connect:\n  management_uri: \"unix:///var/run/iotedge/mgmt.sock\"\n  workload_uri: \"unix:///var/run/iotedge/workload.sock\"\n"
            + "listen:\n  management_uri: \"fd://iotedge.mgmt.socket\"\n  workload_uri: \"fd://iotedge.socket\"\n"
            + "homedir: \"/var/lib/iotedge\"\n"
            + "moby_runtime:\n  uri: \"unix:///var/run/docker.sock\"\n  network: \"azure-iot-edge\"\n";

        public static string Yaml(string form) => YamlProvisioning[form] + "\n" + YamlBody;

        // ---- 1.2+: config.toml ----------------------------------------------------------------------

        public static readonly IReadOnlyDictionary<string, string> TomlProvisioning = new Dictionary<string, string>
        {
            ["manual connection string"] = $"[provisioning]\nsource = \"manual\"\nconnection_string = \"{ConnectionString}\"\n",
            ["manual sas inline key"] = $"[provisioning]\nsource = \"manual\"\niothub_hostname = \"contoso-iot-prod.azure-devices.net\"\ndevice_id = \"edge-gw-01\"\n\n[provisioning.authentication]\nmethod = \"sas\"\ndevice_id_pk = {{ value = \"{Key}\" }}\n",
            ["manual sas key file"] = "[provisioning]\nsource = \"manual\"\niothub_hostname = \"contoso-iot-prod.azure-devices.net\"\ndevice_id = \"edge-gw-01\"\n\n[provisioning.authentication]\nmethod = \"sas\"\ndevice_id_pk = { uri = \"file:///var/secrets/edge-gw-01.key\" }\n",
            ["manual x509"] = "[provisioning]\nsource = \"manual\"\niothub_hostname = \"contoso-iot-prod.azure-devices.net\"\ndevice_id = \"edge-gw-01\"\n\n[provisioning.authentication]\nmethod = \"x509\"\nidentity_cert = \"file:///var/secrets/edge-gw-01.cert.pem\"\nidentity_pk = \"file:///var/secrets/edge-gw-01.key.pem\"\n",
            ["manual x509 key in hsm"] = "[provisioning]\nsource = \"manual\"\niothub_hostname = \"contoso-iot-prod.azure-devices.net\"\ndevice_id = \"edge-gw-01\"\n\n[provisioning.authentication]\nmethod = \"x509\"\nidentity_cert = \"file:///var/secrets/edge-gw-01.cert.pem\"\nidentity_pk = \"pkcs11:slot-id=0;object=edge-gw-01\"\n",
            ["dps symmetric key"] = $"[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://global.azure-devices-provisioning.net\"\nid_scope = \"0ne00012345\"\n\n[provisioning.attestation]\nmethod = \"symmetric_key\"\nregistration_id = \"edge-gw-01\"\nsymmetric_key = {{ value = \"{Key}\" }}\n",
            ["dps x509"] = "[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://global.azure-devices-provisioning.net\"\nid_scope = \"0ne00012345\"\n\n[provisioning.attestation]\nmethod = \"x509\"\nregistration_id = \"edge-gw-01\"\nidentity_cert = \"file:///var/secrets/edge-gw-01.cert.pem\"\nidentity_pk = \"file:///var/secrets/edge-gw-01.key.pem\"\n",
            ["dps x509 issued by est"] = "[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://global.azure-devices-provisioning.net\"\nid_scope = \"0ne00012345\"\n\n[provisioning.attestation]\nmethod = \"x509\"\nregistration_id = \"edge-gw-01\"\nidentity_pk = \"file:///var/secrets/edge-gw-01.key.pem\"\n\n[provisioning.attestation.identity_cert]\nmethod = \"est\"\ncommon_name = \"edge-gw-01\"\n",
            ["dps tpm"] = "[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://global.azure-devices-provisioning.net\"\nid_scope = \"0ne00012345\"\n\n[provisioning.attestation]\nmethod = \"tpm\"\nregistration_id = \"edge-gw-01\"\n",
            ["none"] = "[provisioning]\nsource = \"none\"\n",
        };

        public const string TomlTop = "# IoT Edge configuration (written by the tests)\nhostname = \"edge-gw-01\"\n\n";

        public const string TomlBody = "[agent]\nname = \"edgeAgent\"\ntype = \"docker\"\n\n[agent.config]\nimage = \"mcr.microsoft.com/azureiotedge-agent:1.5\"\n\n[agent.env]\nUpstreamProtocol = \"AmqpWs\" # port 443 only\n\n"
            + "[edge_ca]\ncert = \"file:///var/secrets/edge-ca.pem\"\npk = \"file:///var/secrets/edge-ca.key.pem\"\n";

        public static string Toml(string form) => TomlTop + TomlProvisioning[form] + "\n" + TomlBody;

        /// <summary>The 1.2+ template as installed: every block commented out (a few of its lines, in its words' shape).</summary>
        public const string TomlTemplate = "# ==============================================================================\n# Hostname\n# ==============================================================================\n#\n# hostname = \"my-device\"\n\n"
            + "# Manual provisioning with connection string\n#\n# [provisioning]\n# source = \"manual\"\n# connection_string = \"HostName=example.azure-devices.net;DeviceId=my-device;SharedAccessKey=...\"\n\n"
            + "# [agent]\n# name = \"edgeAgent\"\n# type = \"docker\"\n# [agent.config]\n# image = \"mcr.microsoft.com/azureiotedge-agent:1.5\"\n";
    }
}
