using System;
using System.IO;
using System.Runtime.Versioning;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Platform;
using IoTEdgeTroubleshoot.Tests.Edge;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    /// <summary>
    /// statx is missing on older IoT Edge hosts (glibc before 2.28: Ubuntu 18.04, Debian 9): stat or __xstat
    /// must read the same mode and owner, so an edit there keeps them too. This machine has all three, so
    /// each is forced in turn.
    /// </summary>
    [SupportedOSPlatform("linux")] // the facts skip elsewhere
    public class UnixStatTests
    {
        [Theory]
        [InlineData(true, true, true, "Statx")]    // glibc 2.33+
        [InlineData(true, false, true, "Statx")]   // glibc 2.28 to 2.32
        [InlineData(false, false, true, "XStat")]  // glibc before 2.28: Ubuntu 18.04, Debian 9
        [InlineData(false, true, false, "Stat")]   // musl before 1.2.5: older Alpine
        public void TheFirstCallThatWorks_IsChosen(bool statx, bool stat, bool xstat, string expected)
        {
            Assert.Equal(Call(expected), UnixStat.Choose(call => call == UnixStat.Call.Statx ? statx : call == UnixStat.Call.Stat ? stat : xstat));
        }

        [Fact]
        public void NoCallAtAll_IsAClearError()
        {
            var ex = Assert.Throws<PlatformNotSupportedException>(() => UnixStat.Choose(_ => false));
            Assert.Contains("statx, stat and __xstat", ex.Message);
        }

        [MachineFact]
        public void ThisMachine_UsesStatx()
        {
            Assert.Equal(UnixStat.Call.Statx, UnixStat.ForThisSystem.Using); // glibc 2.28 or later here
        }

        [MachineTheory]
        [InlineData("Statx", 0x180, false)]
        [InlineData("Stat", 0x180, false)]
        [InlineData("XStat", 0x180, false)]
        [InlineData("Stat", 0x1A0, true)]
        [InlineData("XStat", 0x1A0, true)]
        [InlineData("XStat", 0x9ED, false)] // 04755 with the set-uid bit
        public void EveryCall_ReadsTheSameModeAndOwner(string call, int mode, bool ownedByNobody)
        {
            using var dir = new TempFolder();
            string path = dir.Write("config.yaml", "hostname: a\n");
            File.SetUnixFileMode(path, (UnixFileMode)mode);
            if (ownedByNobody && !ChownToNobody(path)) return; // only root can give a file away; the rest of the data still counts

            var status = new UnixStat(Call(call)).Of(path);
            var reference = new UnixStat(UnixStat.Call.Statx).Of(path);

            Assert.Equal((uint)mode, status.Permissions);
            Assert.Equal(0x8000u, status.Mode & 0xF000); // a regular file
            Assert.Equal(reference.Uid, status.Uid);
            Assert.Equal(reference.Gid, status.Gid);
            if (ownedByNobody) Assert.Equal((uint)Machine.Nobody, status.Uid);
        }

        /// <summary>The fallback end to end: an edit with statx taken away keeps the file's mode, owner and group, and so does its backup.</summary>
        [MachineTheory(Needs.Root)]
        [InlineData("Stat")]
        [InlineData("XStat")]
        public void EditWithoutStatx_KeepsModeAndOwner(string call)
        {
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            File.SetUnixFileMode(path, (UnixFileMode)0x1A0); // 0640
            Assert.True(ChownToNobody(path));
            var doc = EdgeConfigDocument.Load(path);
            var writer = new SafeFileWriter(new LinuxFilePermissions(new UnixStat(Call(call))), clock: () => DateTimeOffset.UnixEpoch);

            var result = writer.Replace(doc.File, ConfigEditor.SetHostname(doc, "edge-gw-02"));

            var check = new UnixStat(UnixStat.Call.Statx);
            foreach (var file in new[] { path, result.BackupPath! })
            {
                var status = check.Of(file);
                Assert.Equal(0x1A0u, status.Permissions);
                Assert.Equal((uint)Machine.Nobody, status.Uid);
                Assert.Equal((uint)Machine.Nobody, status.Gid);
            }

            Assert.Contains("hostname: \"edge-gw-02\"", File.ReadAllText(path));
        }

        [MachineFact]
        public void AMissingFile_IsAnIOExceptionWithItsErrno()
        {
            foreach (var call in new[] { UnixStat.Call.Statx, UnixStat.Call.Stat, UnixStat.Call.XStat })
            {
                var ex = Assert.Throws<IOException>(() => new UnixStat(call).Of("/nonexistent/config.yaml"));
                Assert.Equal(UnixErrors.ENOENT, ex.HResult);
                Assert.Contains("/nonexistent/config.yaml", ex.Message);
            }
        }

        private static UnixStat.Call Call(string name) => Enum.Parse<UnixStat.Call>(name);

        private static bool ChownToNobody(string path) => Machine.Run("chown", $"{Machine.Nobody}:{Machine.Nobody} {path}") == 0;
    }
}
