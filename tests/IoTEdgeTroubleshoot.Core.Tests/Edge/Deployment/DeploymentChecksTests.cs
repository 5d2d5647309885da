using System;
using System.Collections.Generic;
using System.Linq;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Deployment;
using IoTEdgeTroubleshoot.Edge.Deployment.Checks;
using IoTEdgeTroubleshoot.Tests.Edge.Dns;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Deployment
{
    public class DeploymentChecksTests
    {
        private const string Password = "s3cr3t-Passw0rd+xyz=";

        private sealed class FakePortOwners : IHostPortOwners
        {
            private readonly Dictionary<int, string> _owners;

            public FakePortOwners(Dictionary<int, string> owners) => _owners = owners;

            public List<int> Asked { get; } = new List<int>();

            public string? Unavailable => null;

            public string? OwnerOf(int port)
            {
                Asked.Add(port);
                return _owners.TryGetValue(port, out var owner) ? owner : null;
            }
        }

        private static List<IoTEdgeCheckResult> Check(TempFolder dir, string text, Action<DeploymentCheckContext>? setup = null)
        {
            string path = dir.Write("deployment.json", text);
            var context = new DeploymentCheckContext(path)
            {
                PortOwners = new FakePortOwners(new Dictionary<int, string>()),
                DeviceMemoryMB = 8192,
                DaemonConfigPaths = new[] { System.IO.Path.Combine(dir.Path, "no-daemon.json") },
            };
            setup?.Invoke(context);
            return DeploymentChecks.Run(context).ToList();
        }

        private static string Golden() => System.IO.File.ReadAllText(GoldenFiles.Source("manifest-split.json"));

        private static IoTEdgeCheckResult Only(List<IoTEdgeCheckResult> results, string id, CheckStatus status) =>
            Assert.Single(results, r => r.CheckId == id && r.Status == status);

        [Fact]
        public void AGoodManifest_PassesEveryCheck_ButDns()
        {
            using var dir = new TempFolder();
            var results = Check(dir, Golden());

            Assert.Equal(DeploymentChecks.CheckIds, results.Select(r => r.CheckId).Distinct());
            Assert.DoesNotContain(results, r => r.Status == CheckStatus.Error);
            var dns = Only(results, "manifest-dns", CheckStatus.Warning);
            Assert.Contains("Set-IoTEdgeDns -ManifestPath", dns.RemedyCommand);
        }

        [Fact]
        public void ImageFromAzureRegistryWithoutCredentials_Is403Error()
        {
            using var dir = new TempFolder();
            var results = Check(dir, Golden().Replace("contosoacr.azurecr.io/filtermodule", "fabrikamacr.azurecr.io/filtermodule"));

            var error = Only(results, "manifest-registry-credentials", CheckStatus.Error);
            Assert.Contains("fabrikamacr.azurecr.io", error.Message);
            Assert.Contains("403", error.Message);
            Assert.Equal(47, error.Line);
            var mismatch = Only(results, "manifest-registry-address", CheckStatus.Error);
            Assert.Contains("'contosoacr.azurecr.io', but no image comes from there", mismatch.Message);
        }

        [Theory]
        [InlineData("mcr.microsoft.com/azureiotedge-simulated-temperature-sensor:1.5", CheckStatus.Pass)]
        [InlineData("redis:7", CheckStatus.Pass)]
        [InlineData("ghcr.io/contoso/filter:1", CheckStatus.Warning)]
        [InlineData("localhost:5000/filter:1", CheckStatus.Warning)]
        public void RegistriesThatNeedNoCredentials_OrMayNot(string image, CheckStatus status)
        {
            using var dir = new TempFolder();
            var results = Check(dir, Golden().Replace("contosoacr.azurecr.io/filtermodule:0.0.1-amd64", image));

            Assert.Contains(results, r => r.CheckId == "manifest-registry-credentials" && r.Status == status && r.Message.Contains("filtermodule", StringComparison.Ordinal));
        }

        [Fact]
        public void CredentialAddressWithScheme_IsAWarning_ButStillMatches()
        {
            using var dir = new TempFolder();
            var results = Check(dir, Golden().Replace("\"address\": \"contosoacr.azurecr.io\"", "\"address\": \"https://ContosoACR.azurecr.io/\""));

            Assert.Contains("write it as 'contosoacr.azurecr.io'", Only(results, "manifest-registry-address", CheckStatus.Warning).Message);
            Assert.DoesNotContain(results, r => r.CheckId == "manifest-registry-credentials" && r.Status != CheckStatus.Pass);
        }

        [Fact]
        public void CredentialWithoutPassword_IsAnError_AndNoPasswordIsEverShown()
        {
            using var dir = new TempFolder();
            var results = Check(dir, Golden().Replace($"\"password\": \"{Password}\",", string.Empty));
            Assert.Contains("has no password", Only(results, "manifest-registry-address", CheckStatus.Error).Message);

            var all = Check(dir, Golden().Replace("contosoacr.azurecr.io/filtermodule", "other.azurecr.io/filtermodule"));
            Assert.DoesNotContain(all, r => (r.Message + r.Remedy).Contains(Password, StringComparison.Ordinal));
        }

        [Fact]
        public void CreateOptionsNotJson_NamesTheModuleAndThePlace()
        {
            using var dir = new TempFolder();
            var results = Check(dir, Golden().Replace("\"createOptions\": \"{}\"\n            }\n          }\n        }", "\"createOptions\": \"{'Env': []}\"\n            }\n          }\n        }"));

            var error = Only(results, "manifest-create-options", CheckStatus.Error);
            Assert.StartsWith("filtermodule: createOptions is not valid JSON", error.Message);
            Assert.Equal(48, error.Line);
        }

        [Fact]
        public void ChunkTooLong_AndChunkGap_AreReported()
        {
            using var dir = new TempFolder();
            string longChunk = "{\\\"Env\\\":[\\\"" + new string('a', 600) + "\\\"]}";
            var results = Check(dir, Golden().Replace("\"createOptions\": \"{}\"\n            }\n          }\n        }", $"\"createOptions\": \"{longChunk}\"\n            }}\n          }}\n        }}"));
            Assert.Contains("refuses a string over 512", Only(results, "manifest-create-options", CheckStatus.Warning).Message);

            var gap = Check(dir, Golden().Replace("createOptions01", "createOptions04"));
            Assert.Contains("without a gap", Only(gap, "manifest-create-options", CheckStatus.Error).Message);
        }

        [Fact]
        public void EdgeHubPortHeldByAnotherProcess_IsTheGuidesPortAlreadyAllocated()
        {
            using var dir = new TempFolder();
            var owners = new FakePortOwners(new Dictionary<int, string> { [443] = "nginx (pid 812)" });
            var results = Check(dir, Golden(), c => c.PortOwners = owners);

            var error = Only(results, "manifest-edgehub-ports", CheckStatus.Error);
            Assert.Contains("443", error.Message);
            Assert.Contains("nginx (pid 812)", error.Message);
            Assert.Contains("port is already allocated", error.Message);
            Assert.Equal(new[] { 5671, 8883, 443 }, owners.Asked);
            Assert.Equal(2, results.Count(r => r.CheckId == "manifest-edgehub-ports" && r.Status == CheckStatus.Pass));
        }

        [Fact]
        public void WithoutAPortLookup_ThePortCheckIsSkipped_AndSaysWhatToRun()
        {
            using var dir = new TempFolder();
            var results = Check(dir, Golden(), c => c.PortOwners = new NoHostPortLookup());

            var skipped = Only(results, "manifest-edgehub-ports", CheckStatus.Skipped);
            Assert.Equal("Test-IoTEdgeFirewall -Local", skipped.RemedyCommand);
            Assert.Contains("5671, 8883, 443", skipped.Message);
        }

        [Theory]
        [InlineData(925L, CheckStatus.Warning)]
        [InlineData(1880L, CheckStatus.Warning)]
        [InlineData(4096L, CheckStatus.Pass)]
        public void OptimizeForPerformance_OnAConstrainedDevice_IsAWarning(long memory, CheckStatus status)
        {
            using var dir = new TempFolder();
            var result = Only(Check(dir, Golden(), c => c.DeviceMemoryMB = memory), "manifest-edgehub-optimization", status);
            if (status == CheckStatus.Warning) Assert.StartsWith("Set-IoTEdgeHubOptimization -Path", result.RemedyCommand);
        }

        [Fact]
        public void OptimizeForPerformanceFalse_Passes_AndUnknownMemory_IsSkipped()
        {
            using var dir = new TempFolder();
            var off = Golden().Replace("\"restartPolicy\": \"always\",\n            \"settings\": {\n              \"image\": \"mcr.microsoft.com/azureiotedge-hub:1.5\",",
                "\"restartPolicy\": \"always\",\n            \"env\": { \"OptimizeForPerformance\": { \"value\": \"false\" } },\n            \"settings\": {\n              \"image\": \"mcr.microsoft.com/azureiotedge-hub:1.5\",");
            Only(Check(dir, off, c => c.DeviceMemoryMB = 512), "manifest-edgehub-optimization", CheckStatus.Pass);
            Only(Check(dir, Golden(), c => { c.DeviceMemoryMB = null; c.MachineMemoryMB = () => null; }), "manifest-edgehub-optimization", CheckStatus.Skipped);
        }

        [Fact]
        public void MachineMemory_IsReadFromMeminfo()
        {
            Assert.Equal(925, MachineMemory.FromMeminfo("MemTotal:         947712 kB\nMemFree:  1 kB\n"));
            Assert.Null(MachineMemory.FromMeminfo("nothing"));
        }

        [Fact]
        public void DnsInCreateOptions_Passes_AndABadAddressIsAnError()
        {
            using var dir = new TempFolder();
            string withDns = Golden().Replace("\"createOptions\": \"{}\"\n            }\n          },\n          \"edgeHub\"", "\"createOptions\": \"{\\\"HostConfig\\\":{\\\"Dns\\\":[\\\"10.0.0.53\\\"]}}\"\n            }\n          },\n          \"edgeHub\"")
                .Replace("\"createOptions02\": \"}}\"", "\"createOptions02\": \",\\\"Dns\\\":[\\\"dns.contoso.com\\\"]}}\"");
            var results = Check(dir, withDns);

            Assert.Contains("10.0.0.53", Only(results, "manifest-dns", CheckStatus.Pass).Message);
            Assert.Contains("dns.contoso.com", Only(results, "manifest-dns", CheckStatus.Error).Message);
        }

        [Fact]
        public void DnsFromTheEngine_Passes()
        {
            using var dir = new TempFolder();
            string daemon = dir.Write("daemon.json", "{ \"dns\": [\"10.0.0.53\"] }");
            var results = Check(dir, Golden(), c => c.DaemonConfigPaths = new[] { daemon });

            Assert.Contains("engine gives every container 10.0.0.53", Only(results, "manifest-dns", CheckStatus.Pass).Message);
        }

        [Fact]
        public void SchemaBasics_AreReported()
        {
            using var dir = new TempFolder();
            var results = Check(dir, Golden()
                .Replace("\"status\": \"running\",\n            \"restartPolicy\": \"always\",\n            \"settings\": {\n              \"image\": \"contosoacr", "\"status\": \"started\",\n            \"restartPolicy\": \"always\",\n            \"settings\": {\n              \"image\": \"contosoacr")
                .Replace("\"type\": \"docker\",\n          \"settings\": {\n            \"minDockerVersion\"", "\"type\": \"moby\",\n          \"settings\": {\n            \"minDockerVersion\""));

            var errors = results.Where(r => r.CheckId == "manifest-schema" && r.Status == CheckStatus.Error).Select(r => r.Message).ToList();
            Assert.Contains(errors, m => m.Contains("modules.filtermodule.status is \"started\""));
            Assert.Contains(errors, m => m.Contains("runtime.type must be \"docker\""));
        }

        [Fact]
        public void NotJson_IsOneErrorWithItsPlace_AndTheRestIsSkipped()
        {
            using var dir = new TempFolder();
            var results = Check(dir, Golden().Replace("\"schemaVersion\": \"1.1\",\n        \"runtime\"", "\"schemaVersion\": \"1.1\"\n        \"runtime\""));

            var error = Only(results, "manifest-json", CheckStatus.Error);
            Assert.Equal(6, error.Line);
            Assert.Equal(9, error.Column);
            Assert.All(results.Skip(2), r => Assert.Equal(CheckStatus.Skipped, r.Status));
        }

        [Fact]
        public void MissingFile_IsAnError_AndTheRestIsSkipped()
        {
            var results = DeploymentChecks.Run(new DeploymentCheckContext("/nonexistent/deployment.json")).ToList();
            Assert.Equal(CheckStatus.Error, results[0].Status);
            Assert.All(results.Skip(1), r => Assert.Equal(CheckStatus.Skipped, r.Status));
        }

        [Theory]
        [InlineData("contosoacr.azurecr.io/filter:1", "contosoacr.azurecr.io")]
        [InlineData("ContosoACR.azurecr.io/team/filter@sha256:abc", "contosoacr.azurecr.io")]
        [InlineData("redis", "docker.io")]
        [InlineData("library/redis:7", "docker.io")]
        [InlineData("localhost:5000/filter", "localhost:5000")]
        [InlineData("${MODULES.filter}", null)]
        public void ImageRegistry_IsTheHostDockerPullsFrom(string image, string? registry) => Assert.Equal(registry, ImageReference.Registry(image));

        [Theory]
        [InlineData("https://index.docker.io/v1/", "docker.io")]
        [InlineData("contosoacr.azurecr.io/", "contosoacr.azurecr.io")]
        [InlineData("https://Contosoacr.azurecr.io", "contosoacr.azurecr.io")]
        public void CredentialAddress_IsMatchedByHost(string address, string host) => Assert.Equal(host, ImageReference.Normalize(address));
    }
}

