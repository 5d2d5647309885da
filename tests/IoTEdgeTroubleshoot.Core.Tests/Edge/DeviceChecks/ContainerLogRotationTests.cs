using System;
using System.IO;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.DeviceChecks;
using IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks;
using IoTEdgeTroubleshoot.Tests.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.DeviceChecks
{
    /// <summary>container-engine-logrotate against real daemon.json files.</summary>
    public sealed class ContainerLogRotationTests : IDisposable
    {
        private readonly TempFolder _folder = new TempFolder();

        public void Dispose() => _folder.Dispose();

        private IoTEdgeCheckResult Check(string? daemonJson, string name = "daemon.json")
        {
            string path = Path.Combine(_folder.Path, name);
            if (daemonJson != null) File.WriteAllText(path, daemonJson);
            return Checks.RunOne(new ContainerLogRotationCheck(), new DeviceCheckContext { DaemonJsonPaths = new[] { path } });
        }

        [Theory]
        [InlineData("{ \"log-driver\": \"json-file\", \"log-opts\": { \"max-size\": \"10m\", \"max-file\": \"3\" } }", "max-size 10m and max-file 3")]
        [InlineData("{ \"log-opts\": { \"max-size\": \"10m\", \"max-file\": \"3\" } }", "max-size 10m")]
        [InlineData("{ \"log-driver\": \"local\" }", "rotates by default")]
        [InlineData("{ \"log-driver\": \"journald\" }", "a system that rotates them")]
        [InlineData("{ \"log-driver\": \"none\" }", "keeps no logs at all")]
        public void Engines_that_rotate_module_logs_pass(string json, string said)
        {
            var result = Check(json);
            Assert.Equal(CheckStatus.Pass, result.Status);
            Assert.Equal("container-engine-logrotate", result.CheckId);
            Assert.Contains(said, result.Message);
        }

        [Theory]
        [InlineData("{ \"dns\": [\"1.1.1.1\"] }", "no log-driver (so json-file, the default) with no log-opts")]
        [InlineData("{ \"log-driver\": \"json-file\" }", "with no log-opts")]
        [InlineData("{ \"log-driver\": \"json-file\", \"log-opts\": { \"max-file\": \"3\" } }", "no max-size")]
        [InlineData("{ \"log-driver\": \"json-file\", \"log-opts\": { \"max-size\": \"10m\" } }", "no max-file")]
        [InlineData("{ \"log-driver\": \"json-file\", \"log-opts\": [] }", "log-opts that is not an object")]
        [InlineData("{ \"log-driver\": \"mystery\" }", "does not know")]
        [InlineData("   \n", "is empty")]
        public void Engines_that_let_logs_grow_are_warnings_with_the_snippet(string json, string said)
        {
            var result = Check(json);
            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.Contains(said, result.Message);
            Assert.Contains("\"log-driver\": \"local\"", result.Remedy);
            Assert.Equal($"Set-IoTEdgeContainerLogRotation -DaemonConfigPath '{Path.Combine(_folder.Path, "daemon.json")}'", result.RemedyCommand);
        }

        [Fact]
        public void No_daemon_json_is_a_warning_as_iotedge_check_has_it()
        {
            var result = Check(null);
            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.Contains("does not exist", result.Message);
        }

        [Fact]
        public void The_first_existing_of_the_candidate_paths_is_read()
        {
            string older = _folder.Write(Path.Combine("iotedge-moby-data", "config", "daemon.json"), "{ \"log-driver\": \"local\" }");
            var context = new DeviceCheckContext { DaemonJsonPaths = new[] { Path.Combine(_folder.Path, "iotedge-moby", "config", "daemon.json"), older } };
            var result = Checks.RunOne(new ContainerLogRotationCheck(), context);
            Assert.Equal(CheckStatus.Pass, result.Status);
            Assert.Equal(older, result.Path);
        }

        [Fact]
        public void Malformed_JSON_is_an_error_with_its_line_and_column()
        {
            var result = Check("{\n  \"log-driver\": \"local\",\n  oops\n}");
            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.Equal(3, result.Line);
            Assert.StartsWith(Path.Combine(_folder.Path, "daemon.json") + ":3:", result.Message);
        }

        [Fact]
        public void A_number_where_docker_takes_a_string_is_an_error_at_the_value()
        {
            var result = Check("{\n  \"log-driver\": \"json-file\",\n  \"log-opts\": { \"max-size\": 10, \"max-file\": \"3\" }\n}");
            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.Contains("max-size", result.Message);
            Assert.Equal(3, result.Line);
            Assert.Equal(29, result.Column);
        }

        [Theory]
        [InlineData("[]", "not a JSON object")]
        [InlineData("{ \"log-driver\": 5 }", "log-driver")]
        public void Shapes_docker_refuses_are_errors(string json, string said)
        {
            var result = Check(json);
            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.Contains(said, result.Message);
        }

        [Fact]
        public void A_folder_in_place_of_daemon_json_is_an_error()
        {
            Directory.CreateDirectory(Path.Combine(_folder.Path, "daemon.json"));
            var result = Check(null);
            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.Contains("is a folder", result.Message);
        }

        [MachineFact]
        public void A_named_pipe_in_place_of_daemon_json_is_not_opened_so_the_check_ends()
        {
            string fifo = Path.Combine(_folder.Path, "daemon.json");
            Assert.Equal(0, Machine.Run("mkfifo", fifo));
            var run = System.Threading.Tasks.Task.Run(() => Check(null));
            Assert.True(run.Wait(TimeSpan.FromSeconds(10)), "the check waited on the named pipe");
            Assert.Equal(CheckStatus.Skipped, run.Result.Status);
            Assert.Contains("named pipe", run.Result.Message);
        }

        [UnprivilegedFact]
        public void A_daemon_json_only_root_can_read_is_skipped()
        {
            if (!OperatingSystem.IsLinux()) return; // the fact is skipped elsewhere
            string path = _folder.Write("daemon.json", "{ \"log-driver\": \"local\" }");
            File.SetUnixFileMode(path, UnixFileMode.None);
            var result = Checks.RunOne(new ContainerLogRotationCheck(), new DeviceCheckContext { DaemonJsonPaths = new[] { path } });
            Assert.Equal(CheckStatus.Skipped, result.Status);
            Assert.Contains("run elevated", result.Message);
        }

        [Fact]
        public void No_candidate_path_is_skipped()
        {
            var result = Checks.RunOne(new ContainerLogRotationCheck(), new DeviceCheckContext());
            Assert.Equal(CheckStatus.Skipped, result.Status);
        }
    }
}
