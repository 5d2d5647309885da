using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>What a safe edit did.</summary>
    public sealed class FileEditResult
    {
        public FileEditResult(string path, bool changed, string? backupPath)
        {
            Path = path;
            Changed = changed;
            BackupPath = backupPath;
        }

        public string Path { get; }

        /// <summary>False when the file already said what was asked: nothing written, no backup.</summary>
        public bool Changed { get; }

        public string? BackupPath { get; }
    }

    /// <summary>
    /// Replaces a file's content the safe way, for every command that edits a device's files:
    /// nothing happens when the content would not change; otherwise a timestamped backup is made
    /// beside it, the new content goes to a temporary file in the same folder (flushed to disk,
    /// with the original's mode and owner), the original is checked to be unchanged since it was
    /// read, and the temporary file is renamed over it in one step. A failure at any point leaves
    /// the original as it was.
    /// </summary>
    public sealed class SafeFileWriter
    {
        private readonly IFilePermissions _permissions;
        private readonly Func<DateTimeOffset> _clock;

        public SafeFileWriter(IFilePermissions? permissions = null, Func<DateTimeOffset>? clock = null)
        {
            _permissions = permissions ?? FilePermissions.ForThisPlatform();
            _clock = clock ?? (() => DateTimeOffset.UtcNow);
        }

        /// <summary>Test seam: runs after the temporary file is written and before the rename.</summary>
        internal Action<string>? BeforeRename { get; set; }

        public FileEditResult Replace(TextFileSnapshot original, string newText)
        {
            if (!original.IsValidText)
            {
                throw new TroubleshootException(ErrorIds.FileNotText, ProblemKind.InvalidData, original.Path,
                    $"'{original.Path}' is not valid UTF-8 text; it was not changed. Fix its encoding first.");
            }

            byte[] bytes = original.Encode(newText);
            if (bytes.AsSpan().SequenceEqual(original.Bytes)) return new FileEditResult(original.Path, changed: false, backupPath: null);

            string folder = Path.GetDirectoryName(Path.GetFullPath(original.Path)) ?? ".";
            string name = Path.GetFileName(original.Path);
            string temp = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
            string backup = BackupPathFor(original.Path);
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(flushToDisk: true);
                }

                _permissions.CopyTo(original.Path, temp);
                BeforeRename?.Invoke(temp);

                // Someone (an editor, the daemon, another run) changed the file since we read it: do not overwrite.
                byte[] now = File.ReadAllBytes(original.Path);
                if (!now.AsSpan().SequenceEqual(original.Bytes))
                {
                    throw new TroubleshootException(ErrorIds.FileChangedSinceRead, ProblemKind.InvalidOperation, original.Path,
                        $"'{original.Path}' changed while it was being edited; it was not overwritten. Run the command again.");
                }

                File.Copy(original.Path, backup, overwrite: false);
                _permissions.CopyTo(original.Path, backup);
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    File.Replace(temp, original.Path, null); // keeps the original's ACL and attributes
                }
                else
                {
                    Rename(temp, original.Path);
                }

                return new FileEditResult(original.Path, changed: true, backupPath: backup);
            }
            finally
            {
                TryDelete(temp);
            }
        }

        private string BackupPathFor(string path)
        {
            string stamp = _clock().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            string candidate = $"{path}.{stamp}.bak";
            for (int n = 2; File.Exists(candidate); n++) candidate = $"{path}.{stamp}-{n}.bak";
            return candidate;
        }

        // rename(2) replaces the target atomically; File.Move would refuse an existing target on netstandard2.0.
        private static void Rename(string from, string to)
        {
            if (rename(from, to) != 0) throw new IOException($"Could not rename '{from}' to '{to}' (errno {Marshal.GetLastWin32Error()}).");
        }

        private static void TryDelete(string path)
        {
            try
            {
                if (File.Exists(path)) File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int rename(string oldpath, string newpath);
    }
}
