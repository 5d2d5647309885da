using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.SupportBundle
{
    /// <summary>
    /// The zip being written: a temporary file beside the target, each entry streamed in (one open at a time,
    /// so a day of logs never sits in memory), moved to the target name only when whole. Disposed without
    /// <see cref="Commit"/> (a failure, Ctrl+C) it deletes the temporary file: no partial zip is left.
    /// </summary>
    internal sealed class BundleArchive : IDisposable
    {
        private static readonly Encoding Utf8 = new UTF8Encoding(false);

        private readonly string _target;
        private readonly string _temp;
        private readonly Func<DateTimeOffset> _now;
        private FileStream? _file;
        private ZipArchive? _zip;

        public BundleArchive(string target, Func<DateTimeOffset> now)
        {
            _target = target;
            _now = now;
            string folder = Path.GetDirectoryName(target) ?? ".";
            _temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
            try
            {
                Directory.CreateDirectory(folder);
                _file = new FileStream(_temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
                _zip = new ZipArchive(_file, ZipArchiveMode.Create, leaveOpen: true, Utf8);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                Dispose();
                throw WriteFailed(ex);
            }
        }

        /// <summary>The entries written so far, in order.</summary>
        public List<string> Entries { get; } = new List<string>();

        /// <summary>A text entry written line by line; dispose the writer before opening the next entry.</summary>
        public TextWriter OpenText(string name)
        {
            try
            {
                var entry = _zip!.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = _now();
                Entries.Add(name);
                return new EntryWriter(new StreamWriter(entry.Open(), Utf8, 1 << 16) { NewLine = "\n" }, this);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw WriteFailed(ex);
            }
        }

        /// <summary>A whole text entry at once (small parts: versions, the summary).</summary>
        public void WriteText(string name, string text)
        {
            using var writer = OpenText(name);
            writer.Write(text);
        }

        /// <summary>Closes the zip and moves it to the target (replacing a file there only when <paramref name="replace"/>); its size comes back.</summary>
        public long Commit(bool replace)
        {
            try
            {
                _zip!.Dispose();
                _zip = null;
                _file!.Flush(flushToDisk: true);
                long length = _file.Length;
                _file.Dispose();
                _file = null;
                if (File.Exists(_target))
                {
                    if (!replace) throw Exists(_target);
                    File.Replace(_temp, _target, null);
                }
                else File.Move(_temp, _target);
                return length;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw WriteFailed(ex);
            }
        }

        public void Dispose()
        {
            try
            {
                _zip?.Dispose();
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidDataException || ex is ObjectDisposedException)
            {
                // the zip is thrown away: how it ends does not matter
            }

            _zip = null;
            _file?.Dispose();
            _file = null;
            try
            {
                if (File.Exists(_temp)) File.Delete(_temp);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
            }
        }

        /// <summary>A file at the target that -Force has not allowed to replace.</summary>
        internal static TroubleshootException Exists(string path) => new TroubleshootException(ErrorIds.SupportBundleExists, ProblemKind.InvalidOperation, path,
            $"'{path}' already exists; it was not overwritten. Give another -Path, or add -Force to replace it.");

        private TroubleshootException WriteFailed(Exception ex) => new TroubleshootException(ErrorIds.SupportBundleWriteFailed, ProblemKind.WriteError, _target,
            $"Cannot write the support bundle '{_target}': {ex.Message} Nothing was left behind; free space or choose a folder you may write to (-Path).", ex);

        // Turns a failure to write the entry (a full disk) into the bundle's write error, not a part's failure.
        private sealed class EntryWriter : TextWriter
        {
            private readonly StreamWriter _inner;
            private readonly BundleArchive _archive;

            public EntryWriter(StreamWriter inner, BundleArchive archive)
            {
                _inner = inner;
                _archive = archive;
                NewLine = "\n";
            }

            public override Encoding Encoding => _inner.Encoding;

            public override void Write(char value) => Guard(() => _inner.Write(value));

            public override void Write(string? value) => Guard(() => _inner.Write(value));

            public override void Write(char[] buffer, int index, int count) => Guard(() => _inner.Write(buffer, index, count));

            public override void WriteLine(string? value) => Guard(() =>
            {
                _inner.Write(value);
                _inner.Write('\n');
            });

            protected override void Dispose(bool disposing)
            {
                if (disposing) Guard(_inner.Dispose);
                base.Dispose(disposing);
            }

            private void Guard(Action write)
            {
                try
                {
                    write();
                }
                catch (IOException ex)
                {
                    throw _archive.WriteFailed(ex);
                }
            }
        }
    }
}
