using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.DeviceChecks;
using IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks;
using IoTEdgeTroubleshoot.Platform;
using IoTEdgeTroubleshoot.Tests.Edge.Daemon;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.DeviceChecks
{
    /// <summary>
    /// container-engine-disk-space, edge-hub-disk-space and the storage-mounted-from-host checks, with docker
    /// scripted (its documented JSON answers) and real folders, daemon.json files and manifests.
    /// </summary>
    public sealed class StorageChecksTests : IDisposable
    {
        private const long GB = 1L << 30;

        private readonly TempFolder _folder = new TempFolder();
        private readonly RecordingRunner _docker = new RecordingRunner();

        public StorageChecksTests() => _docker.Answer = (_, _) => new ProcessResult(1, string.Empty, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?");

        public void Dispose() => _folder.Dispose();

        /// <summary>The paths measured, and the space each measure reports.</summary>
        private readonly List<string> _measured = new List<string>();

        private DiskSpace? Measure(string path, long free, long total)
        {
            _measured.Add(path);
            return new DiskSpace("/", free, total);
        }

        private DeviceCheckContext Context(string? deploymentPath = null, params string[] daemonJson) => new DeviceCheckContext
        {
            Processes = _docker,
            DaemonJsonPaths = daemonJson,
            DeploymentPath = deploymentPath,
            IsWindows = false,
            Timeout = TimeSpan.FromSeconds(5),
        };

        private void Docker(string? info = null, string? inspectHub = null, string? inspectAgent = null, string? stderr = null) =>
            _docker.Answer = (_, arguments) =>
            {
                string? answer = arguments[0] == "info" ? info : arguments.Last() == "edgeHub" ? inspectHub : arguments.Last() == "edgeAgent" ? inspectAgent : null;
                return answer == null
                    ? new ProcessResult(1, string.Empty, stderr ?? $"Error: No such object: {arguments.Last()}")
                    : new ProcessResult(0, answer, string.Empty);
            };

        private static string Inspect(string? storageFolder, params (string Type, string Source, string Destination)[] mounts)
        {
            string env = storageFolder == null ? "\"PATH=/usr/bin\"" : $"\"PATH=/usr/bin\", \"StorageFolder={storageFolder}\"";
            string list = string.Join(", ", mounts.Select(m => $"{{ \"Type\": \"{m.Type}\", \"Source\": \"{m.Source}\", \"Destination\": \"{m.Destination}\", \"Mode\": \"\", \"RW\": true }}"));
            return $"[ {{ \"Id\": \"4f1e\", \"Name\": \"/edgeHub\", \"Config\": {{ \"Env\": [ {env} ] }}, \"Mounts\": [ {list} ] }} ]";
        }

        private string Manifest(string? storageFolder, string createOptions)
        {
            string env = storageFolder == null ? string.Empty : $", \"env\": {{ \"StorageFolder\": {{ \"value\": \"{storageFolder}\" }} }}";
            return _folder.Write("deployment.json",
                "{ \"modulesContent\": { \"$edgeAgent\": { \"properties.desired\": { \"schemaVersion\": \"1.1\", \"runtime\": { \"type\": \"docker\", \"settings\": {} },"
                + " \"systemModules\": { \"edgeAgent\": { \"type\": \"docker\", \"settings\": { \"image\": \"mcr.microsoft.com/azureiotedge-agent:1.5\" } },"
                + $" \"edgeHub\": {{ \"type\": \"docker\", \"status\": \"running\", \"restartPolicy\": \"always\", \"settings\": {{ \"image\": \"mcr.microsoft.com/azureiotedge-hub:1.5\", \"createOptions\": {createOptions} }}{env} }} }},"
                + " \"modules\": {} } } } }");
        }

        [Fact]
        public void The_engine_root_comes_from_docker_info_and_plenty_of_space_passes()
        {
            Docker(info: "{\"ID\":\"x\",\"DockerRootDir\":\"/data/docker\",\"Driver\":\"overlay2\"}");
            var result = Checks.RunOne(new ContainerEngineDiskSpaceCheck(p => Measure(p, 50 * GB, 100 * GB)), Context());
            Assert.Equal(CheckStatus.Pass, result.Status);
            Assert.Equal("container-engine-disk-space", result.CheckId);
            Assert.Equal(new[] { "/data/docker" }, _measured);
            Assert.Contains("'docker info' (DockerRootDir)", result.Message);
            Assert.Contains("docker info --format {{json .}}", string.Join("\n", _docker.Lines));
        }

        [Fact]
        public void Without_docker_the_data_root_of_daemon_json_is_measured()
        {
            _docker.Missing.Add("docker");
            string daemon = _folder.Write("daemon.json", "{ \"data-root\": \"/mnt/big/docker\" }");
            var result = Checks.RunOne(new ContainerEngineDiskSpaceCheck(p => Measure(p, 50 * GB, 100 * GB)), Context(null, daemon));
            Assert.Equal(new[] { "/mnt/big/docker" }, _measured);
            Assert.Contains($"data-root in '{daemon}'", result.Message);
            Assert.Contains("not found on PATH", result.Message);
        }

        [Fact]
        public void When_docker_refuses_and_daemon_json_says_nothing_the_default_root_is_measured_and_the_reason_said()
        {
            Docker(stderr: "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock");
            string daemon = _folder.Write("daemon.json", "{ \"log-driver\": \"local\" }");
            var result = Checks.RunOne(new ContainerEngineDiskSpaceCheck(p => Measure(p, 50 * GB, 100 * GB)), Context(null, daemon));
            Assert.Equal(new[] { "/var/lib/docker" }, _measured);
            Assert.Contains("docker", result.Message);
            Assert.Contains("usermod -aG docker", result.Message);
        }

        [Fact]
        public void A_machine_without_a_container_engine_is_skipped_not_measured()
        {
            _docker.Missing.Add("docker");
            var context = Context();
            context.IsWindows = true; // its default root, C:\ProgramData\iotedge-moby, exists on no test machine
            var result = Checks.RunOne(new ContainerEngineDiskSpaceCheck(p => Measure(p, 50 * GB, 100 * GB)), context);
            Assert.Equal(CheckStatus.Skipped, result.Status);
            Assert.Contains("no container engine was found", result.Message);
            Assert.Empty(_measured);

            string manifest = Manifest(null, "\"{}\"");
            var hub = Checks.RunOne(new EdgeHubDiskSpaceCheck(p => Measure(p, 50 * GB, 100 * GB)), Context(manifest));
            Assert.Equal(Directory.Exists("/var/lib/docker") ? CheckStatus.Pass : CheckStatus.Skipped, hub.Status);
        }

        [Theory]
        [InlineData(50, 100, CheckStatus.Pass)]
        [InlineData(8, 100, CheckStatus.Warning)] // under 10 %
        [InlineData(1.5, 100, CheckStatus.Error)] // under 2 %
        [InlineData(0.9, 2, CheckStatus.Warning)] // 45 %, but under 1 GB
        [InlineData(0.2, 0.5, CheckStatus.Error)] // 40 %, but under 256 MB
        public void Free_space_is_judged_by_share_and_by_size(double freeGb, double totalGb, CheckStatus expected)
        {
            var space = new DiskSpace("/", (long)(freeGb * GB), (long)(totalGb * GB));
            Assert.Equal(expected, space.Verdict);

            Docker(info: "{\"DockerRootDir\":\"/var/lib/docker\"}");
            var result = Checks.RunOne(new ContainerEngineDiskSpaceCheck(_ => space), Context());
            Assert.Equal(expected, result.Status);
            if (expected != CheckStatus.Pass) Assert.Contains("docker image prune", result.Remedy);
        }

        [Fact]
        public void A_real_folder_is_measured_on_its_volume_even_when_the_last_parts_do_not_exist_yet()
        {
            var space = DiskSpace.Measure(Path.Combine(_folder.Path, "not", "made", "yet"));
            Assert.NotNull(space);
            Assert.True(space!.Total > 0);
            Assert.InRange(space.Free, 0, space.Total);
            Assert.StartsWith(space.Volume.TrimEnd('/'), _folder.Path);

            Docker(info: $"{{\"DockerRootDir\":\"{_folder.Path}\"}}");
            var result = Checks.RunOne(new ContainerEngineDiskSpaceCheck(), Context());
            Assert.NotEqual(CheckStatus.Skipped, result.Status);
            Assert.Contains("free of", result.Message);
        }

        [Fact]
        public void A_root_of_which_no_part_exists_is_skipped()
        {
            Docker(info: "{\"DockerRootDir\":\"relative-nowhere\"}");
            var result = Checks.RunOne(new ContainerEngineDiskSpaceCheck(), Context());
            Assert.Equal(CheckStatus.Skipped, result.Status);
        }

        [Fact]
        public void EdgeHub_storage_bound_to_a_host_folder_is_persisted_and_that_folder_is_measured()
        {
            Docker(inspectHub: Inspect("/iotedge/storage", ("bind", "/srv/edgehub", "/iotedge/storage")));
            var mounted = Checks.RunOne(StorageMountedFromHostCheck.EdgeHub, Context());
            Assert.Equal(CheckStatus.Pass, mounted.Status);
            Assert.Equal("edge-hub-storage-mounted-from-host", mounted.CheckId);
            Assert.Contains("/iotedge/storage/edgeHub", mounted.Message);
            Assert.Contains("'/srv/edgehub'", mounted.Message);

            var space = Checks.RunOne(new EdgeHubDiskSpaceCheck(p => Measure(p, 1 * GB / 10, 100 * GB)), Context());
            Assert.Equal(CheckStatus.Error, space.Status);
            Assert.Equal("edge-hub-disk-space", space.CheckId);
            Assert.Equal(new[] { "/srv/edgehub" }, _measured);
            Assert.Contains("timeToLiveSecs", space.Remedy);
        }

        [Fact]
        public void EdgeHub_storage_in_the_container_layer_is_a_warning_and_the_engine_root_is_measured()
        {
            Docker(info: "{\"DockerRootDir\":\"/var/lib/docker\"}", inspectHub: Inspect(null, ("bind", "/var/run/iotedge/mgmt.sock", "/var/run/iotedge/mgmt.sock")));
            var mounted = Checks.RunOne(StorageMountedFromHostCheck.EdgeHub, Context());
            Assert.Equal(CheckStatus.Warning, mounted.Status);
            Assert.Contains("not configured to persist its /tmp/edgeHub directory", mounted.Message);
            Assert.Contains("HostConfig.Binds", mounted.Remedy);

            var space = Checks.RunOne(new EdgeHubDiskSpaceCheck(p => Measure(p, 50 * GB, 100 * GB)), Context());
            Assert.Equal(CheckStatus.Pass, space.Status);
            Assert.Equal(new[] { "/var/lib/docker" }, _measured);
            Assert.Contains("not bound to the host", space.Message);
        }

        [Theory]
        [InlineData("/tmp", true)] // a parent of /tmp/edgeHub holds it
        [InlineData("/tmp/edgeHub", true)]
        [InlineData("/", true)]
        [InlineData("/tmp/edgeHubX", false)] // a sibling whose name starts the same does not
        [InlineData("/tmp/edgeHub/sub", false)]
        [InlineData("/iotedge", false)]
        public void Only_a_mount_at_the_directory_or_a_parent_persists_it(string target, bool persisted)
        {
            Docker(inspectHub: Inspect(null, ("volume", "/var/lib/docker/volumes/hub/_data", target)));
            var result = Checks.RunOne(StorageMountedFromHostCheck.EdgeHub, Context());
            Assert.Equal(persisted ? CheckStatus.Pass : CheckStatus.Warning, result.Status);
        }

        [Fact]
        public void EdgeAgent_is_checked_by_its_own_id_and_container()
        {
            Docker(inspectAgent: Inspect("/data", ("bind", "/srv/edgeagent", "/data")));
            var result = Checks.RunOne(StorageMountedFromHostCheck.EdgeAgent, Context());
            Assert.Equal(CheckStatus.Pass, result.Status);
            Assert.Equal("edge-agent-storage-mounted-from-host", result.CheckId);
            Assert.Contains("docker inspect --type container edgeAgent", string.Join("\n", _docker.Lines));
        }

        [Fact]
        public void No_edgeHub_container_or_no_docker_is_skipped_with_the_reason()
        {
            Docker();
            var none = Checks.RunOne(StorageMountedFromHostCheck.EdgeHub, Context());
            Assert.Equal(CheckStatus.Skipped, none.Status);
            Assert.Contains("no edgeHub container", none.Message);

            _docker.Missing.Add("docker");
            var missing = Checks.RunOne(new EdgeHubDiskSpaceCheck(p => Measure(p, 50 * GB, 100 * GB)), Context());
            Assert.Equal(CheckStatus.Skipped, missing.Status);
            Assert.Contains("not found on PATH", missing.Message);
            Assert.Empty(_measured);
        }

        [Theory]
        [InlineData("not json")]
        [InlineData("[]")]
        public void An_answer_of_docker_that_is_not_a_container_is_skipped(string answer)
        {
            Docker(inspectHub: answer);
            Assert.Equal(CheckStatus.Skipped, Checks.RunOne(StorageMountedFromHostCheck.EdgeHub, Context()).Status);
        }

        [Fact]
        public void With_a_manifest_the_binds_of_its_createOptions_are_read_instead_of_docker()
        {
            string manifest = Manifest("/iotedge/storage", "\"{\\\"HostConfig\\\":{\\\"Binds\\\":[\\\"/srv/edgehub:/iotedge/storage:rw\\\"],\\\"PortBindings\\\":{\\\"443/tcp\\\":[{\\\"HostPort\\\":\\\"443\\\"}]}}}\"");
            var mounted = Checks.RunOne(StorageMountedFromHostCheck.EdgeHub, Context(manifest));
            Assert.Equal(CheckStatus.Pass, mounted.Status);
            Assert.Contains($"'{manifest}'", mounted.Message);
            Assert.Empty(_docker.Calls);

            var space = Checks.RunOne(new EdgeHubDiskSpaceCheck(p => Measure(p, 50 * GB, 100 * GB)), Context(manifest));
            Assert.Equal(new[] { "/srv/edgehub" }, _measured);
            Assert.Equal(CheckStatus.Pass, space.Status);
        }

        [Fact]
        public void A_manifest_without_binds_for_the_storage_is_a_warning()
        {
            string manifest = Manifest(null, "\"{\\\"HostConfig\\\":{\\\"Binds\\\":[\\\"/srv/edgehub:/iotedge/storage\\\"]}}\"");
            var result = Checks.RunOne(StorageMountedFromHostCheck.EdgeHub, Context(manifest));
            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.Contains("/tmp/edgeHub", result.Message);
        }

        [Fact]
        public void A_named_volume_of_the_manifest_persists_the_storage_on_the_engine_s_disk()
        {
            string manifest = Manifest("/iotedge/storage", "{ \"HostConfig\": { \"Mounts\": [ { \"Type\": \"volume\", \"Source\": \"edgehubdata\", \"Target\": \"/iotedge/storage\" } ] } }");
            var mounted = Checks.RunOne(StorageMountedFromHostCheck.EdgeHub, Context(manifest));
            Assert.Equal(CheckStatus.Pass, mounted.Status);
            Assert.Contains("volume 'edgehubdata'", mounted.Message);

            Docker(info: "{\"DockerRootDir\":\"/var/lib/docker\"}");
            var space = Checks.RunOne(new EdgeHubDiskSpaceCheck(p => Measure(p, 5 * GB, 100 * GB)), Context(manifest));
            Assert.Equal(CheckStatus.Warning, space.Status);
            Assert.Equal(new[] { "/var/lib/docker" }, _measured);
        }

        [Theory]
        [InlineData("{ \"modulesContent\": {} }", "has no edgeHub module")]
        [InlineData("{ \"modulesContent\": ", "not valid JSON")]
        public void A_manifest_that_cannot_tell_is_skipped(string text, string said)
        {
            string manifest = _folder.Write("broken.json", text);
            var result = Checks.RunOne(StorageMountedFromHostCheck.EdgeHub, Context(manifest));
            Assert.Equal(CheckStatus.Skipped, result.Status);
            Assert.Contains(said, result.Message);
        }

        [Fact]
        public void Broken_createOptions_are_skipped()
        {
            string manifest = Manifest(null, "\"{\\\"HostConfig\\\": \"");
            var result = Checks.RunOne(StorageMountedFromHostCheck.EdgeHub, Context(manifest));
            Assert.Equal(CheckStatus.Skipped, result.Status);
            Assert.Contains("createOptions", result.Message);
        }
    }
}
