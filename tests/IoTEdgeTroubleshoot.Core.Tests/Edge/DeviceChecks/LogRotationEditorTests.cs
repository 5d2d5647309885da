using System;
using System.IO;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.DeviceChecks;
using IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.DeviceChecks
{
    /// <summary>Set-IoTEdgeContainerLogRotation's edit of daemon.json: what it writes, what it keeps, what it refuses.</summary>
    public sealed class LogRotationEditorTests : IDisposable
    {
        private readonly TempFolder _folder = new TempFolder();

        public void Dispose() => _folder.Dispose();

        private string Edit(string? text, string driver = "json-file", string size = "10m", int files = 3)
        {
            string path = Path.Combine(_folder.Path, "daemon.json");
            if (text != null) File.WriteAllText(path, text);
            var edit = LogRotationEditor.Plan(path, driver, size, files);
            Assert.Equal(text == null, edit.File == null);
            return edit.NewText;
        }

        /// <summary>The edited text makes container-engine-logrotate pass.</summary>
        private void AssertRotates(string text)
        {
            string path = _folder.Write(Path.Combine("check", "daemon.json"), text);
            var result = Checks.RunOne(new ContainerLogRotationCheck(), new DeviceCheckContext { DaemonJsonPaths = new[] { path } });
            Assert.Equal(CheckStatus.Pass, result.Status);
        }

        [Fact]
        public void A_missing_file_is_created_in_the_checklist_layout()
        {
            string text = Edit(null);
            Assert.Equal("{\n    \"log-driver\": \"json-file\",\n    \"log-opts\": {\n        \"max-size\": \"10m\",\n        \"max-file\": \"3\"\n    }\n}\n", text);
            AssertRotates(text);
        }

        [Theory]
        [InlineData("")]
        [InlineData("{}")]
        [InlineData("  \n")]
        public void An_empty_file_gets_the_same_layout(string text)
        {
            Assert.StartsWith("{\n    \"log-driver\": \"json-file\",", Edit(text));
        }

        [Fact]
        public void Other_keys_their_order_and_the_file_s_indentation_and_line_endings_stay()
        {
            string before = "{\r\n\t\"dns\": [\"10.0.0.53\"],\r\n\t\"data-root\": \"/mnt/docker\"\r\n}\r\n";
            string after = Edit(before, "local", "20m", 5);
            Assert.Equal("{\r\n\t\"dns\": [\"10.0.0.53\"],\r\n\t\"data-root\": \"/mnt/docker\",\r\n\t\"log-driver\": \"local\",\r\n\t\"log-opts\": {\r\n\t\t\"max-size\": \"20m\",\r\n\t\t\"max-file\": \"5\"\r\n\t}\r\n}\r\n", after);
            AssertRotates(after);
        }

        [Fact]
        public void Existing_log_opts_are_completed_and_their_other_options_kept()
        {
            string before = "{\n  \"log-driver\": \"json-file\",\n  \"log-opts\": {\n    \"labels\": \"production\",\n    \"max-size\": 100\n  }\n}\n";
            string after = Edit(before);
            Assert.Equal("{\n  \"log-driver\": \"json-file\",\n  \"log-opts\": {\n    \"labels\": \"production\",\n    \"max-size\": \"10m\",\n    \"max-file\": \"3\"\n  }\n}\n", after);
        }

        [Fact]
        public void A_file_written_on_one_line_stays_on_one_line()
        {
            string after = Edit("{\"debug\":true}");
            Assert.DoesNotContain("\n", after);
            Assert.Contains("\"log-driver\":\"json-file\"", after);
            AssertRotates(after);
        }

        [Fact]
        public void A_file_that_already_says_it_is_left_exactly_as_it_is()
        {
            string once = Edit("{ \"dns\": [\"1.1.1.1\"] }");
            Assert.Equal(once, Edit(once));
        }

        [Fact]
        public void Another_driver_is_replaced_in_place()
        {
            string after = Edit("{\n  \"log-driver\": \"journald\",\n  \"debug\": true\n}\n", "local");
            Assert.Equal("{\n  \"log-driver\": \"local\",\n  \"debug\": true,\n  \"log-opts\": {\n    \"max-size\": \"10m\",\n    \"max-file\": \"3\"\n  }\n}\n", after);
        }

        [Fact]
        public void Log_opts_that_is_not_an_object_is_refused_at_its_place_and_nothing_is_planned()
        {
            var ex = Assert.Throws<TroubleshootException>(() => Edit("{\n  \"log-opts\": [\"max-size=10m\"]\n}\n"));
            Assert.Equal(ErrorIds.JsonNotValid, ex.ErrorId);
            Assert.Equal(2, ex.Position!.Line);
            Assert.Equal(15, ex.Position.Column);
            Assert.Contains("log-opts is an array", ex.Message);
        }

        [Theory]
        [InlineData("{\n  \"debug\": true,\n}", 3)]
        [InlineData("[1, 2]", 1)]
        public void Malformed_JSON_or_a_root_that_is_not_an_object_is_refused_with_its_line(string text, int line)
        {
            var ex = Assert.Throws<TroubleshootException>(() => Edit(text));
            Assert.Equal(ErrorIds.JsonNotValid, ex.ErrorId);
            Assert.Equal(line, ex.Position!.Line);
        }

        [Theory]
        [InlineData("syslog", "10m", 3)]
        [InlineData("json-file", "10 MB", 3)]
        [InlineData("json-file", "0m", 3)]
        [InlineData("json-file", "10m", 0)]
        public void Values_docker_would_refuse_are_refused_before_the_file_is_read(string driver, string size, int files)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => LogRotationEditor.Plan(Path.Combine(_folder.Path, "absent", "daemon.json"), driver, size, files));
        }
    }
}
