using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using System.Text;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Platform;
using IoTEdgeTroubleshoot.Tests.Edge;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    /// <summary>What happens around the edited file: links, other writers, full disks, refusals, old backups.</summary>
    [SupportedOSPlatform("linux")] // the facts skip elsewhere
    public class EditAroundTheFileTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);

        private static string[] Names(string folder) => Directory.GetFiles(folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;

        private static FileEditResult SetHostname(string path, string hostname, SafeFileWriter? writer = null)
        {
            var doc = EdgeConfigDocument.Load(path);
            return (writer ?? new SafeFileWriter(clock: () => Now)).Replace(doc.File, ConfigEditor.SetHostname(doc, hostname));
        }

        // ---- symbolic links ----

        [MachineTheory]
        [InlineData("relative")]
        [InlineData("absolute")]
        [InlineData("chain")]
        public void SymbolicLink_IsKept_AndItsTargetIsEdited(string form)
        {
            using var dir = new TempFolder();
            Directory.CreateDirectory(Path.Combine(dir.Path, "etc"));
            Directory.CreateDirectory(Path.Combine(dir.Path, "data"));
            string real = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "data/config.yaml");
            File.SetUnixFileMode(real, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            byte[] before = File.ReadAllBytes(real);
            string link = Path.Combine(dir.Path, "etc", "config.yaml");
            switch (form)
            {
                case "relative": File.CreateSymbolicLink(link, "../data/config.yaml"); break;
                case "absolute": File.CreateSymbolicLink(link, real); break;
                default:
                    File.CreateSymbolicLink(Path.Combine(dir.Path, "data", "current.yaml"), "config.yaml");
                    File.CreateSymbolicLink(link, "../data/current.yaml");
                    break;
            }

            string? linkTarget = new FileInfo(link).LinkTarget;
            var result = SetHostname(link, "edge-gw-02");

            Assert.Equal(linkTarget, new FileInfo(link).LinkTarget); // still the same link
            Assert.Equal(real, result.TargetPath);
            Assert.Contains("hostname: \"edge-gw-02\"", File.ReadAllText(real));
            Assert.Equal(real + ".20261122T060000Z.bak", result.BackupPath);
            Assert.Equal(before, File.ReadAllBytes(result.BackupPath!));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(real));
            Assert.Equal(new[] { "config.yaml" }, Names(Path.Combine(dir.Path, "etc")));
        }

        // ---- other writers ----

        [MachineFact]
        public void AnAppendBetweenTheCheckAndTheRename_IsCarriedIntoTheNewFile()
        {
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            var writer = new SafeFileWriter(clock: () => Now);
            writer.AfterFinalCheck = _ => File.AppendAllText(path, "# appended by a script at the worst moment\n");

            var result = SetHostname(path, "edge-gw-02", writer);

            string text = File.ReadAllText(path);
            Assert.True(result.Changed);
            Assert.Contains("hostname: \"edge-gw-02\"", text);
            Assert.EndsWith("# appended by a script at the worst moment\n", text);
            Assert.Equal(new[] { "config.yaml", "config.yaml.20261122T060000Z.bak" }, Names(dir.Path));
        }

        /// <summary>A program that opened the file before the rename and writes only after it: the edit waits for it to close the file, then carries what it wrote.</summary>
        [MachineFact]
        public void AWriterThatOpenedTheFileBeforeTheRename_IsWaitedFor()
        {
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            var writer = new SafeFileWriter(clock: () => Now);
            Thread? late = null;
            writer.AfterFinalCheck = _ =>
            {
                var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                late = new Thread(() =>
                {
                    Thread.Sleep(300); // well after the rename
                    stream.Write(Encoding.UTF8.GetBytes("# written late through an old descriptor\n"));
                    stream.Dispose();
                });
                late.Start();
            };

            SetHostname(path, "edge-gw-02", writer);
            late!.Join();

            string text = File.ReadAllText(path);
            Assert.Contains("hostname: \"edge-gw-02\"", text);
            Assert.EndsWith("# written late through an old descriptor\n", text);
        }

        [MachineFact]
        public void ARewriteBetweenTheCheckAndTheRename_IsPutBack_AndTheEditIsReportedAsNotApplied()
        {
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            string theirs = File.ReadAllText(path).Replace("edge-gw-01", "edge-from-another-tool");
            var writer = new SafeFileWriter(clock: () => Now);
            writer.AfterFinalCheck = _ => File.WriteAllText(path, theirs); // truncates and writes the same file

            var ex = Assert.Throws<TroubleshootException>(() => SetHostname(path, "edge-gw-02", writer));

            Assert.Equal(ErrorIds.FileChangedSinceRead, ex.ErrorId);
            Assert.Contains("was not applied", ex.Message);
            Assert.Equal(theirs, File.ReadAllText(path));
            Assert.Equal(new[] { "config.yaml" }, Names(dir.Path));
        }

        /// <summary>
        /// A shell script in another process appends numbered lines with >> (O_APPEND), in bursts, while the
        /// hostname is set again and again: no line is ever lost or doubled, and every edit is either applied or refused.
        /// </summary>
        [MachineFact]
        public void ConcurrentAppender_LosesNoLine()
        {
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            string stop = Path.Combine(dir.Path, "stop"), count = Path.Combine(dir.Path, "count");
            string script = $"i=0; while [ ! -e '{stop}' ]; do n=$((1 + i % 17)); while [ $n -gt 0 ]; do echo \"# line $i\" >> '{path}'; i=$((i + 1)); n=$((n - 1)); done; sleep 0.00$((i % 9)); done; echo $i > '{count}'";
            using var appender = Process.Start(new ProcessStartInfo("/bin/sh", new[] { "-c", script }))!;
            int applied = 0, refused = 0;
            try
            {
                for (int i = 0; i < 60; i++)
                {
                    try
                    {
                        SetHostname(path, i % 2 == 0 ? "edge-a" : "edge-b", new SafeFileWriter(clock: () => Now.AddMinutes(i), backupCount: 2));
                        applied++;
                    }
                    catch (TroubleshootException ex) when (ex.ErrorId == ErrorIds.FileChangedSinceRead)
                    {
                        refused++; // it changed after we read it: nothing was written, the next round reads again
                    }
                }
            }
            finally
            {
                File.WriteAllText(stop, string.Empty);
                appender.WaitForExit();
            }

            int appended = int.Parse(File.ReadAllText(count).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            // Each line exactly once. A line that raced the rename is carried over just after it, so it may follow lines
            // that the script appended to the new file meanwhile: their order across the rename is not kept.
            var numbers = File.ReadAllLines(path).Where(l => l.StartsWith("# line ", StringComparison.Ordinal))
                .Select(l => int.Parse(l.Substring(7), System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(0, appended), numbers.OrderBy(n => n));
            Assert.True(applied > 0, $"{applied} edits applied, {refused} refused while {appended} lines were appended");
            Assert.True(EdgeConfigDocument.Load(path).IsValid);
        }

        [MachineFact(Needs.FlockTool)]
        public void AnotherEditHoldingTheFolder_IsWaitedFor_OrReportedWhenItTakesTooLong()
        {
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            byte[] before = File.ReadAllBytes(path);
            // The other edit holds the folder's lock until its standard input is closed; it says when it has the lock.
            var other = new ProcessStartInfo("flock", new[] { "--exclusive", dir.Path, "sh", "-c", "echo held; read line" }) { RedirectStandardInput = true, RedirectStandardOutput = true };
            using var holder = Process.Start(other)!;
            Assert.Equal("held", holder.StandardOutput.ReadLine());

            var impatient = new SafeFileWriter(clock: () => Now) { LockTimeout = TimeSpan.FromMilliseconds(200) };
            var ex = Assert.Throws<TroubleshootException>(() => SetHostname(path, "edge-gw-02", impatient));
            Assert.Equal(ErrorIds.FileEditInProgress, ex.ErrorId);
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Equal(new[] { "config.yaml" }, Names(dir.Path));

            var patient = System.Threading.Tasks.Task.Run(() => SetHostname(path, "edge-gw-02")); // waits for the holder (10 s at most), then edits
            Assert.False(patient.Wait(TimeSpan.FromMilliseconds(300)), "edited while another edit held the folder");
            Assert.Equal(before, File.ReadAllBytes(path));
            holder.StandardInput.Close(); // the other edit is done
            Assert.True(patient.Wait(TimeSpan.FromSeconds(9)), "still waiting after the other edit let go");
            Assert.True(patient.Result.Changed);
            holder.WaitForExit();
        }

        // ---- failed writes ----

        /// <summary>A 64 KiB tmpfs: a big file does not fit twice (the temporary copy fails), a middle one fits once (the backup fails).</summary>
        [MachineTheory(Needs.Tmpfs)]
        [InlineData(40_000)]
        [InlineData(26_000)]
        public void FullDisk_LeavesTheFileAndTheFolderAsTheyWere_AndSaysSo(int size)
        {
            using var dir = new TempFolder();
            Assert.Equal(0, Machine.Run("mount", $"-t tmpfs -o size=64k tmpfs {dir.Path}"));
            try
            {
                string text = ConfigFiles.Text("linux-1.1-manual.yaml");
                string path = dir.Write("config.yaml", text + new string('#', size - text.Length) + "\n");
                byte[] before = File.ReadAllBytes(path);

                var ex = Assert.Throws<FileWriteException>(() => SetHostname(path, "edge-gw-02"));

                Assert.Equal(FileWriteFailure.DiskFull, ex.Failure);
                Assert.False(ex.FileChanged);
                Assert.Contains("file system is full", ex.Message);
                Assert.Contains("The file was not changed; no temporary file or backup was left behind.", ex.Message);
                Assert.Equal(before, File.ReadAllBytes(path));
                Assert.Equal(new[] { "config.yaml" }, Names(dir.Path));
            }
            finally
            {
                Machine.Run("umount", dir.Path);
            }
        }

        /// <summary>The same through a seam, on any machine: the disk fills while writing the temporary file, or the backup.</summary>
        [MachineTheory]
        [InlineData(0, 0)]
        [InlineData(0, 100)]
        [InlineData(1, 0)]
        [InlineData(1, 1000)]
        public void WriteFailure_AtTheTemporaryFileOrTheBackup_LeavesNothingBehind(int failingFile, int bytesBeforeFailing)
        {
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            byte[] before = File.ReadAllBytes(path);
            var writer = new SafeFileWriter(new FillingDisk(failingFile, bytesBeforeFailing), null, () => Now);

            var ex = Assert.Throws<FileWriteException>(() => SetHostname(path, "edge-gw-02", writer));

            Assert.Equal(FileWriteFailure.DiskFull, ex.Failure);
            Assert.Contains("The file was not changed", ex.Message);
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Equal(new[] { "config.yaml" }, Names(dir.Path));
        }

        [MachineFact(Needs.Immutable)]
        public void ImmutableFile_IsARefusalThatSaysWhatToDo_AndLeavesNothingBehind()
        {
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            byte[] before = File.ReadAllBytes(path);
            Assert.Equal(0, Machine.Run("chattr", $"+i {path}"));
            try
            {
                var ex = Assert.Throws<FileWriteException>(() => SetHostname(path, "edge-gw-02"));

                Assert.Equal(FileWriteFailure.NotPermitted, ex.Failure);
                Assert.Equal(path, ex.Path);
                Assert.Contains("operation not permitted", ex.Message);
                Assert.Contains($"sudo chattr -i {path}", ex.Message);
                Assert.Contains("The file was not changed; no temporary file or backup was left behind.", ex.Message);
            }
            finally
            {
                Machine.Run("chattr", $"-i {path}");
            }

            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Equal(new[] { "config.yaml" }, Names(dir.Path));
        }

        [MachineTheory]
        [InlineData(1, FileWriteFailure.NotPermitted)]   // EPERM: immutable, sticky folder
        [InlineData(13, FileWriteFailure.AccessDenied)]  // EACCES
        [InlineData(28, FileWriteFailure.DiskFull)]      // ENOSPC
        [InlineData(122, FileWriteFailure.DiskFull)]     // EDQUOT
        [InlineData(30, FileWriteFailure.ReadOnlyFileSystem)] // EROFS
        [InlineData(5, FileWriteFailure.Other)]          // EIO
        public void FailedRename_BecomesAFailureThatNamesTheFile(int errno, FileWriteFailure failure)
        {
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            byte[] before = File.ReadAllBytes(path);
            var writer = new SafeFileWriter(null, new RenameFails(errno), () => Now);

            var ex = Assert.Throws<FileWriteException>(() => SetHostname(path, "edge-gw-02", writer));

            Assert.Equal(failure, ex.Failure);
            Assert.False(ex.FileChanged);
            Assert.StartsWith(failure == FileWriteFailure.NotPermitted ? $"The system did not permit replacing '{path}'" : $"Cannot write '{path}'", ex.Message);
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Equal(new[] { "config.yaml" }, Names(dir.Path));
        }

        [Fact]
        public void DotNetAccessDenied_IsAccessDenied_UnlessItsCauseIsEperm()
        {
            Assert.Equal(FileWriteFailure.AccessDenied, SafeFileWriter.FailureOf(new UnauthorizedAccessException("denied")));
            Assert.Equal(FileWriteFailure.NotPermitted, SafeFileWriter.FailureOf(new UnauthorizedAccessException("denied", new IOException("Operation not permitted", 1))));
            Assert.Equal(FileWriteFailure.DiskFull, SafeFileWriter.FailureOf(new IOException("There is not enough space on the disk.", unchecked((int)0x80070070))));
        }

        // ---- backups ----

        [MachineTheory]
        [InlineData(1)]
        [InlineData(3)]
        [InlineData(SafeFileWriter.DefaultBackupCount)]
        public void Backups_KeepOnlyTheNewest(int keep)
        {
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            var old = new[] { "20250101T000000Z", "20250101T000000Z-2", "20250101T000000Z-10", "20260101T120000Z", "20261122T055959Z", "20240606T060606Z", "20261001T000000Z" }
                .Select(stamp => dir.Write($"config.yaml.{stamp}.bak", stamp)).ToList();
            string[] strangers = { dir.Write("config.yaml.notes.bak", "mine"), dir.Write("other.yaml.20200101T000000Z.bak", "other file's"), dir.Write("config.yaml.20200101T000000Z.bak.keep", "renamed by hand") };

            var result = SetHostname(path, "edge-gw-02", new SafeFileWriter(clock: () => Now, backupCount: keep));

            // Newest first by the stamp in the name: the new one, then 20261122T055959Z, 20261001, 20260101, 20250101-10, -2, 20250101, 20240606.
            var byAge = new[] { "20261122T060000Z", "20261122T055959Z", "20261001T000000Z", "20260101T120000Z", "20250101T000000Z-10", "20250101T000000Z-2", "20250101T000000Z", "20240606T060606Z" }
                .Select(stamp => $"config.yaml.{stamp}.bak").ToList();
            Assert.Equal(byAge.Take(keep).OrderBy(n => n, StringComparer.Ordinal), Names(dir.Path).Where(n => n.StartsWith("config.yaml.2", StringComparison.Ordinal) && n.EndsWith(".bak", StringComparison.Ordinal)));
            Assert.Equal(byAge.Skip(keep).OrderBy(n => n, StringComparer.Ordinal), result.PrunedBackups.Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
            Assert.All(strangers, s => Assert.True(File.Exists(s)));
            Assert.Throws<ArgumentOutOfRangeException>(() => new SafeFileWriter(backupCount: 0));
        }

        /// <summary>Many runs within one second after pruning took the unnumbered name: the new backup is numbered past the others, and kept.</summary>
        [MachineFact]
        public void NewBackup_IsNumberedPastTheOthersOfItsSecond_AndSurvivesPruning()
        {
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            byte[] before = File.ReadAllBytes(path);
            dir.Write("config.yaml.20261122T060000Z-2.bak", "older");
            dir.Write("config.yaml.20261122T060000Z-3.bak", "old");

            var result = SetHostname(path, "edge-gw-02", new SafeFileWriter(clock: () => Now, backupCount: 1));

            Assert.Equal(path + ".20261122T060000Z-4.bak", result.BackupPath);
            Assert.Equal(new[] { "config.yaml", "config.yaml.20261122T060000Z-4.bak" }, Names(dir.Path));
            Assert.Equal(before, File.ReadAllBytes(result.BackupPath!));
        }

        [MachineFact]
        public void NothingToChange_PrunesNothing()
        {
            using var dir = new TempFolder();
            string path = ConfigFiles.CopyTo(dir, "linux-1.1-manual.yaml", "config.yaml");
            for (int i = 0; i < 4; i++) dir.Write($"config.yaml.2025010{i}T000000Z.bak", "old");

            var result = SetHostname(path, "edge-gw-01", new SafeFileWriter(clock: () => Now, backupCount: 1)); // already so

            Assert.False(result.Changed);
            Assert.Equal(5, Names(dir.Path).Length);
        }

        // ---- random damage: no exception but ours, no byte lost ----

        [MachineFact]
        public void RandomMutations_ThroughTheWholeEdit_NeverLoseData()
        {
            var random = new Random(20261201);
            string[] sources = { "linux-1.1-manual.yaml", "windows-1.1-manual.yaml", "env-block-with-comments.yaml", "env-flow.yaml", "linux-1.0-dps-tpm.yaml", "bom.yaml" };
            const string alphabet = " :\t\n\r#{}[],'\"-|>&*!%@`\\abc1~";
            int applied = 0, refused = 0;
            using var dir = new TempFolder();
            for (int i = 0; i < 250; i++)
            {
                var text = new StringBuilder(ConfigFiles.Text(sources[random.Next(sources.Length)]));
                for (int m = random.Next(4); m > 0; m--)
                {
                    int at = random.Next(text.Length);
                    if (random.Next(2) == 0) text.Remove(at, Math.Min(1 + random.Next(6), text.Length - at));
                    else text.Insert(at, alphabet[random.Next(alphabet.Length)]);
                }

                string folder = Path.Combine(dir.Path, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Directory.CreateDirectory(folder);
                string path = Path.Combine(folder, "config.yaml");
                File.WriteAllText(path, text.ToString(), new UTF8Encoding(random.Next(2) == 0));
                byte[] before = File.ReadAllBytes(path);
                var doc = EdgeConfigDocument.Load(path);
                string hostname = random.Next(3) == 0 ? "yes" : "edge-" + random.Next(1000);
                try
                {
                    string edited = random.Next(2) == 0 ? ConfigEditor.SetHostname(doc, hostname) : ConfigEditor.SetRuntimeLogLevel(doc, "debug");
                    var result = new SafeFileWriter(clock: () => Now, backupCount: 2).Replace(doc.File, edited);
                    applied++;
                    Assert.Equal(doc.File.Encode(edited), File.ReadAllBytes(path));
                    if (result.Changed) Assert.Equal(before, File.ReadAllBytes(result.BackupPath!)); // the old bytes, every one of them
                    else Assert.Equal(before, File.ReadAllBytes(path));
                }
                catch (TroubleshootException)
                {
                    refused++;
                    Assert.Equal(before, File.ReadAllBytes(path));
                    Assert.Equal(new[] { "config.yaml" }, Names(folder));
                }
            }

            Assert.True(applied > 30 && refused > 30, $"{applied} applied, {refused} refused");
        }

        /// <summary>A disk that fills up while the n-th new file of an edit (0: the temporary file, 1: the backup) is written.</summary>
        private sealed class FillingDisk : IFilePermissions
        {
            private readonly IFilePermissions _real = FilePermissions.ForThisPlatform();
            private readonly int _failingFile;
            private readonly int _bytesBeforeFailing;
            private int _created;

            public FillingDisk(int failingFile, int bytesBeforeFailing)
            {
                _failingFile = failingFile;
                _bytesBeforeFailing = bytesBeforeFailing;
            }

            public Stream CreateLike(string likeFile, string path)
            {
                var stream = _real.CreateLike(likeFile, path);
                return _created++ == _failingFile ? new Quota(stream, _bytesBeforeFailing) : stream;
            }

            public int? ModeOf(string path) => _real.ModeOf(path);

            private sealed class Quota : Stream
            {
                private readonly Stream _inner;
                private int _left;

                public Quota(Stream inner, int left)
                {
                    _inner = inner;
                    _left = left;
                }

                public override bool CanRead => false;

                public override bool CanSeek => false;

                public override bool CanWrite => true;

                public override long Length => _inner.Length;

                public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }

                public override void Write(byte[] buffer, int offset, int count)
                {
                    int fits = Math.Min(count, _left);
                    _inner.Write(buffer, offset, fits);
                    _left -= fits;
                    if (fits < count) throw new IOException("No space left on device", 28);
                }

                public override void Flush() => _inner.Flush();

                public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

                public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

                public override void SetLength(long value) => throw new NotSupportedException();

                protected override void Dispose(bool disposing)
                {
                    if (disposing) _inner.Dispose();
                    base.Dispose(disposing);
                }
            }
        }

        /// <summary>rename(2) failing with an errno; everything else real.</summary>
        private sealed class RenameFails : IFileReplacement
        {
            private readonly IFileReplacement _real = new UnixFileReplacement();
            private readonly int _errno;

            public RenameFails(int errno) => _errno = errno;

            public string ResolveLinks(string path) => _real.ResolveLinks(path);

            public IDisposable? LockFolder(string folder, TimeSpan timeout) => _real.LockFolder(folder, timeout);

            public Stream OpenForCheck(string path) => _real.OpenForCheck(path);

            public void Replace(string temp, string target) => throw UnixErrors.For("rename", target, _errno);

            public void WaitForWriters(Stream replaced, TimeSpan timeout) => _real.WaitForWriters(replaced, timeout);

            public void Append(string path, byte[] bytes, int offset, int count) => _real.Append(path, bytes, offset, count);
        }
    }
}
