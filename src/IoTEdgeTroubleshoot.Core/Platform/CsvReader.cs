using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// A streaming RFC 4180 reader: quoted fields, doubled quotes, commas and line breaks inside
    /// quotes (Log Analytics exports JSON columns that way). One row at a time.
    /// </summary>
    public sealed class CsvReader
    {
        private readonly TextReader _reader;
        private readonly char[] _buffer = new char[1 << 16];
        private readonly StringBuilder _field = new StringBuilder();
        private int _pos;
        private int _len;
        private long _line = 1;

        public CsvReader(TextReader reader, char delimiter = ',')
        {
            _reader = reader;
            Delimiter = delimiter;
        }

        public char Delimiter { get; }

        /// <summary>1-based line on which the row last returned started.</summary>
        public long RowLine { get; private set; }

        /// <summary>Reads one row; null at the end. An unterminated quote ends the row at the end of the file.</summary>
        public List<string>? ReadRow()
        {
            if (!EnsureData()) return null;
            RowLine = _line;
            var row = new List<string>();
            _field.Clear();
            bool inQuotes = false;
            bool fieldWasQuoted = false;
            while (EnsureData())
            {
                char c = _buffer[_pos++];
                if (inQuotes)
                {
                    if (c == '"')
                    {
                        if (EnsureData() && _buffer[_pos] == '"')
                        {
                            _field.Append('"');
                            _pos++;
                        }
                        else
                        {
                            inQuotes = false;
                        }
                    }
                    else
                    {
                        if (c == '\n') _line++;
                        _field.Append(c);
                    }

                    continue;
                }

                if (c == '"' && _field.Length == 0 && !fieldWasQuoted)
                {
                    inQuotes = true;
                    fieldWasQuoted = true;
                }
                else if (c == Delimiter)
                {
                    row.Add(_field.ToString());
                    _field.Clear();
                    fieldWasQuoted = false;
                }
                else if (c == '\n')
                {
                    _line++;
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

        /// <summary>True when the last row ended inside an open quote (a truncated file).</summary>
        public bool UnterminatedQuote { get; private set; }

        private bool EnsureData()
        {
            if (_pos < _len) return true;
            _len = _reader.Read(_buffer, 0, _buffer.Length);
            _pos = 0;
            return _len > 0;
        }
    }
}
