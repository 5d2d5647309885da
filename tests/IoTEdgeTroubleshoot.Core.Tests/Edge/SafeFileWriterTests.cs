using System;
using System.IO;
using System.Linq;
using System.Text;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge
{
    public class SafeFileWriterTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);

        private static SafeFileWriter Writer() => new SafeFileWriter(clock: () => Now);

        [Fact]
        public void Edit_WritesTheNewText_AndATimestampedBackupOfTheOld()
        {
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            byte[] original = File.ReadAllBytes(path);
            var doc = EdgeConfigDocument.Load(path);

            var result = Writer().Replace(doc.File, ConfigEditor.SetHostname(doc, "edge-gw-02"));

            Assert.True(result.Changed);
            Assert.Equal(path + ".20261122T060000Z.bak", result.BackupPath);
            Assert.Equal(original, File.ReadAllBytes(result.BackupPath!));
            Assert.Contains("hostname: \"edge-gw-02\"", File.ReadAllText(path));
            Assert.Equal(new[] { "config.yaml", "config.yaml.20261122T060000Z.bak" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName).OrderBy(n => n));
        }

        [Fact]
        public void SecondIdenticalRun_WritesNothing_AndMakesNoBackup()
        {
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            var first = EdgeConfigDocument.Load(path);
            Writer().Replace(first.File, ConfigEditor.SetRuntimeLogLevel(first, "debug"));
            var stamp = File.GetLastWriteTimeUtc(path);

            var second = EdgeConfigDocument.Load(path);
            var result = Writer().Replace(second.File, ConfigEditor.SetRuntimeLogLevel(second, "debug"));

            Assert.False(result.Changed);
            Assert.Null(result.BackupPath);
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
            Assert.Equal(2, Directory.GetFiles(dir.Path).Length);
        }

        [Fact]
        public void BomAndUtf8_AreKept()
        {
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "bom.yaml", "config.yaml");
            var doc = EdgeConfigDocument.Load(path);

            Writer().Replace(doc.File, ConfigEditor.SetHostname(doc, "edge-gw-02"));

            byte[] bytes = File.ReadAllBytes(path);
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes.Take(3));
            Assert.Equal(File.ReadAllBytes(ConfigFiles.Source("bom.yaml")).Length, bytes.Length);
        }

        [Fact]
        public void Mode600_Stays600()
        {
            if (!OperatingSystem.IsLinux()) return;
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var doc = EdgeConfigDocument.Load(path);

            var result = Writer().Replace(doc.File, ConfigEditor.SetHostname(doc, "edge-gw-02"));

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(result.BackupPath!));
            Assert.Equal(0x180, FilePermissions.ForThisPlatform().ModeOf(path)); // 0600, read back through statx
        }

        [Fact]
        public void CrashBeforeTheRename_LeavesTheOriginalIntact_AndNoTemporaryFile()
        {
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            byte[] original = File.ReadAllBytes(path);
            var doc = EdgeConfigDocument.Load(path);
            var writer = Writer();
            writer.AfterFinalCheck = temp =>
            {
                Assert.True(File.Exists(temp));
                throw new IOException("simulated power loss");
            };

            var ex = Assert.Throws<FileWriteException>(() => writer.Replace(doc.File, ConfigEditor.SetHostname(doc, "edge-gw-02")));

            Assert.False(ex.FileChanged);
            Assert.Contains("simulated power loss", ex.Message);

            Assert.Equal(original, File.ReadAllBytes(path));
            Assert.Equal(new[] { "config.yaml" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        }

        [Fact]
        public void ChangeByAnotherWriter_IsDetected_AndNotOverwritten()
        {
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            var doc = EdgeConfigDocument.Load(path);
            var writer = Writer();
            writer.BeforeFinalCheck = _ => File.AppendAllText(path, "# someone else was here\n");

            var ex = Assert.Throws<TroubleshootException>(() => writer.Replace(doc.File, ConfigEditor.SetHostname(doc, "edge-gw-02")));

            Assert.Equal("FileChangedSinceRead", ex.ErrorId);
            Assert.EndsWith("# someone else was here\n", File.ReadAllText(path));
            Assert.Equal(new[] { "config.yaml" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        }

        [Fact]
        public void NotUtf8_IsNeverEdited()
        {
            using var dir = new TempFolder();
            string path = Path.Combine(dir.Path, "config.yaml");
            File.WriteAllBytes(path, Encoding.UTF8.GetBytes("hostname: \"a\"\n").Concat(new byte[] { 0xC3, 0x28, 0x0A }).ToArray());

            var snapshot = TextFileSnapshot.Read(path);

            Assert.False(snapshot.IsValidText);
            Assert.Equal("FileNotText", Assert.Throws<TroubleshootException>(() => Writer().Replace(snapshot, "hostname: \"b\"\n")).ErrorId);
        }
    }
}
