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

        /// <summary>Whether <see cref="Stream"/> gives the file's own bytes (UTF-8), not a re-encoding of UTF-16 text: ask before <see cref="Peek"/>.</summary>
        internal bool IsFileBytes => ReferenceEquals(Stream, _file);

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

        /// <summary>
        /// The lines of a UTF-8 file (not UTF-16: see <see cref="Open"/>) that start at a byte in
        /// [<paramref name="start"/>, <paramref name="end"/>): a part of a large file for one of several reader threads.
        /// Parts that meet (one's end is the next one's start) hold every line exactly once, each whole; a line that
        /// crosses a part's end belongs to the part it starts in. <see cref="LinesStart"/> says where the first line is
        /// once the stream has been read from (a part's line numbers count from there). Its layout is the file's, found
        /// from the file's start: a part is not peeked at.
        /// </summary>
        internal static Utf8Input OpenLines(string path, long start, long end)
        {
            if (start < 0 || end < start) throw new ArgumentOutOfRangeException(nameof(start));
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            try
            {
                return new Utf8Input(file, new LineRangeStream(file, start, end));
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        /// <summary>
        /// For a stream of <see cref="OpenLines"/>: the byte of the file its first line starts at (0 for a part at the file's
        /// start), or -1 before the stream has been read from.
        /// </summary>
        internal long LinesStart => LineRange?.LinesStart ?? 0;

        /// <summary>For a stream of <see cref="OpenLines"/>: whether it was read to the part's end; for any other, true.</summary>
        internal bool ReachedEnd => LineRange?.ReachedEnd ?? true;

        private LineRangeStream? LineRange => Stream as LineRangeStream;

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

        /// <summary>
        /// The lines that start in [start, end) of a file: a part after the file's first byte skips what is left of the line
        /// the byte before it is in (that line belongs to the part before), and a part ends after the line break that
        /// ends the line holding the byte before its end.
        /// </summary>
        private sealed class LineRangeStream : ReadOnlyStream
        {
            private readonly FileStream _file;
            private readonly long _end;
            private long _position; // in the file, of the next byte read from it
            private bool _skipping; // before the first line: still in the line the part's start is in
            private bool _done;

            public LineRangeStream(FileStream file, long start, long end)
            {
                _file = file;
                _end = end;

                // From the byte before the start: when that byte ends a line, the part's first line starts right at start.
                // The file's first part passes over a UTF-8 byte order mark, as a whole read does.
                _position = start == 0 ? (StartsWithByteOrderMark(file) ? 3 : 0) : start - 1;
                _skipping = start > 0;
                LinesStart = start == 0 ? 0 : -1;
                _done = start >= end;
                file.Position = _position;
            }

            public long LinesStart { get; private set; }

            /// <summary>Whether the part was read to its end (not stopped by a failed read).</summary>
            public bool ReachedEnd => _done;

            private static bool StartsWithByteOrderMark(FileStream file)
            {
                var head = new byte[3];
                return ReadFully(file, head, 3) == 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF;
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                while (!_done && count > 0)
                {
                    int n = _file.Read(buffer, offset, count);
                    if (n == 0)
                    {
                        _done = true;
                        return 0;
                    }

                    long first = _position; // the file position of buffer[offset]
                    _position += n;
                    int from = 0;
                    if (_skipping)
                    {
                        int lineBreak = Array.IndexOf(buffer, (byte)'\n', offset, n);
                        if (lineBreak < 0)
                        {
                            // No line starts in the part when the line before runs through its last byte: stop there, not
                            // at that line's end (a damaged file's tail can be one line hundreds of MB long).
                            if (first + n >= _end) _done = true;
                            continue;
                        }

                        from = lineBreak + 1 - offset;
                        _skipping = false;
                        LinesStart = first + from;
                        if (LinesStart >= _end)
                        {
                            _done = true; // the next line starts in the next part
                            return 0;
                        }
                    }

                    // The part ends with the line holding byte end - 1: after the first line break at or past it.
                    int length = n - from;
                    long lastOwned = _end - 1;
                    if (first + n > lastOwned)
                    {
                        int searchFrom = (int)Math.Max(from, lastOwned - first);
                        int lineBreak = Array.IndexOf(buffer, (byte)'\n', offset + searchFrom, n - searchFrom);
                        if (lineBreak >= 0)
                        {
                            length = lineBreak + 1 - offset - from;
                            _done = true;
                        }
                    }

                    if (from > 0) Buffer.BlockCopy(buffer, offset + from, buffer, offset, length);
                    if (length > 0) return length;
                }

                return 0;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing) _file.Dispose();
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
