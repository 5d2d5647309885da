using System;
using System.IO;
using System.Text.Json;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>
    /// Cuts a JSON document of any size into its records without loading it whole: the
    /// elements of a top-level array, of a <c>"records"</c> array (Event Hubs form), or the
    /// top-level objects themselves. Each element comes back as its own bytes, with the line
    /// and column where it starts. Memory is bounded by the largest record, not the file.
    /// </summary>
    internal sealed class StreamingRecordSplitter
    {
        private readonly Stream _stream;
        private byte[] _buffer;
        private int _start;   // first byte not yet consumed by the JSON reader
        private int _end;     // end of the data in the buffer
        private bool _final;
        private JsonReaderState _state = new JsonReaderState(new JsonReaderOptions
        {
            AllowMultipleValues = true,
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        });

        // Where we are: at the top, inside an array of records, or after a wrapper's records array.
        private enum Context
        {
            Top,
            TopArray,
            WrapperArray,
            WrapperTail,
        }

        private Context _context = Context.Top;

        // Line counting: the line and column of byte _countedTo (a position in the buffer).
        private int _countedTo;
        private long _line = 1;
        private long _lineStartAbsolute;
        private long _bufferStartAbsolute;

        public StreamingRecordSplitter(Stream stream, int bufferSize = 1 << 20)
        {
            _stream = stream;
            _buffer = new byte[bufferSize];
        }

        public readonly struct Element
        {
            public Element(byte[] bytes, long line, long column)
            {
                Bytes = bytes;
                Line = line;
                Column = column;
            }

            public byte[] Bytes { get; }

            public long Line { get; }

            public long Column { get; }
        }

        /// <summary>Next record; false at the end. Throws <see cref="JsonException"/> for broken JSON.</summary>
        public bool TryReadElement(out Element element)
        {
            while (true)
            {
                if (TryReadFromBuffer(out element, out bool done)) return true;
                if (done) return false;
                if (_final)
                {
                    // The reader wants more, but there is none: the document is cut short.
                    throw new JsonException("The JSON document ends in the middle of a value (is the file truncated?).", null, _line - 1, 0);
                }

                Refill();
            }
        }

        private bool TryReadFromBuffer(out Element element, out bool done)
        {
            element = default;
            done = false;
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(_buffer, _start, _end - _start), _final, _state);
            while (true)
            {
                // A checkpoint before each step: when the data runs out mid-step we go back here after a refill.
                var checkpoint = reader.CurrentState;
                long checkpointConsumed = reader.BytesConsumed;
                if (!reader.Read())
                {
                    Commit(checkpoint, checkpointConsumed);
                    if (_final) done = _context == Context.Top;
                    return false;
                }

                switch (_context)
                {
                    case Context.Top:
                        if (reader.TokenType == JsonTokenType.StartArray)
                        {
                            _context = Context.TopArray;
                            continue;
                        }

                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            throw new JsonException($"Expected a JSON object or array, found {reader.TokenType}.", null, LineAt(_start + (int)reader.TokenStartIndex) - 1, 0);
                        }

                        var probe = reader;
                        if (!probe.Read())
                        {
                            Commit(checkpoint, checkpointConsumed);
                            return false;
                        }

                        if (probe.TokenType == JsonTokenType.PropertyName && probe.ValueTextEquals("records"))
                        {
                            if (!probe.Read())
                            {
                                Commit(checkpoint, checkpointConsumed);
                                return false;
                            }

                            if (probe.TokenType == JsonTokenType.StartArray)
                            {
                                reader = probe;
                                _context = Context.WrapperArray;
                                continue;
                            }
                        }

                        return TakeElement(ref reader, checkpoint, checkpointConsumed, out element);

                    case Context.TopArray:
                    case Context.WrapperArray:
                        if (reader.TokenType == JsonTokenType.EndArray)
                        {
                            _context = _context == Context.TopArray ? Context.Top : Context.WrapperTail;
                            continue;
                        }

                        return TakeElement(ref reader, checkpoint, checkpointConsumed, out element);

                    case Context.WrapperTail:
                        if (reader.TokenType == JsonTokenType.EndObject)
                        {
                            _context = Context.Top;
                            continue;
                        }

                        // Another property of the wrapper: skip its value.
                        if (!reader.TrySkip() || (reader.TokenType == JsonTokenType.PropertyName && !SkipValue(ref reader)))
                        {
                            Commit(checkpoint, checkpointConsumed);
                            return false;
                        }

                        continue;
                }
            }
        }

        private static bool SkipValue(ref Utf8JsonReader reader) => reader.Read() && reader.TrySkip();

        // The reader is on the first token of an element: copy the element's bytes out, or go back for more data.
        private bool TakeElement(ref Utf8JsonReader reader, JsonReaderState checkpoint, long checkpointConsumed, out Element element)
        {
            element = default;
            int elementStart = _start + (int)reader.TokenStartIndex;
            if (!reader.TrySkip())
            {
                Commit(checkpoint, checkpointConsumed);
                return false;
            }

            int elementEnd = _start + (int)reader.BytesConsumed;
            var bytes = new byte[elementEnd - elementStart];
            Buffer.BlockCopy(_buffer, elementStart, bytes, 0, bytes.Length);
            long line = LineAt(elementStart);
            long column = _bufferStartAbsolute + elementStart - _lineStartAbsolute + 1;
            element = new Element(bytes, line, column);
            Commit(reader.CurrentState, reader.BytesConsumed);
            return true;
        }

        private void Commit(JsonReaderState state, long consumed)
        {
            _state = state;
            _start += (int)consumed;
        }

        // Counts newlines up to a buffer position; positions only move forward, so the count is linear overall.
        private long LineAt(int position)
        {
            for (int i = _countedTo; i < position; i++)
            {
                if (_buffer[i] == (byte)'\n')
                {
                    _line++;
                    _lineStartAbsolute = _bufferStartAbsolute + i + 1;
                }
            }

            if (position > _countedTo) _countedTo = position;
            return _line;
        }

        private void Refill()
        {
            LineAt(_start); // count what will be dropped
            int pending = _end - _start;
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
                _bufferStartAbsolute += _start;
                _countedTo -= _start;
                _start = 0;
                _end = pending;
            }

            if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2); // a record larger than the buffer

            int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0) _final = true;
            _end += n;
        }
    }
}
