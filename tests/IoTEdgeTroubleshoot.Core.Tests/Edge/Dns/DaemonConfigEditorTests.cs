using System;
using System.IO;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.Dns;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Dns
{
    public class DaemonConfigEditorTests
    {
        private static readonly string[] Servers = { "10.0.0.53", "1.1.1.1" };

        private static SafeFileWriter Writer() => new SafeFileWriter(clock: () => new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero));

        [Theory]
        [InlineData("daemon-log-opts.json")]
        [InlineData("daemon-dns-crlf-tabs.json")]
        [InlineData("daemon-compact.json")]
        [InlineData("daemon-empty-object.json")]
        [InlineData("daemon-bom-two-spaces.json")]
        public void Merge_AddsOrReplacesDns_KeepingEveryOtherByte(string name)
        {
            using var dir = new TempFolder();
            string path = GoldenFiles.CopyTo(dir, name, "daemon.json");
            var edit = DaemonConfigEditor.Plan(path, Servers);
            Writer().Replace(edit.File!, edit.NewText);

            GoldenFiles.AssertMatches(Path.GetFileNameWithoutExtension(name) + ".dns.expected.json", File.ReadAllBytes(path));
            Assert.Single(Directory.GetFiles(dir.Path, "daemon.json.*.bak"));
        }

        [Theory]
        [InlineData("daemon-log-opts.json")]
        [InlineData("daemon-dns-crlf-tabs.json")]
        [InlineData("daemon-compact.json")]
        public void Merge_IsIdempotent(string name)
        {
            using var dir = new TempFolder();
            string path = GoldenFiles.CopyTo(dir, name, "daemon.json");
            var first = DaemonConfigEditor.Plan(path, Servers);
            Writer().Replace(first.File!, first.NewText);

            var second = DaemonConfigEditor.Plan(path, Servers);

            Assert.False(second.Changes);
            Assert.False(Writer().Replace(second.File!, second.NewText).Changed);
        }

        [Fact]
        public void MissingFile_IsPlannedAsTheGuidesExample()
        {
            using var dir = new TempFolder();
            string path = Path.Combine(dir.Path, "docker", "daemon.json");

            var edit = DaemonConfigEditor.Plan(path, new[] { "1.1.1.1" });
            NewFileWriter.Create(edit.Path, System.Text.Encoding.UTF8.GetBytes(edit.NewText));

            Assert.Null(edit.File);
            Assert.True(edit.Changes);
            Assert.Equal("{\n    \"dns\": [\"1.1.1.1\"]\n}\n", File.ReadAllText(path));
            Assert.False(DaemonConfigEditor.Plan(path, new[] { "1.1.1.1" }).Changes);
        }

        [Fact]
        public void EmptyFile_ReadsAsAnEmptyObject()
        {
            using var dir = new TempFolder();
            string path = dir.Write("daemon.json", "  \n");

            Assert.Equal("{\n    \"dns\": [\"1.1.1.1\"]\n}\n", DaemonConfigEditor.Plan(path, new[] { "1.1.1.1" }).NewText);
        }

        [Theory]
        [InlineData("{\n    \"dns\": [\"1.1.1.1\",]\n}\n", 2, 23)]
        [InlineData("{\n  // the engine's settings\n  \"debug\": true\n}\n", 2, 3)]
        [InlineData("{\n  \"registry-mirrors\": [\"https://m\"]\n  \"debug\": true\n}\n", 3, 3)]
        [InlineData("{\n  \"é\": \"x\" \"debug\": true\n}\n", 2, 12)]
        public void MalformedJson_IsRefusedWithLineAndColumn_AndNothingWritten(string text, int line, int column)
        {
            using var dir = new TempFolder();
            string path = dir.Write("daemon.json", text);

            var ex = Assert.Throws<TroubleshootException>(() => DaemonConfigEditor.Plan(path, Servers));

            Assert.Equal(ErrorIds.JsonNotValid, ex.ErrorId);
            Assert.Equal(line, ex.Position!.Line);
            Assert.Equal(column, ex.Position.Column);
            Assert.StartsWith($"{path}:{line}:{column}: ", ex.Message);
            Assert.Equal(text, File.ReadAllText(path));
        }

        [Fact]
        public void JsonThatIsNotAnObject_IsRefused()
        {
            using var dir = new TempFolder();
            string path = dir.Write("daemon.json", "[\"1.1.1.1\"]\n");

            var ex = Assert.Throws<TroubleshootException>(() => DaemonConfigEditor.Plan(path, Servers));

            Assert.Equal(ErrorIds.JsonNotValid, ex.ErrorId);
            Assert.Contains("must be a JSON object", ex.Message);
        }

        [Theory]
        [InlineData("1")]
        [InlineData("1.1.1")]
        [InlineData("256.1.1.1")]
        [InlineData("dns.contoso.com")]
        [InlineData("10.0.0.53:53")]
        [InlineData(" 1.1.1.1")]
        [InlineData("")]
        [InlineData("fe80::1%eth0")]
        public void BadAddresses_AreRefusedBeforeAnythingIsRead(string server)
        {
            var ex = Assert.Throws<TroubleshootException>(() => DaemonConfigEditor.Plan("/nonexistent/daemon.json", new[] { server }));
            Assert.Equal(ErrorIds.InvalidDnsServer, ex.ErrorId);
        }

        [Theory]
        [InlineData("1.1.1.1")]
        [InlineData("10.0.0.53")]
        [InlineData("2606:4700:4700::1111")]
        [InlineData("::1")]
        public void GoodAddresses_AreTaken(string server) => Assert.Null(DnsServers.Problem(server));

        [Fact]
        public void RepeatedAddress_IsRefused()
        {
            var ex = Assert.Throws<TroubleshootException>(() => DnsServers.Validate(new[] { "1.1.1.1", "1.1.1.1" }));
            Assert.Contains("given twice", ex.Message);
        }

        [Fact]
        public void WindowsChecksBothPaths_AndEditsTheOneThatExists()
        {
            Assert.Equal(new[] { DaemonConfigLocations.Windows, DaemonConfigLocations.WindowsGuide }, DaemonConfigLocations.Candidates(windows: true));
            Assert.Equal(new[] { DaemonConfigLocations.Linux }, DaemonConfigLocations.Candidates(windows: false));
            Assert.Equal(DaemonConfigLocations.WindowsGuide, DaemonConfigLocations.DefaultForEdit(true, p => p == DaemonConfigLocations.WindowsGuide));
            Assert.Equal(DaemonConfigLocations.Windows, DaemonConfigLocations.DefaultForEdit(true, _ => false));
        }
    }
}