namespace IoTEdgeTroubleshoot.Tests.Edge.Deployment
{
    using System;
    using System.Collections.Generic;
    using System.Net;
    using System.Net.Sockets;
    using IoTEdgeTroubleshoot.Edge.Deployment.Checks;
    using IoTEdgeTroubleshoot.Edge.Network.Listeners;
    using IoTEdgeTroubleshoot.Platform;
    using Xunit;

    /// <summary>The deployment check's port lookup over the firewall command's socket table.</summary>
    public class ListenerTablePortOwnersTests
    {
        private sealed class FixedTable : IListenerTable
        {
            private readonly Func<IReadOnlyList<TcpListenerEntry>> _listeners;

            public FixedTable(Func<IReadOnlyList<TcpListenerEntry>> listeners) => _listeners = listeners;

            public int Reads { get; private set; }

            public IReadOnlyList<TcpListenerEntry> Listeners()
            {
                Reads++;
                return _listeners();
            }
        }

        [Fact]
        public void OwnerOf_NamesTheProcessAndId_NullForAFreePort_AndReadsTheTableOnce()
        {
            var table = new FixedTable(() => new[] { new TcpListenerEntry("0.0.0.0", 443, 812, "nginx"), new TcpListenerEntry("::", 8883) });
            var owners = new ListenerTablePortOwners(table);

            Assert.Null(owners.Unavailable);
            Assert.Equal("'nginx' (id 812)", owners.OwnerOf(443));
            Assert.Contains("cannot see", owners.OwnerOf(8883));
            Assert.Null(owners.OwnerOf(5671));
            Assert.Equal(1, table.Reads);
        }

        [Fact]
        public void AnUnreadableTable_MakesTheCheckSkip_WithTheReason()
        {
            var owners = new ListenerTablePortOwners(new FixedTable(() => throw new TroubleshootException(ErrorIds.ListenerTableUnavailable, ProblemKind.ReadError, "/proc/net/tcp", "/proc/net/tcp cannot be read.")));

            Assert.Contains("/proc/net/tcp cannot be read", owners.Unavailable);
        }

        [Fact]
        public void OnLinux_ARealListener_IsFoundWithThisProcess()
        {
            if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)) return;
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                string? owner = new ListenerTablePortOwners().OwnerOf(port);

                Assert.Contains($"(id {Environment.ProcessId})", owner);
            }
            finally
            {
                listener.Stop();
            }
        }
    }
}
