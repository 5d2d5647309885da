using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>What a safe edit did.</summary>
    public sealed class FileEditResult
    {
        public FileEditResult(string path, bool changed, string? backupPath, string? targetPath = null, IReadOnlyList<string>? prunedBackups = null)
        {
            Path = path;
            Changed = changed;
            BackupPath = backupPath;
            TargetPath = targetPath ?? path;
            PrunedBackups = prunedBackups ?? Array.Empty<string>();
        }

        /// <summary>The path as given.</summary>
        public string Path { get; }

        /// <summary>The file written: the path itself, or the file its symbolic links lead to (the links stay).</summary>
        public string TargetPath { get; }

        /// <summary>False when the file already said what was asked: nothing written, no backup.</summary>
        public bool Changed { get; }

        public string? BackupPath { get; }

        /// <summary>Older backups removed to keep only the newest ones.</summary>
        public IReadOnlyList<string> PrunedBackups { get; }
    }

    /// <summary>Why a safe edit could not write.</summary>
    public enum FileWriteFailure
    {
        /// <summary>No right to write the file or its folder (EACCES): run elevated.</summary>
        AccessDenied,

        /// <summary>The system forbids the replacement even to root (EPERM): an immutable file, or a sticky folder.</summary>
        NotPermitted,

        /// <summary>No space left, or the quota is used up.</summary>
        DiskFull,

        /// <summary>The file system is mounted read-only.</summary>
        ReadOnlyFileSystem,

        Other,
    }

    /// <summary>
    /// A safe edit that could not write. The message names the file, says what to do, and says
    /// whether the file changed (<see cref="FileChanged"/> is true only for a failure after the rename).
    /// </summary>
    public sealed class FileWriteException : IOException
    {
        public FileWriteException(string path, FileWriteFailure failure, bool fileChanged, string message, Exception? inner = null)
            : base(SecretMasker.Mask(message), inner)
        {
            Path = path;
            Failure = failure;
            FileChanged = fileChanged;
        }

        public string Path { get; }

        public FileWriteFailure Failure { get; }

        public bool FileChanged { get; }
    }

    /// <summary>
    /// Replaces a file's content the safe way, for every command that edits a device's files:
    /// nothing happens when the content would not change. Otherwise, holding a lock on the folder
    /// against other runs, it writes the new content to a temporary file and the old one to a
    /// timestamped backup beside the file, both created with the original's mode and owner before
    /// their first byte and flushed to disk; checks that the file still holds what was read; renames
    /// the temporary file over it in one step; carries over what another program appended in between;
    /// and keeps only the newest backups. A symbolic link is followed: its target is edited and the
    /// link stays. A failure before the rename leaves the file, and its folder, as they were.
    /// </summary>
    public sealed class SafeFileWriter
    {
        /// <summary>How many backups of a file are kept when nothing else is asked.</summary>
        public const int DefaultBackupCount = 5;

        private readonly IFilePermissions _permissions;
        private readonly IFileReplacement _replacement;
        private readonly Func<DateTimeOffset> _clock;
        private readonly int _backupCount;

        public SafeFileWriter(IFilePermissions? permissions = null, Func<DateTimeOffset>? clock = null, int backupCount = DefaultBackupCount)
            : this(permissions, null, clock, backupCount)
        {
        }

        internal SafeFileWriter(IFilePermissions? permissions, IFileReplacement? replacement, Func<DateTimeOffset>? clock, int backupCount = DefaultBackupCount)
        {
            if (backupCount < 1) throw new ArgumentOutOfRangeException(nameof(backupCount), backupCount, "At least one backup is kept.");
            _permissions = permissions ?? FilePermissions.ForThisPlatform();
            _replacement = replacement ?? FileReplacement.ForThisPlatform();
            _clock = clock ?? (() => DateTimeOffset.UtcNow);
            _backupCount = backupCount;
        }

        /// <summary>How long to wait for another run that holds the folder's lock.</summary>
        internal TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Test seam: runs when the temporary file and the backup are written, before the check that the file is unchanged.</summary>
        internal Action<string>? BeforeFinalCheck { get; set; }

        /// <summary>Test seam: runs between that check and the rename, the window in which another writer can still slip in.</summary>
        internal Action<string>? AfterFinalCheck { get; set; }

        public FileEditResult Replace(TextFileSnapshot original, string newText)
        {
            if (!original.IsValidText)
            {
                throw new TroubleshootException(ErrorIds.FileNotText, ProblemKind.InvalidData, original.Path,
                    $"'{original.Path}' is not valid UTF-8 text; it was not changed. Fix its encoding first.");
            }

            byte[] bytes = original.Encode(newText);
            if (bytes.AsSpan().SequenceEqual(original.Bytes)) return new FileEditResult(original.Path, changed: false, backupPath: null);

            string target = _replacement.ResolveLinks(Path.GetFullPath(original.Path));
            string folder = Path.GetDirectoryName(target) ?? ".";
            string temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
            string? backup = null;
            bool replaced = false;
            try
            {
                using var folderLock = _replacement.LockFolder(folder, LockTimeout)
                    ?? throw new TroubleshootException(ErrorIds.FileEditInProgress, ProblemKind.InvalidOperation, original.Path,
                        $"Another edit of a file in '{folder}' has held its lock for over {LockTimeout.TotalSeconds:0} s, so '{original.Path}' was not changed. Run the command again when that edit is done.");

                WriteNew(target, temp, bytes);
                string backupPath = BackupPathFor(target);
                WriteNew(target, backupPath, original.Bytes);
                backup = backupPath;
                BeforeFinalCheck?.Invoke(temp);

                // Someone (an editor, the daemon, a script) changed the file since we read it: do not overwrite.
                using var current = _replacement.OpenForCheck(target);
                byte[] checkedBytes = ReadAll(current);
                if (!checkedBytes.AsSpan().SequenceEqual(original.Bytes)) throw ChangedSinceRead(original.Path, restored: false);

                AfterFinalCheck?.Invoke(temp);
                _replacement.Replace(temp, target);
                replaced = true;
                CarryLateWrites(current, checkedBytes, target, original.Path, backup);
                return new FileEditResult(original.Path, changed: true, backup, target, PruneBackups(target, backup));
            }
            catch (Exception ex) when (!replaced && (ex is IOException || ex is UnauthorizedAccessException) && ex is not FileWriteException)
            {
                bool cleanedUp = TryDelete(temp) & (backup == null || TryDelete(backup));
                throw Failed(ex, original.Path, target, cleanedUp);
            }
            catch when (!replaced)
            {
                if (backup != null) TryDelete(backup); // nothing changed: a backup would only mislead
                throw;
            }
            finally
            {
                TryDelete(temp);
            }
        }

        // A new file with likeFile's mode and owner from its first instant, written and flushed; removed again if writing fails.
        private void WriteNew(string likeFile, string path, byte[] bytes)
        {
            var stream = _permissions.CreateLike(likeFile, path);
            try
            {
                stream.Write(bytes, 0, bytes.Length);
                if (stream is FileStream file) file.Flush(flushToDisk: true);
                else stream.Flush();
                stream.Dispose();
            }
            catch
            {
                try
                {
                    stream.Dispose();
                }
                catch (IOException)
                {
                    // The write already failed; closing can fail the same way (disk full). The file goes anyway.
                }

                TryDelete(path);
                throw;
            }
        }

        /// <summary>
        /// A program that appends to the file between the check and the rename writes into the file that was
        /// just replaced, which this edit still has open: its bytes are added to the new file, so no line is
        /// lost. Any other change puts that program's version back, and this edit is reported as not applied.
        /// </summary>
        private void CarryLateWrites(Stream replaced, byte[] checkedBytes, string target, string path, string? backup)
        {
            byte[] known = checkedBytes;
            _replacement.WaitForWriters(replaced, TimeSpan.FromSeconds(2));
            for (int round = 0; round < 3; round++) // a writer still at it past the wait: follow it a few rounds
            {
                byte[] now = ReadAll(replaced);
                if (now.AsSpan().SequenceEqual(known)) return;
                string? putBack = null;
                try
                {
                    if (now.Length > known.Length && now.AsSpan(0, known.Length).SequenceEqual(known))
                    {
                        _replacement.Append(target, now, known.Length, now.Length - known.Length);
                        known = now;
                        continue;
                    }

                    putBack = Path.Combine(Path.GetDirectoryName(target) ?? ".", $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
                    WriteNew(target, putBack, now);
                    _replacement.Replace(putBack, target);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    if (putBack != null) TryDelete(putBack);
                    throw new FileWriteException(path, FailureOf(ex), fileChanged: true,
                        $"'{path}' was edited, but another program wrote to it at the same moment, and what it wrote could not be kept: {ex.Message} Compare the file with the backup '{backup}'.", ex);
                }

                if (backup != null) TryDelete(backup); // the other program's version is the file now: this edit made no change to keep
                throw ChangedSinceRead(path, restored: true);
            }
        }

        private static TroubleshootException ChangedSinceRead(string path, bool restored) =>
            new TroubleshootException(ErrorIds.FileChangedSinceRead, ProblemKind.InvalidOperation, path, restored
                ? $"'{path}' was rewritten by another program at the moment it was being edited; that program's version was put back, so this edit was not applied. Run the command again."
                : $"'{path}' changed while it was being edited; it was not overwritten. Run the command again.");

        private static FileWriteException Failed(Exception ex, string path, string target, bool cleanedUp)
        {
            var failure = FailureOf(ex);
            string folder = Path.GetDirectoryName(target) ?? ".";
            string file = string.Equals(Path.GetFullPath(path), target, StringComparison.Ordinal) ? $"'{path}'" : $"'{path}' (a link to '{target}')";
            string what = failure switch
            {
                FileWriteFailure.AccessDenied => $"Cannot write {file}, or the temporary file and backup beside it: access is denied. Run elevated: 'sudo pwsh' on Linux, or PowerShell as Administrator on Windows.",
                FileWriteFailure.NotPermitted => $"The system did not permit replacing {file} (operation not permitted), even to an administrator. The file or its folder is probably immutable: 'lsattr -d {target} {folder}' shows an 'i' flag, and 'sudo chattr -i {target}' removes it if that was not meant. Or the folder has the sticky bit and the file belongs to another user: run as root or as the file's owner.",
                FileWriteFailure.DiskFull => $"Cannot write {file}: its file system is full (no room for the temporary copy and the backup beside it). Free some space there (df -h '{folder}') and run the command again.",
                FileWriteFailure.ReadOnlyFileSystem => $"Cannot write {file}: its file system is mounted read-only. Remount it read-write, or edit a copy where you can write.",
                _ => $"Cannot write {file}: {ex.Message}",
            };
            string left = cleanedUp
                ? "no temporary file or backup was left behind"
                : $"a temporary file (.{Path.GetFileName(target)}.*.tmp) or a new backup may be left in '{folder}': remove it";
            return new FileWriteException(path, failure, fileChanged: false, $"{what} The file was not changed; {left}.", ex);
        }

        internal static FileWriteFailure FailureOf(Exception ex)
        {
            int code = ex is UnauthorizedAccessException && ex.InnerException is IOException inner ? inner.HResult : ex.HResult;
            switch (code)
            {
                case UnixErrors.EPERM: return FileWriteFailure.NotPermitted;
                case UnixErrors.EACCES: return FileWriteFailure.AccessDenied;
                case UnixErrors.ENOSPC:
                case UnixErrors.EDQUOT:
                case unchecked((int)0x80070070): // ERROR_DISK_FULL
                case unchecked((int)0x80070027): // ERROR_HANDLE_DISK_FULL
                    return FileWriteFailure.DiskFull;
                case UnixErrors.EROFS:
                case unchecked((int)0x80070013): // ERROR_WRITE_PROTECT
                    return FileWriteFailure.ReadOnlyFileSystem;
            }

            return ex is UnauthorizedAccessException ? FileWriteFailure.AccessDenied : FileWriteFailure.Other;
        }

        // config.yaml.20261122T060000Z.bak, then ...Z-2.bak, ...Z-3.bak within the same second: always numbered past the
        // highest one there, so the newest backup also sorts newest even after older ones were pruned.
        private string BackupPathFor(string path)
        {
            string stamp = _clock().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            long taken = Backups(path).Where(b => b.Stamp == stamp).Select(b => b.Number).DefaultIfEmpty(0).Max();
            return taken == 0 ? $"{path}.{stamp}.bak" : $"{path}.{stamp}-{taken + 1}.bak";
        }

        // The oldest backups beyond the count go, never the one just made.
        private IReadOnlyList<string> PruneBackups(string target, string? keep)
        {
            try
            {
                var stale = Backups(target)
                    .OrderByDescending(b => b.Stamp, StringComparer.Ordinal)
                    .ThenByDescending(b => b.Number)
                    .Skip(_backupCount)
                    .Select(b => b.Path)
                    .Where(b => !string.Equals(b, keep, StringComparison.Ordinal))
                    .ToList();
                return stale.Where(TryDelete).ToList();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return Array.Empty<string>(); // pruning is housekeeping: the edit itself is done
            }
        }

        // The backups this writer made of the file, with the stamp and number in their names (no suffix is number 1).
        private static IEnumerable<(string Path, string Stamp, long Number)> Backups(string path)
        {
            var pattern = new Regex("^" + Regex.Escape(Path.GetFileName(path)) + @"\.(?<stamp>\d{8}T\d{6}Z)(?:-(?<n>\d{1,9}))?\.bak$", RegexOptions.CultureInvariant);
            foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(path) ?? "."))
            {
                var match = pattern.Match(Path.GetFileName(file));
                if (!match.Success) continue;
                yield return (file, match.Groups["stamp"].Value, match.Groups["n"].Success ? long.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture) : 1);
            }
        }

        private static byte[] ReadAll(Stream stream)
        {
            if (stream.CanSeek) stream.Seek(0, SeekOrigin.Begin);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }

        private static bool TryDelete(string path)
        {
            try
            {
                if (File.Exists(path)) File.Delete(path);
                return true;
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }
    }
}
