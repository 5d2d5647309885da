using System;
using System.Runtime.CompilerServices;
using System.IO;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// Splits a UTF-8 stream into lines without decoding them, with a buffer that only grows to
    /// the longest line: memory stays flat however large the file is.
    /// </summary>
    public sealed class Utf8LineReader
    {
        private readonly Stream _stream;
        private byte[] _buffer;
        private int _start;
        private int _end;
        private bool _eof;

        public Utf8LineReader(Stream stream, int bufferSize = 1 << 20)
            : this(stream, new byte[bufferSize])
        {
        }

        /// <summary>Reads with a buffer the caller keeps for the next file (see <see cref="Buffer"/>).</summary>
        public Utf8LineReader(Stream stream, byte[] buffer)
        {
            _stream = stream;
            _buffer = buffer;
        }

        /// <summary>The buffer, grown if a line needed it.</summary>
        public byte[] Buffer => _buffer;

        /// <summary>1-based number of the line last returned.</summary>
        public long LineNumber { get; private set; }

        /// <summary>Reads the next line, without its "\n" or "\r\n". The segment is valid until the next call.</summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        public bool TryReadLine(out ArraySegment<byte> line)
        {
            int searchFrom = _start;
            while (true)
            {
                int newline = Array.IndexOf(_buffer, (byte)'\n', searchFrom, _end - searchFrom);
                if (newline >= 0)
                {
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

                searchFrom = _end - _start; // where the unsearched bytes will be after compaction
                Fill();
            }
        }

        private ArraySegment<byte> Trim(int from, int to)
        {
            if (to > from && _buffer[to - 1] == (byte)'\r') to--;
            return new ArraySegment<byte>(_buffer, from, to - from);
        }

        private void Fill()
        {
            int pending = _end - _start;
            if (_start > 0)
            {
                System.Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
                _start = 0;
                _end = pending;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2); // a line longer than the buffer
            }

            int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0) _eof = true;
            _end += n;
        }
    }
}
