using System;
using System.IO;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Daemon;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Daemon
{
    /// <summary>Set-IoTEdgeDaemonLogLevel's logic: the 1.0/1.1 drop-in edit, and the 1.2+ command.</summary>
    public class DaemonLogLevelTests
    {
        private static string Set(string text, string level = "debug", string newLine = "\n") =>
            SystemdDropIn.SetEnvironment("/x/override.conf", text, newLine, "IOTEDGE_LOG", current => DaemonLogLevel.V11Value(current, level));

        [Fact]
        public void NoFile_GetsTheGuidesTwoLines()
        {
            Assert.Equal("[Service]\nEnvironment=IOTEDGE_LOG=edgelet=debug\n", Set(string.Empty));
        }

        [Fact]
        public void TheGuidesFile_ChangesOnlyTheLevel()
        {
            Assert.Equal("[Service]\nEnvironment=IOTEDGE_LOG=edgelet=info\n", Set("[Service]\nEnvironment=IOTEDGE_LOG=edgelet=debug\n", "info"));
        }

        [Fact]
        public void OtherSettings_Comments_AndOtherVariablesOnTheLine_AreKept()
        {
            const string before = "# set by ops 2026-11-02\n[Unit]\nDescription=x\n\n[Service]\n; proxy for the daemon\nEnvironment=\"https_proxy=http://proxy:3128\" IOTEDGE_LOG=edgelet=info NO_PROXY=localhost\nLimitNOFILE=4096\n";
            const string after = "# set by ops 2026-11-02\n[Unit]\nDescription=x\n\n[Service]\n; proxy for the daemon\nEnvironment=\"https_proxy=http://proxy:3128\" IOTEDGE_LOG=edgelet=trace NO_PROXY=localhost\nLimitNOFILE=4096\n";

            Assert.Equal(after, Set(before, "trace"));
        }

        [Fact]
        public void AQuotedAssignment_StaysQuoted()
        {
            Assert.Equal("[Service]\nEnvironment=\"IOTEDGE_LOG=edgelet=warn\"\n", Set("[Service]\nEnvironment=\"IOTEDGE_LOG=edgelet=debug\"\n", "warn"));
        }

        [Fact]
        public void AServiceSectionWithoutTheVariable_GetsTheLineAtItsEnd_BeforeTheNextSection()
        {
            Assert.Equal("[Service]\nRestart=always\nEnvironment=IOTEDGE_LOG=edgelet=debug\n\n[Install]\nWantedBy=multi-user.target\n",
                Set("[Service]\nRestart=always\n\n[Install]\nWantedBy=multi-user.target\n"));
        }

        [Fact]
        public void AFileWithoutServiceSection_GetsOneAtTheEnd_AndCrlfIsKept()
        {
            Assert.Equal("[Unit]\r\nAfter=docker.service\r\n\r\n[Service]\r\nEnvironment=IOTEDGE_LOG=edgelet=error\r\n", Set("[Unit]\r\nAfter=docker.service\r\n", "error", "\r\n"));
        }

        [Fact]
        public void AFileWithoutFinalNewLine_IsEditedInPlace()
        {
            Assert.Equal("[Service]\nEnvironment=IOTEDGE_LOG=edgelet=info", Set("[Service]\nEnvironment=IOTEDGE_LOG=edgelet=debug", "info"));
        }

        [Fact]
        public void EveryAssignment_IsChanged_SoTheFileNeverContradictsItself()
        {
            Assert.Equal("[Service]\nEnvironment=IOTEDGE_LOG=edgelet=info\n[Service]\nEnvironment=IOTEDGE_LOG=edgelet=info\n",
                Set("[Service]\nEnvironment=IOTEDGE_LOG=debug\n[Service]\nEnvironment=IOTEDGE_LOG=edgelet=trace\n", "info"));
        }

        [Fact]
        public void ACommentedOutAssignment_IsLeftAlone()
        {
            Assert.Equal("[Service]\n#Environment=IOTEDGE_LOG=edgelet=debug\nEnvironment=IOTEDGE_LOG=edgelet=info\n", Set("[Service]\n#Environment=IOTEDGE_LOG=edgelet=debug\n", "info"));
        }

        [Fact]
        public void AContinuedLine_IsRefused_AtItsPlace()
        {
            var ex = Assert.Throws<TroubleshootException>(() => Set("[Service]\n\nEnvironment=IOTEDGE_LOG=edgelet=debug \\\n  OTHER=1\n"));

            Assert.Equal(ErrorIds.DropInNotEditable, ex.ErrorId);
            Assert.Equal(3, ex.Position!.Line);
            Assert.StartsWith("/x/override.conf:3:1: ", ex.Message);
        }

        [Theory]
        [InlineData(null, "debug", "edgelet=debug")]
        [InlineData("edgelet=info", "debug", "edgelet=debug")]
        [InlineData("debug", "info", "edgelet=info")]
        [InlineData("edgelet=info,hyper=warn", "trace", "edgelet=trace,hyper=warn")]
        [InlineData("info, edgelet_docker=debug", "warn", "edgelet=warn,edgelet_docker=debug")]
        public void V11Value_SetsEdgelet_AndKeepsOtherCratesDirectives(string? current, string level, string expected)
        {
            Assert.Equal(expected, DaemonLogLevel.V11Value(current, level));
        }

        [Fact]
        public void GetEnvironment_TheLastAssignmentWins_AndAnEmptyLineResets()
        {
            Assert.Equal("edgelet=trace", SystemdDropIn.GetEnvironment("[Service]\nEnvironment=IOTEDGE_LOG=debug\nEnvironment=\"IOTEDGE_LOG=edgelet=trace\"\n", "IOTEDGE_LOG"));
            Assert.Null(SystemdDropIn.GetEnvironment("[Service]\nEnvironment=IOTEDGE_LOG=debug\nEnvironment=\n", "IOTEDGE_LOG"));
            Assert.Null(SystemdDropIn.GetEnvironment("[Unit]\nEnvironment=IOTEDGE_LOG=debug\n", "IOTEDGE_LOG"));
        }

        [Theory]
        [InlineData("DEBUG", "debug")]
        [InlineData(" Warn ", "warn")]
        public void Normalize_AcceptsAnyCase(string given, string expected) => Assert.Equal(expected, DaemonLogLevel.Normalize(given));

        [Theory]
        [InlineData("information")]
        [InlineData("verbose")]
        [InlineData("")]
        public void Normalize_RefusesWhatTheDaemonsDoNotKnow(string level)
        {
            var ex = Assert.Throws<TroubleshootException>(() => DaemonLogLevel.Normalize(level));

            Assert.Equal(ErrorIds.InvalidLogLevel, ex.ErrorId);
            Assert.Contains("error, warn, info, debug, trace", ex.Message);
        }

        [Fact]
        public void PlanAndWrite_CreateTheFileAndFolder_ThenEditWithABackup_ThenChangeNothing()
        {
            using var folder = new TempFolder();
            string path = Path.Combine(folder.Path, "iotedge.service.d", "override.conf");

            var create = DaemonLogLevel.PlanV11(path, "debug");
            Assert.True(create.Changes);
            Assert.Contains("+Environment=IOTEDGE_LOG=edgelet=debug", create.Diff);
            Assert.Null(DaemonLogLevel.Write(create).BackupPath);
            Assert.Equal("[Service]\nEnvironment=IOTEDGE_LOG=edgelet=debug\n", File.ReadAllText(path));

            var edit = DaemonLogLevel.PlanV11(path, "INFO");
            Assert.Contains("-Environment=IOTEDGE_LOG=edgelet=debug", edit.Diff);
            var written = DaemonLogLevel.Write(edit);
            Assert.Equal("[Service]\nEnvironment=IOTEDGE_LOG=edgelet=info\n", File.ReadAllText(path));
            Assert.Equal("[Service]\nEnvironment=IOTEDGE_LOG=edgelet=debug\n", File.ReadAllText(written.BackupPath!));

            Assert.False(DaemonLogLevel.PlanV11(path, "info").Changes); // idempotent
            Assert.Equal(new[] { "override.conf", Path.GetFileName(written.BackupPath!) }.OrderBy(n => n), Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName).OrderBy(n => n));
        }

        [Fact]
        public void Plan_AFolderWhereTheDropInShouldBe_IsRefusedNamingTheFileToGive_AndNothingIsWritten()
        {
            using var folder = new TempFolder();
            string dropInFolder = Path.Combine(folder.Path, "iotedge.service.d");
            Directory.CreateDirectory(dropInFolder);

            var ex = Assert.Throws<TroubleshootException>(() => DaemonLogLevel.PlanV11(dropInFolder, "debug"));

            Assert.Equal(ErrorIds.DropInWriteFailed, ex.ErrorId);
            Assert.Contains("is a folder, not a drop-in file", ex.Message);
            Assert.Contains(Path.Combine(dropInFolder, "override.conf"), ex.Message);
            Assert.Empty(Directory.EnumerateFileSystemEntries(dropInFolder));
        }

        [Fact]
        public void Plan_AFileThatIsNotText_IsRefused()
        {
            using var folder = new TempFolder();
            string path = Path.Combine(folder.Path, "override.conf");
            File.WriteAllBytes(path, new byte[] { 0x5B, 0xFF, 0xFE, 0x00, 0xC3 });

            Assert.Equal(ErrorIds.FileNotText, Assert.Throws<TroubleshootException>(() => DaemonLogLevel.PlanV11(path, "debug")).ErrorId);
        }

        [Fact]
        public void OverriddenBy_NamesALaterDropInThatSetsTheVariableToo()
        {
            using var folder = new TempFolder();
            string ours = folder.Write("override.conf", "[Service]\nEnvironment=IOTEDGE_LOG=edgelet=debug\n");
            folder.Write("10-proxy.conf", "[Service]\nEnvironment=IOTEDGE_LOG=info\n"); // earlier: ours wins
            Assert.Null(DaemonLogLevel.OverriddenBy(ours));

            string later = folder.Write("zz-quiet.conf", "[Service]\nEnvironment=IOTEDGE_LOG=error\n");
            folder.Write("zzz-other.conf", "[Service]\nEnvironment=https_proxy=http://p:3128\n");
            Assert.Equal(later, DaemonLogLevel.OverriddenBy(ours));
        }

        [Fact]
        public void Write_AFolderThatRefuses_IsDropInAccessDenied_AndLeavesNothing()
        {
            if (OperatingSystem.IsWindows() || Environment.UserName == "root") return; // root writes anywhere
            using var folder = new TempFolder();
            string locked = Path.Combine(folder.Path, "locked");
            Directory.CreateDirectory(locked);
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            try
            {
                var ex = Assert.Throws<TroubleshootException>(() => DaemonLogLevel.Write(DaemonLogLevel.PlanV11(Path.Combine(locked, "override.conf"), "debug")));

                Assert.Equal(ErrorIds.DropInAccessDenied, ex.ErrorId);
                Assert.Contains("sudo pwsh", ex.Message);
                Assert.Empty(Directory.GetFileSystemEntries(locked));
            }
            finally
            {
                File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        [Fact]
        public void ReloadAndV12_RunTheirCommands()
        {
            var runner = new RecordingRunner();
            var setter = new DaemonLogLevel(runner);

            setter.ReloadSystemd(CancellationToken.None);
            setter.SetV12("Trace", CancellationToken.None);

            Assert.Equal(new[] { "systemctl daemon-reload", "iotedge system set-log-level trace" }, runner.Lines);
        }

        [Fact]
        public void V12AlreadySet_OnlyWhenEveryServiceHasTheLevel()
        {
            using var folder = new TempFolder();
            Assert.False(DaemonLogLevel.V12AlreadySet("debug", folder.Path));
            foreach (var service in new[] { "aziot-edged", "aziot-identityd", "aziot-keyd", "aziot-certd" })
            {
                folder.Write(Path.Combine(service + ".service.d", "log-level.conf"), "[Service]\nEnvironment=AZIOT_LOG=DEBUG");
            }

            Assert.False(DaemonLogLevel.V12AlreadySet("debug", folder.Path)); // aziot-tpmd missing
            folder.Write(Path.Combine("aziot-tpmd.service.d", "log-level.conf"), "[Service]\nEnvironment=AZIOT_LOG=DEBUG");
            Assert.True(DaemonLogLevel.V12AlreadySet("debug", folder.Path));
            Assert.False(DaemonLogLevel.V12AlreadySet("info", folder.Path));
        }
    }
}
