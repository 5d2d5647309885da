using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// A streaming RFC 4180 reader: quoted fields, doubled quotes, commas and line breaks inside
    /// quotes (Log Analytics exports JSON columns that way). One row at a time, each field with the
    /// line and column where it starts. A row longer than the limit is read past without being kept
    /// (<see cref="RowTooLong"/>), and a row that a stray quote ran across lines can be read again
    /// from its second line (<see cref="RereadFromSecondLine"/>): one broken quote costs one row.
    /// </summary>
    public sealed class CsvReader
    {
        private const int BufferSize = 1 << 16;
        private readonly TextReader _reader;
        private readonly int _maxRowLength;
        private readonly CancellationToken _cancellation;
        private readonly StringBuilder _field = new StringBuilder();
        private readonly List<FieldStart> _starts = new List<FieldStart>();

        // What the row read after its first line break, kept only while a row spans lines (rare).
        private readonly StringBuilder _afterFirstLine = new StringBuilder();
        private char[] _buffer = new char[BufferSize];
        private int _pos;
        private int _len;
        private long _line = 1;
        private long _column = 1;
        private long _secondLine; // the line after the row's first, where a re-read starts

        public CsvReader(TextReader reader, char delimiter = ',', int maxRowLength = int.MaxValue, CancellationToken cancellation = default)
        {
            _reader = reader;
            Delimiter = delimiter;
            _maxRowLength = maxRowLength;
            _cancellation = cancellation;
        }

        public char Delimiter { get; }

        /// <summary>1-based line on which the row last returned started.</summary>
        public long RowLine { get; private set; }

        /// <summary>True when the last row ended inside an open quote (a truncated file, or a stray quote).</summary>
        public bool UnterminatedQuote { get; private set; }

        /// <summary>Where the quote that the last row left open was opened.</summary>
        public FieldStart OpenQuote { get; private set; }

        /// <summary>The last row was longer than the limit: it came back empty, and the reader is on the next line.</summary>
        public bool RowTooLong { get; private set; }

        /// <summary>The last row went on across a line break inside quotes.</summary>
        public bool RowSpansLines { get; private set; }

        /// <summary>Where field <paramref name="index"/> of the last row starts.</summary>
        public FieldStart StartOf(int index) => index >= 0 && index < _starts.Count ? _starts[index] : new FieldStart(RowLine, 1);

        /// <summary>Reads one row; null at the end. An unterminated quote ends the row at the end of the file.</summary>
        public List<string>? ReadRow()
        {
            if (!EnsureData()) return null;
            RowLine = _line;
            RowTooLong = false;
            RowSpansLines = false;
            _afterFirstLine.Clear();
            _starts.Clear();
            var row = new List<string>();
            _field.Clear();
            _starts.Add(new FieldStart(_line, _column));
            bool inQuotes = false;
            bool fieldWasQuoted = false;
            int rowLength = 0;
            while (EnsureData())
            {
                char c = Next();
                if (RowSpansLines) _afterFirstLine.Append(c);
                if (++rowLength > _maxRowLength)
                {
                    SkipToNextLine(c);
                    RowTooLong = true;
                    UnterminatedQuote = false;
                    _field.Clear();
                    return new List<string>();
                }

                if (inQuotes)
                {
                    if (c == '"')
                    {
                        if (EnsureData() && _buffer[_pos] == '"')
                        {
                            _field.Append('"');
                            char doubled = Next();
                            if (RowSpansLines) _afterFirstLine.Append(doubled);
                        }
                        else
                        {
                            inQuotes = false;
                        }
                    }
                    else
                    {
                        if (c == '\n' && !RowSpansLines)
                        {
                            RowSpansLines = true;
                            _secondLine = _line; // Next() has counted the line break already
                        }

                        _field.Append(c);
                    }

                    continue;
                }

                if (c == '"' && _field.Length == 0 && !fieldWasQuoted)
                {
                    inQuotes = true;
                    fieldWasQuoted = true;
                    OpenQuote = new FieldStart(_line, _column - 1);
                }
                else if (c == Delimiter)
                {
                    row.Add(_field.ToString());
                    _field.Clear();
                    fieldWasQuoted = false;
                    _starts.Add(new FieldStart(_line, _column));
                }
                else if (c == '\n')
                {
                    break;
                }
                else if (c != '\r')
                {
                    _field.Append(c);
                }
            }

            row.Add(_field.ToString());
            _field.Clear();
            UnterminatedQuote = inQuotes;
            return row;
        }

        /// <summary>
        /// Reads the last row again from its second line on: for a row that a stray quote carried across
        /// lines, so the rows it swallowed are read as rows.
        /// </summary>
        public void RereadFromSecondLine()
        {
            if (!RowSpansLines) return;
            string again = _afterFirstLine.ToString();
            _afterFirstLine.Clear();
            RowSpansLines = false;
            var rest = new char[again.Length + (_len - _pos)];
            again.CopyTo(0, rest, 0, again.Length);
            Array.Copy(_buffer, _pos, rest, again.Length, _len - _pos);
            _buffer = rest;
            _pos = 0;
            _len = rest.Length;
            _line = _secondLine;
            _column = 1;
        }

        private char Next()
        {
            char c = _buffer[_pos++];
            if (c == '\n')
            {
                _line++;
                _column = 1;
            }
            else
            {
                _column++;
            }

            return c;
        }

        // Past the rest of an over-long row: to the next line break, quotes or not, so the next row starts on a line.
        private void SkipToNextLine(char last)
        {
            if (last == '\n') return;
            while (EnsureData())
            {
                int newline = Array.IndexOf(_buffer, '\n', _pos, _len - _pos);
                if (newline >= 0)
                {
                    _pos = newline + 1;
                    _line++;
                    _column = 1;
                    return;
                }

                _pos = _len;
            }
        }

        private bool EnsureData()
        {
            if (_pos < _len) return true;
            _cancellation.ThrowIfCancellationRequested();
            if (_buffer.Length < BufferSize) _buffer = new char[BufferSize]; // after a re-read from a short array
            _len = _reader.Read(_buffer, 0, _buffer.Length);
            _pos = 0;
            return _len > 0;
        }
    }

    /// <summary>Line and column (1-based, in characters) where a CSV field starts.</summary>
    public readonly struct FieldStart
    {
        public FieldStart(long line, long column)
        {
            Line = line;
            Column = column;
        }

        public long Line { get; }

        public long Column { get; }
    }
}
