using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// Splits a UTF-8 stream into lines without decoding them, with a buffer that only grows to
    /// the longest line: memory stays flat however large the file is. A line longer than the
    /// limit is not kept: it is read past (without holding it) and reported by <see cref="LineTooLong"/>,
    /// so a file without a newline, or an endless stream, cannot exhaust memory. The cancellation
    /// token is checked each time the buffer is refilled, inside a long line too.
    /// </summary>
    public sealed class Utf8LineReader
    {
        private readonly Stream _stream;
        private readonly int _maxLineLength;
        private readonly CancellationToken _cancellation;
        private byte[] _buffer;
        private int _start;
        private int _end;
        private bool _eof;

        public Utf8LineReader(Stream stream, int bufferSize = 1 << 20)
            : this(stream, new byte[bufferSize])
        {
        }

        /// <summary>Reads with a buffer the caller keeps for the next file (see <see cref="Buffer"/>).</summary>
        public Utf8LineReader(Stream stream, byte[] buffer, int maxLineLength = int.MaxValue - 64, CancellationToken cancellation = default)
        {
            _stream = stream;
            _buffer = buffer;
            _maxLineLength = maxLineLength;
            _cancellation = cancellation;
        }

        /// <summary>The buffer, grown if a line needed it.</summary>
        public byte[] Buffer => _buffer;

        /// <summary>1-based number of the line last returned.</summary>
        public long LineNumber { get; private set; }

        /// <summary>The line last returned was longer than the limit: it came back empty, and the reader is on the next line.</summary>
        public bool LineTooLong { get; private set; }

        /// <summary>Reads the next line, without its "\n" or "\r\n". The segment is valid until the next call.</summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        public bool TryReadLine(out ArraySegment<byte> line)
        {
            LineTooLong = false;
            int searchFrom = _start;
            while (true)
            {
                int newline = ByteScan.IndexOf(new ReadOnlySpan<byte>(_buffer, searchFrom, _end - searchFrom), (byte)'\n'); // not Array.IndexOf: see ByteScan
                if (newline >= 0)
                {
                    newline += searchFrom;
                    line = Trim(_start, newline);
                    _start = newline + 1;
                    LineNumber++;
                    return true;
                }

                if (_eof)
                {
                    if (_start < _end)
                    {
                        line = Trim(_start, _end);
                        _start = _end;
                        LineNumber++;
                        return true;
                    }

                    line = default;
                    return false;
                }

                if (_end - _start > _maxLineLength)
                {
                    // Checked only before a refill, so never on the way through an ordinary line.
                    SkipRestOfLine();
                    line = new ArraySegment<byte>(_buffer, _start, 0);
                    LineNumber++;
                    LineTooLong = true;
                    return true;
                }

                searchFrom = _end - _start; // where the unsearched bytes will be after compaction
                Fill();
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private ArraySegment<byte> Trim(int from, int to)
        {
            if (to > from && _buffer[to - 1] == (byte)'\r') to--;
            return new ArraySegment<byte>(_buffer, from, to - from);
        }

        // Drops what is buffered of the line and reads on to its end, a buffer at a time.
        private void SkipRestOfLine()
        {
            _start = _end = 0;
            while (!_eof)
            {
                Fill();
                int newline = Array.IndexOf(_buffer, (byte)'\n', 0, _end);
                if (newline >= 0)
                {
                    _start = newline + 1;
                    return;
                }

                _start = _end = 0;
            }
        }

        private void Fill()
        {
            _cancellation.ThrowIfCancellationRequested();
            int pending = _end - _start;
            if (_start > 0)
            {
                System.Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
                _start = 0;
                _end = pending;
            }

            if (_end == _buffer.Length)
            {
                // A line longer than the buffer: grow, but never past what the limit needs.
                int grown = (int)Math.Min((long)_buffer.Length * 2, (long)_maxLineLength + 1);
                if (grown <= _buffer.Length) grown = _buffer.Length + 1;
                Array.Resize(ref _buffer, grown);
            }

            int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0) _eof = true;
            _end += n;
        }
    }
}
