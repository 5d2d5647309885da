using System;
using System.IO;
using System.Text;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// Opens a text file as a UTF-8 byte stream whatever it was saved as: UTF-8 with or without
    /// a BOM, or UTF-16 (what Windows PowerShell 5.1's "&gt;" and Out-File write). Parsers then
    /// work on bytes only. <see cref="FilePosition"/> is in the file's own bytes, for progress.
    /// </summary>
    public sealed class Utf8Input : IDisposable
    {
        private readonly FileStream _file;

        private Utf8Input(FileStream file, Stream utf8)
        {
            _file = file;
            Stream = utf8;
        }

        public Stream Stream { get; }

        public long FileLength => _file.Length;

        public long FilePosition => _file.Position;

        public static Utf8Input Open(string path)
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            try
            {
                var bom = new byte[3];
                int n = ReadFully(file, bom, 3);
                if (n >= 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF)
                {
                    return new Utf8Input(file, file); // positioned after the BOM
                }

                file.Position = 0;
                if (n >= 2 && ((bom[0] == 0xFF && bom[1] == 0xFE) || (bom[0] == 0xFE && bom[1] == 0xFF)))
                {
                    var reader = new StreamReader(file, Encoding.Unicode, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
                    return new Utf8Input(file, new Utf8TranscodingStream(reader));
                }

                return new Utf8Input(file, file);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        private static int ReadFully(Stream s, byte[] buffer, int count)
        {
            int total = 0;
            while (total < count)
            {
                int n = s.Read(buffer, total, count - total);
                if (n == 0) break;
                total += n;
            }

            return total;
        }

        public void Dispose()
        {
            Stream.Dispose();
            _file.Dispose();
        }

        /// <summary>Read-only stream that re-encodes what a TextReader yields as UTF-8.</summary>
        private sealed class Utf8TranscodingStream : Stream
        {
            private readonly TextReader _reader;
            private readonly char[] _chars = new char[1 << 14];
            private readonly byte[] _bytes = new byte[Encoding.UTF8.GetMaxByteCount(1 << 14)];
            private readonly Encoder _encoder = new UTF8Encoding(false).GetEncoder();
            private int _offset;
            private int _count;

            public Utf8TranscodingStream(TextReader reader) => _reader = reader;

            public override int Read(byte[] buffer, int offset, int count)
            {
                if (_offset == _count)
                {
                    int chars = _reader.Read(_chars, 0, _chars.Length);
                    if (chars == 0) return 0;
                    _count = _encoder.GetBytes(_chars, 0, chars, _bytes, 0, flush: false);
                    _offset = 0;
                    if (_count == 0) return Read(buffer, offset, count);
                }

                int n = Math.Min(count, _count - _offset);
                Buffer.BlockCopy(_bytes, _offset, buffer, offset, n);
                _offset += n;
                return n;
            }

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override void Flush() { }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing) _reader.Dispose();
                base.Dispose(disposing);
            }
        }
    }
}
