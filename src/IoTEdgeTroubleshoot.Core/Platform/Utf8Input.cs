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
        private readonly Stream _file;

        private Utf8Input(Stream file, Stream utf8)
        {
            _file = file;
            Stream = utf8;
        }

        public Stream Stream { get; private set; }

        /// <summary>How far into the file's own bytes reading is (for progress; 0 when the source cannot tell).</summary>
        public long FilePosition => _file.CanSeek ? _file.Position : 0;

        /// <summary>A stream that is already UTF-8 (tests, and sources that are not files).</summary>
        internal static Utf8Input FromStream(Stream utf8) => new Utf8Input(utf8, utf8);

        /// <summary>
        /// The first bytes of the text, up to <paramref name="count"/>, without consuming them: <see cref="Stream"/>
        /// still starts with them. To decide a file's form without opening it twice.
        /// </summary>
        public ArraySegment<byte> Peek(int count)
        {
            var head = new byte[count];
            int n = ReadFully(Stream, head, count);
            Stream = new ReplayStream(head, n, Stream);
            return new ArraySegment<byte>(head, 0, n);
        }

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

        /// <summary>Gives back bytes already read, then goes on with the stream they came from.</summary>
        private sealed class ReplayStream : ReadOnlyStream
        {
            private readonly byte[] _head;
            private readonly int _count;
            private readonly Stream _rest;
            private int _offset;

            public ReplayStream(byte[] head, int count, Stream rest)
            {
                _head = head;
                _count = count;
                _rest = rest;
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                if (_offset == _count) return _rest.Read(buffer, offset, count);
                int n = Math.Min(count, _count - _offset);
                Buffer.BlockCopy(_head, _offset, buffer, offset, n);
                _offset += n;
                return n;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing) _rest.Dispose();
                base.Dispose(disposing);
            }
        }

        /// <summary>What the read-only streams here share.</summary>
        private abstract class ReadOnlyStream : Stream
        {
            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override void Flush() { }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        /// <summary>Read-only stream that re-encodes what a TextReader yields as UTF-8.</summary>
        private sealed class Utf8TranscodingStream : ReadOnlyStream
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

            protected override void Dispose(bool disposing)
            {
                if (disposing) _reader.Dispose();
                base.Dispose(disposing);
            }
        }
    }
}
