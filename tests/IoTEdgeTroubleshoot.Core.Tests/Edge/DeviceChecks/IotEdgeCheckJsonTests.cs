using System;
using System.Linq;
using System.Text.Json;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.DeviceChecks;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.DeviceChecks
{
    /// <summary>The shape of 'iotedge check --output json' (serde's CheckResultsSerializable in Azure/iotedge's edgelet/iotedge).</summary>
    public class IotEdgeCheckJsonTests
    {
        private static readonly IotEdgeCheckHost Host = new IotEdgeCheckHost { Now = new DateTimeOffset(2026, 12, 1, 15, 4, 5, TimeSpan.Zero), OsId = "ubuntu", OsVersionId = "22.04", Bitness = 64, Generation = "1.2+" };

        private static IoTEdgeCheckResult R(string id, CheckStatus status, string message, string? remedyCommand = null) =>
            new IoTEdgeCheckResult { CheckId = id, Description = "checks " + id, Status = status, Message = message, RemedyCommand = remedyCommand };

        private static JsonElement Write(params IoTEdgeCheckResult[] results) => JsonDocument.Parse(IotEdgeCheckJson.Write(results, Host)).RootElement;

        [Fact]
        public void Has_additional_info_and_checks_at_the_top()
        {
            var root = Write(R("hostname", CheckStatus.Pass, "fine"));
            Assert.Equal(new[] { "additional_info", "checks" }, root.EnumerateObject().Select(p => p.Name));
            var info = root.GetProperty("additional_info");
            Assert.Equal("2026-12-01T15:04:05.0000000Z", info.GetProperty("now").GetString());
            Assert.Equal("ubuntu", info.GetProperty("os").GetProperty("id").GetString());
            Assert.Equal("22.04", info.GetProperty("os").GetProperty("version_id").GetString());
            Assert.Equal(64, info.GetProperty("os").GetProperty("bitness").GetInt32());
        }

        [Theory]
        [InlineData(CheckStatus.Pass, "ok", false)]
        [InlineData(CheckStatus.Warning, "warning", true)]
        [InlineData(CheckStatus.Error, "error", true)]
        [InlineData(CheckStatus.Skipped, "skipped", false)]
        public void Each_status_is_iotedge_check_s_result_with_details_only_where_serde_writes_them(CheckStatus status, string expected, bool details)
        {
            var check = Write(R("edged-running", status, "aziot-edged: Stopped.")).GetProperty("checks").GetProperty("edged-running");
            Assert.Equal(new[] { "result", "additional_info" }, check.EnumerateObject().Select(p => p.Name));
            var result = check.GetProperty("result");
            Assert.Equal(expected, result.GetProperty("result").GetString());
            Assert.Equal(details, result.TryGetProperty("details", out var list));
            if (details) Assert.Equal("aziot-edged: Stopped.", Assert.Single(list.EnumerateArray()).GetString());
        }

        [Fact]
        public void Checks_come_in_ordinal_order_as_a_BTreeMap_writes_them()
        {
            var root = Write(R("parent_hostname", CheckStatus.Pass, "a"), R("hostname", CheckStatus.Pass, "b"), R("host-connect-iothub-amqp", CheckStatus.Pass, "c"), R("config-readable", CheckStatus.Pass, "d"));
            Assert.Equal(new[] { "config-readable", "host-connect-iothub-amqp", "hostname", "parent_hostname" }, root.GetProperty("checks").EnumerateObject().Select(p => p.Name));
        }

        [Fact]
        public void Results_that_share_an_id_are_one_check_with_the_worst_status_and_each_problem_a_detail()
        {
            var check = Write(
                R("manifest-registry-credentials", CheckStatus.Pass, "edgeAgent: no credentials needed."),
                R("manifest-registry-credentials", CheckStatus.Error, "tempsensor: no credentials for fabrikam.azurecr.io."),
                R("manifest-registry-credentials", CheckStatus.Warning, "filter: the address is written twice.")).GetProperty("checks").GetProperty("manifest-registry-credentials");
            Assert.Equal("error", check.GetProperty("result").GetProperty("result").GetString());
            Assert.Equal(new[] { "tempsensor: no credentials for fabrikam.azurecr.io.", "filter: the address is written twice." }, check.GetProperty("result").GetProperty("details").EnumerateArray().Select(d => d.GetString()));
            Assert.Equal(3, check.GetProperty("additional_info").GetProperty("messages").GetArrayLength());
        }

        [Fact]
        public void A_check_s_additional_info_holds_this_module_s_fields()
        {
            var info = Write(R("dns-engine-config", CheckStatus.Error, "\"dns\" is an empty list.", "Set-IoTEdgeDns -DaemonConfigPath '/etc/docker/daemon.json' -Server <address>"))
                .GetProperty("checks").GetProperty("dns-engine-config").GetProperty("additional_info");
            Assert.Equal("checks dns-engine-config", info.GetProperty("description").GetString());
            Assert.Equal("Set-IoTEdgeDns -DaemonConfigPath '/etc/docker/daemon.json' -Server <address>", info.GetProperty("remedy_command").GetString());
            Assert.Equal(JsonValueKind.Null, info.GetProperty("path").ValueKind);
        }

        [Fact]
        public void Text_stays_readable_quotes_and_angle_brackets_unescaped()
        {
            string text = IotEdgeCheckJson.Write(new[] { R("hostname", CheckStatus.Error, "hostname '<ADD HOSTNAME HERE>' is invalid") }, Host);
            Assert.Contains("hostname '<ADD HOSTNAME HERE>' is invalid", text);
        }

        [Fact]
        public void The_host_is_read_from_os_release()
        {
            using var folder = new TempFolder();
            string path = folder.Write("os-release", "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n");
            var host = IotEdgeCheckHost.Here(Host.Now, windows: false, path);
            Assert.Equal(("debian", "12"), (host.OsId, host.OsVersionId));
            var missing = IotEdgeCheckHost.Here(Host.Now, windows: false, System.IO.Path.Combine(folder.Path, "none"));
            Assert.Null(missing.OsId);
        }
    }
}
