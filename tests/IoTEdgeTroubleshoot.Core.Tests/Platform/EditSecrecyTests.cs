using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Platform;
using IoTEdgeTroubleshoot.Tests.Edge;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    /// <summary>
    /// The key in config.yaml must never be readable by anyone the original hides it from, not even for an
    /// instant while the temporary file and the backup are written.
    /// </summary>
    [SupportedOSPlatform("linux")] // the facts skip elsewhere
    public class EditSecrecyTests
    {
        private const string Key = "q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c=";

        [MachineTheory]
        [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite)]
        [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)]
        public void TemporaryFileAndBackup_AreNeverWiderThanTheOriginal_WhileTheyHoldBytes(UnixFileMode mode)
        {
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            File.SetUnixFileMode(path, mode);
            var seen = new ConcurrentBag<string>();
            int observations = 0;
            using var stop = new CancellationTokenSource();

            // Watches every new file in the folder as fast as it can: its mode, and whether it holds any byte yet.
            var poller = new Thread(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    foreach (var file in Directory.EnumerateFiles(dir.Path).Where(f => Path.GetFileName(f) != "config.yaml"))
                    {
                        try
                        {
                            var now = File.GetUnixFileMode(file);
                            long length = new FileInfo(file).Length;
                            Interlocked.Increment(ref observations);
                            if (length > 0 && (now & ~mode) != 0) seen.Add($"{Path.GetFileName(file)} was {now} with {length} bytes");
                        }
                        catch (IOException)
                        {
                            // gone between listing and looking: renamed or removed
                        }
                    }
                }
            });
            poller.Start();
            try
            {
                for (int i = 0; i < 40; i++)
                {
                    var doc = EdgeConfigDocument.Load(path);
                    var writer = new SafeFileWriter(clock: () => DateTimeOffset.UnixEpoch.AddMinutes(i), backupCount: 2);
                    writer.BeforeFinalCheck = _ => Thread.Sleep(2); // let the poller see the finished files too
                    writer.Replace(doc.File, ConfigEditor.SetHostname(doc, i % 2 == 0 ? "edge-a" : "edge-b"));
                }
            }
            finally
            {
                stop.Cancel();
                poller.Join();
            }

            Assert.Empty(seen);
            Assert.True(observations > 40, $"the poller saw only {observations} files: the test proves nothing");
            Assert.Equal(mode, File.GetUnixFileMode(path));
            Assert.All(Directory.GetFiles(dir.Path, "*.bak"), b => Assert.Equal(mode, File.GetUnixFileMode(b)));
        }

        [MachineTheory]
        [InlineData(0x180)] // 0600
        [InlineData(0x1A0)] // 0640
        [InlineData(0x100)] // 0400: the new file is still writable through the descriptor that created it
        [InlineData(0x1A4)] // 0644
        public void CreateLike_HasTheFinalModeBeforeTheFirstByte(int mode)
        {
            using var dir = new TempFolder();
            string original = dir.Write("config.yaml", "hostname: a\n");
            File.SetUnixFileMode(original, (UnixFileMode)mode);
            string created = Path.Combine(dir.Path, "new.tmp");

            using (var stream = FilePermissions.ForThisPlatform().CreateLike(original, created))
            {
                Assert.Equal(0, new FileInfo(created).Length);
                Assert.Equal((UnixFileMode)mode, File.GetUnixFileMode(created));
                stream.Write(new byte[] { 1, 2, 3 });
            }

            Assert.Equal(3, new FileInfo(created).Length);
            Assert.Throws<IOException>(() => FilePermissions.ForThisPlatform().CreateLike(original, created).Dispose()); // O_EXCL
        }

        /// <summary>
        /// The real attacker: another local user (nobody) reads every file that appears beside config.yaml
        /// while it is edited again and again. A world-readable control file proves the reader reads.
        /// </summary>
        [MachineFact(Needs.Nobody)]
        public void AnotherUser_NeverReadsTheKey_FromTheTemporaryFileOrTheBackup()
        {
            using var dir = new TempFolder();
            File.SetUnixFileMode(dir.Path, (UnixFileMode)0x1ED); // 0755: others may list and enter, as /etc/iotedge
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Assert.Contains(Key, File.ReadAllText(path));
            string control = dir.Write("control.txt", "CONTROL-READABLE\n");
            File.SetUnixFileMode(control, (UnixFileMode)0x1A4);
            string stopFile = Path.Combine(Path.GetTempPath(), "iet-stop-" + Guid.NewGuid().ToString("N"));

            string script = $"while [ ! -e '{stopFile}' ]; do for f in '{dir.Path}'/.??* '{dir.Path}'/*; do cat \"$f\" 2>/dev/null; done; done";
            var reader = Process.Start(new ProcessStartInfo("setpriv", new[] { $"--reuid={Machine.Nobody}", $"--regid={Machine.Nobody}", "--clear-groups", "--", "/bin/sh", "-c", script })
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = reader.StandardOutput.ReadToEndAsync();
            try
            {
                for (int i = 0; i < 30; i++)
                {
                    var doc = EdgeConfigDocument.Load(path);
                    var writer = new SafeFileWriter(clock: () => DateTimeOffset.UnixEpoch.AddMinutes(i), backupCount: 3);
                    writer.BeforeFinalCheck = _ => Thread.Sleep(5);
                    writer.Replace(doc.File, ConfigEditor.SetHostname(doc, i % 2 == 0 ? "edge-a" : "edge-b"));
                }
            }
            finally
            {
                File.WriteAllText(stopFile, string.Empty);
                reader.WaitForExit(10_000);
                File.Delete(stopFile);
            }

            string read = output.Result;
            Assert.Contains("CONTROL-READABLE", read);
            Assert.DoesNotContain(Key, read);
            Assert.DoesNotContain("SharedAccessKey", read);
        }
    }
}
