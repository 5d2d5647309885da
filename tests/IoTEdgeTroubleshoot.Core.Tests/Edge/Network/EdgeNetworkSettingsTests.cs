using System.IO;
using System.Linq;
using System.Text.Json;
using IoTEdgeTroubleshoot.Edge.Network;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Network
{
    /// <summary>Where a device connects, read from its config of either generation; the key never kept.</summary>
    public class EdgeNetworkSettingsTests
    {
        private const string Key = "q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c=";

        private static EdgeNetworkSettings Toml(string text)
        {
            using var folder = new TempFolder();
            return EdgeNetworkSettings.Load(folder.Write("config.toml", text));
        }

        [Fact]
        public void A_1_1_connection_string_gives_the_hub_and_nothing_of_the_key()
        {
            var settings = EdgeNetworkSettings.Load(ConfigFiles.Source("linux-1.1-manual.yaml"));
            Assert.Equal("contoso-iot-prod.azure-devices.net", settings.HubHostName);
            Assert.Null(settings.DpsHostName);
            Assert.DoesNotContain(Key, JsonSerializer.Serialize(settings));
        }

        [Fact]
        public void A_1_1_DPS_config_gives_the_DPS_endpoint_and_no_hub()
        {
            var settings = EdgeNetworkSettings.Load(ConfigFiles.Source("linux-1.1-dps-symmetric-key.yaml"));
            Assert.Null(settings.HubHostName);
            Assert.Equal("global.azure-devices-provisioning.net", settings.DpsHostName);
        }

        [Fact]
        public void A_1_1_x509_device_gives_its_iothub_hostname() =>
            Assert.Equal("contoso-iot-prod.azure-devices.net", EdgeNetworkSettings.Load(ConfigFiles.Source("linux-1.1-x509.yaml")).HubHostName);

        [Fact]
        public void A_1_1_agent_env_gives_the_proxy_and_protocol()
        {
            using var folder = new TempFolder();
            string path = folder.Write("config.yaml", File.ReadAllText(ConfigFiles.Source("linux-1.1-manual.yaml"))
                .Replace("  env: {}", "  env:\n    HTTPS_PROXY: \"http://proxy.contoso.com:3128\"\n    UpstreamProtocol: \"MqttWs\""));
            var settings = EdgeNetworkSettings.Load(path);
            Assert.Equal(("http://proxy.contoso.com:3128", "MqttWs"), (settings.HttpsProxy, settings.UpstreamProtocol));
        }

        [Fact]
        public void A_1_2_config_gives_hub_proxy_protocol_parent_and_trust_bundle()
        {
            var settings = Toml($"parent_hostname = \"gw.contoso.local\"\ntrust_bundle_cert = \"file:///var/aziot/certs/bundle.pem\"\n[provisioning]\nsource = \"manual\"\nconnection_string = \"HostName=Contoso.azure-devices.net;DeviceId=e1;SharedAccessKey={Key}\"\n[agent.env]\nhttps_proxy = \"http://p:3128\"\nUpstreamProtocol = \"AmqpWs\"\n");
            Assert.Equal("Contoso.azure-devices.net", settings.HubHostName);
            Assert.Equal("gw.contoso.local", settings.ParentHostName);
            Assert.Equal("/var/aziot/certs/bundle.pem", settings.TrustBundlePath);
            Assert.Equal(("http://p:3128", "AmqpWs"), (settings.HttpsProxy, settings.UpstreamProtocol));
        }

        [Fact]
        public void A_1_2_explicit_hub_and_a_DPS_endpoint_are_read()
        {
            Assert.Equal("hub.azure-devices.net", Toml("[provisioning]\nsource = \"manual\"\niothub_hostname = \"hub.azure-devices.net\"\ndevice_id = \"d\"\n").HubHostName);
            var dps = Toml("[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://global.azure-devices-provisioning.net/\"\n");
            Assert.Equal(("global.azure-devices-provisioning.net", (string?)null), (dps.DpsHostName, dps.HubHostName));
        }

        [Theory]
        [InlineData("HostName=a.azure-devices.net;DeviceId=d;SharedAccessKey=" + Key, "a.azure-devices.net")]
        [InlineData("DeviceId=d;SharedAccessKey=" + Key + ";HostName=b.azure-devices.net", "b.azure-devices.net")]
        [InlineData("DeviceId=d;SharedAccessKey=" + Key, null)]
        [InlineData("HostName=;DeviceId=d", null)]
        public void The_host_name_is_the_only_part_of_a_connection_string_taken(string connectionString, string? host) =>
            Assert.Equal(host, EdgeNetworkSettings.HostNameOf(connectionString));

        [Fact]
        public void A_config_that_does_not_parse_is_an_error_at_its_line()
        {
            using var folder = new TempFolder();
            string path = folder.Write("config.toml", "hostname = \"a\"\n[provisioning\n");
            var ex = Assert.Throws<TroubleshootException>(() => EdgeNetworkSettings.Load(path));
            Assert.Equal(ErrorIds.ConfigNotValidToml, ex.ErrorId);
            Assert.Equal(2, ex.Position!.Line);
        }

        [Fact]
        public void A_missing_config_is_ConfigUnreadable_and_says_to_give_the_hub()
        {
            using var folder = new TempFolder();
            var ex = Assert.Throws<TroubleshootException>(() => EdgeNetworkSettings.Load(Path.Combine(folder.Path, "config.toml")));
            Assert.Equal((ErrorIds.ConfigUnreadable, ProblemKind.ObjectNotFound), (ex.ErrorId, ex.Kind));
            Assert.Contains("-HubHostName", ex.Message);
        }
    }
}
