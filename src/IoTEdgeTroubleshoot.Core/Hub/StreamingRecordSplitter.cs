using System;
using System.IO;
using System.Text.Json;
using System.Threading;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>
    /// Cuts a JSON document of any size into its records without loading it whole: the
    /// elements of a top-level array, of a <c>"records"</c> array (Event Hubs form), or the
    /// top-level objects themselves. Each element comes back as its own bytes, with the line
    /// and column where it starts. Memory is bounded by the largest record, not the file, and a
    /// record longer than the limit is read past without being kept.
    /// <para>
    /// Broken JSON does not end the document: the problem comes back as an element with an
    /// <see cref="Element.Error"/>, and reading goes on at the next place where a record starts
    /// (a <c>{</c> after a <c>,</c>, <c>[</c> or <c>}</c>, or first on its line), so one damaged
    /// record costs that record. Cancellation is checked at every step, inside a long record too.
    /// </para>
    /// </summary>
    internal sealed class StreamingRecordSplitter
    {
        private static readonly JsonReaderOptions Options = new JsonReaderOptions
        {
            AllowMultipleValues = true,
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        };

        private readonly Stream _stream;
        private readonly int _maxRecordLength;
        private readonly CancellationToken _cancellation;
        private byte[] _buffer;
        private int _start;   // first byte not yet consumed
        private int _end;     // end of the data in the buffer
        private bool _final;
        private bool _done;
        private JsonReaderState _state = new JsonReaderState(Options);

        // Where the reader state started counting lines (0-based), to turn its error positions into the file's.
        private long _stateLine;
        private long _stateColumn;

        // Where we are: at the top, inside an array of records (read by the JSON reader), recovering, or after a
        // recovery: records taken one by one, the brackets, commas and wrappers between them skipped, since the
        // reader no longer knows where in the document it is.
        private enum Context
        {
            Top,
            TopArray,
            WrapperArray,
            WrapperTail,
            ManualArray,
            Resync,
            SkipValue,
        }

        private Context _context = Context.Top;
        private long _resyncFrom;         // absolute position from which to look for the next record

        // The structural skip of an over-long value: nesting depth and string state, byte by byte.
        private int _skipDepth;
        private bool _skipStarted;
        private bool _skipInString;
        private bool _skipEscape;
        private bool _skipScalar;

        // Line counting: the line and column of byte _countedTo (a position in the buffer).
        private int _countedTo;
        private long _line = 1;
        private long _lineStartAbsolute;
        private long _bufferStartAbsolute;
        private byte _lastDroppedNonWhitespace; // the last meaningful byte before the buffer's start

        public StreamingRecordSplitter(Stream stream, int bufferSize = 1 << 20, int maxRecordLength = int.MaxValue, CancellationToken cancellation = default)
        {
            _stream = stream;
            _buffer = new byte[bufferSize];
            _maxRecordLength = maxRecordLength;
            _cancellation = cancellation;
        }

        /// <summary>A record's bytes and where it starts; or, for <see cref="Error"/>, what was wrong and where.</summary>
        public readonly struct Element
        {
            private Element(byte[]? bytes, long line, long column, string? error, bool tooLong)
            {
                Bytes = bytes ?? Array.Empty<byte>();
                Line = line;
                Column = column;
                Error = error;
                TooLong = tooLong;
            }

            public byte[] Bytes { get; }

            public long Line { get; }

            public long Column { get; }

            /// <summary>Set when this is not a record but a problem at Line:Column.</summary>
            public string? Error { get; }

            /// <summary>The problem is a record longer than the limit.</summary>
            public bool TooLong { get; }

            public static Element Record(byte[] bytes, long line, long column) => new Element(bytes, line, column, null, false);

            public static Element Failed(string error, long line, long column, bool tooLong = false) => new Element(null, line, column, error, tooLong);
        }

        private enum Step
        {
            Found,
            NeedData,
            Continue,
            End,
        }

        /// <summary>Next record or problem; false at the end.</summary>
        public bool TryReadElement(out Element element)
        {
            element = default;
            while (!_done)
            {
                _cancellation.ThrowIfCancellationRequested();
                Step step;
                try
                {
                    step = Next(out element);
                }
                catch (JsonException ex)
                {
                    element = Broken(ex);
                    return true;
                }

                switch (step)
                {
                    case Step.Found:
                        return true;
                    case Step.End:
                        _done = true;
                        return false;
                    case Step.Continue:
                        continue;
                }

                if (_final)
                {
                    _done = true;
                    bool nothingOpen = _context == Context.Top || _context == Context.ManualArray; // (after a recovery, what is open is not known)
                    if (_context == Context.Resync || _context == Context.SkipValue || (nothingOpen && ElementStart() >= _end)) return false;
                    int at = ElementStart();
                    element = FailedAt(at < _end
                        ? "The JSON document ends in the middle of a record (is the file truncated?)."
                        : "The JSON document ends before its array of records is closed (is the file truncated?).", Math.Min(at, _end));
                    return true;
                }

                if (_end - _start >= _maxRecordLength && _context != Context.Resync && _context != Context.SkipValue)
                {
                    int at = ElementStart();
                    element = FailedAt($"The record is longer than {_maxRecordLength / (1024 * 1024)} MiB, the most a record may have; it was read past, not kept.", at, tooLong: true);
                    BeginSkip(at);
                    return true;
                }

                Refill();
            }

            return false;
        }

        // The JSON reader failed: the problem at its place, and a recovery that begins where it should.
        private Element Broken(JsonException ex)
        {
            long line = _stateLine + (ex.LineNumber ?? 0) + 1;
            long column = ((ex.LineNumber ?? 0) == 0 ? _stateColumn : 0) + (ex.BytePositionInLine ?? 0) + 1;
            int at = ElementStart();
            bool beforeElement = IsBetween(_start, at, line, column);
            int last = _end;
            while (last > at && IsWhitespace(_buffer[last - 1])) last--;
            bool atEnd = _final && (IsAt(last, line, column) || (last > at && IsAt(last - 1, line, column))); // the reader names the end, or the last byte

            // An error between the last element and this one, or on this one's first byte, is about what came
            // before it (a comma too many or missing): the element itself may be whole, so look from there.
            BeginResync(beforeElement ? at - 1 : at);
            return Element.Failed(atEnd ? "The JSON document ends in the middle of a record (is the file truncated?)." : ConnectionRecordParser.CleanJsonMessage(ex), line, column);
        }

        private Step Next(out Element element)
        {
            element = default;
            switch (_context)
            {
                case Context.Resync:
                    return Resync();
                case Context.SkipValue:
                    return SkipValue();
                case Context.ManualArray:
                    return NextInManualArray(out element);
                default:
                    return NextWithReader(out element);
            }
        }

        // One step with the JSON reader. A change of context (into an array, past a wrapper's end) is committed
        // at once, so that when an element fails, the last commit is where that element begins.
        private Step NextWithReader(out Element element)
        {
            element = default;
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(_buffer, _start, _end - _start), _final, _state);
            if (!reader.Read()) return _final && _context == Context.Top ? Step.End : Step.NeedData;

            switch (_context)
            {
                case Context.Top:
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        _context = Context.TopArray;
                        Commit(reader.CurrentState, reader.BytesConsumed);
                        return Step.Continue;
                    }

                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        int at = _start + (int)reader.TokenStartIndex;
                        element = FailedAt($"Expected a JSON object or array, found {reader.TokenType}.", at);
                        BeginResync(at);
                        return Step.Found;
                    }

                    var probe = reader;
                    if (!probe.Read()) return Step.NeedData;
                    if (probe.TokenType == JsonTokenType.PropertyName && probe.ValueTextEquals("records"))
                    {
                        if (!probe.Read()) return Step.NeedData;
                        if (probe.TokenType == JsonTokenType.StartArray)
                        {
                            _context = Context.WrapperArray;
                            Commit(probe.CurrentState, probe.BytesConsumed);
                            return Step.Continue;
                        }
                    }

                    return TakeElement(ref reader, out element);

                case Context.TopArray:
                case Context.WrapperArray:
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        _context = _context == Context.TopArray ? Context.Top : Context.WrapperTail;
                        Commit(reader.CurrentState, reader.BytesConsumed);
                        return Step.Continue;
                    }

                    return TakeElement(ref reader, out element);

                default: // the wrapper's tail: its end, or another property whose value is skipped
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        _context = Context.Top;
                    }
                    else if (!reader.TrySkip() || (reader.TokenType == JsonTokenType.PropertyName && !SkipValue(ref reader)))
                    {
                        return Step.NeedData;
                    }

                    Commit(reader.CurrentState, reader.BytesConsumed);
                    return Step.Continue;
            }
        }

        private static bool SkipValue(ref Utf8JsonReader reader) => reader.Read() && reader.TrySkip();

        // The reader is on the first token of an element: copy the element's bytes out, or go back for more data.
        private Step TakeElement(ref Utf8JsonReader reader, out Element element)
        {
            element = default;
            int elementStart = _start + (int)reader.TokenStartIndex;
            if (!reader.TrySkip()) return Step.NeedData; // nothing committed: read again from the last commit

            int elementEnd = _start + (int)reader.BytesConsumed;
            var bytes = new byte[elementEnd - elementStart];
            Buffer.BlockCopy(_buffer, elementStart, bytes, 0, bytes.Length);
            long line = LineAt(elementStart);
            long column = _bufferStartAbsolute + elementStart - _lineStartAbsolute + 1;
            element = Element.Record(bytes, line, column);
            Commit(reader.CurrentState, reader.BytesConsumed);
            return Step.Found;
        }

        // After a recovery: records one by one, each with a fresh reader; between them, white space, commas, the
        // brackets of arrays and the opening of Event Hubs wrappers are skipped here.
        private Step NextInManualArray(out Element element)
        {
            element = default;
            int i = _start;
            while (i < _end && (IsWhitespace(_buffer[i]) || _buffer[i] == (byte)',' || _buffer[i] == (byte)'[' || _buffer[i] == (byte)']'))
            {
                // A '}' right after a ']' closes a wrapper.
                if (_buffer[i] == (byte)']')
                {
                    int next = i + 1;
                    while (next < _end && IsWhitespace(_buffer[next])) next++;
                    if (next == _end && !_final) break; // decide when the next byte is here
                    if (next < _end && _buffer[next] == (byte)'}') i = next;
                }

                i++;
            }

            _start = i;
            if (i == _end) return Step.NeedData;
            byte b = _buffer[i];
            if (b == (byte)']') return Step.NeedData;
            if (b != (byte)'{')
            {
                element = FailedAt($"Expected a record (a JSON object), found '{(char)b}'.", i);
                BeginResync(i);
                return Step.Found;
            }

            FreshStateAt(i);
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(_buffer, _start, _end - _start), _final, _state);
            reader.Read();

            // Another Event Hubs wrapper: go into its records.
            var probe = reader;
            if (!probe.Read() || (probe.TokenType == JsonTokenType.PropertyName && probe.ValueTextEquals("records") && !probe.Read())) return Step.NeedData;
            if (probe.TokenType == JsonTokenType.StartArray)
            {
                _start += (int)probe.BytesConsumed;
                return Step.Continue;
            }

            return TakeElement(ref reader, out element);
        }

        private void FreshStateAt(int position)
        {
            _state = new JsonReaderState(Options);
            _stateLine = LineAt(position) - 1;
            _stateColumn = _bufferStartAbsolute + position - _lineStartAbsolute;
        }

        // Where the element that failed starts: past white space and one separating comma after the last commit.
        private int ElementStart()
        {
            int i = _start;
            while (i < _end && IsWhitespace(_buffer[i])) i++;
            if (i < _end && _buffer[i] == (byte)',') i++;
            while (i < _end && IsWhitespace(_buffer[i])) i++;
            return i;
        }

        private void BeginResync(int failedAt)
        {
            _context = Context.Resync;
            _resyncFrom = _bufferStartAbsolute + failedAt + 1;
        }

        // Looks for the next '{' that can start a record: after a ',', '[' or '}' (white space aside), or first on a line.
        private Step Resync()
        {
            int i = (int)Math.Max(_start, _resyncFrom - _bufferStartAbsolute);
            while (i < _end)
            {
                int brace = Array.IndexOf(_buffer, (byte)'{', i, _end - i);
                if (brace < 0) break;
                byte before = PreviousNonWhitespace(brace, out bool lineStart);
                if (lineStart || before == (byte)',' || before == (byte)'[' || before == (byte)'}')
                {
                    _start = brace;
                    _context = Context.ManualArray;
                    return Step.Continue;
                }

                i = brace + 1;
            }

            _start = _end; // nothing here can start a record: drop it
            return _final ? Step.End : Step.NeedData;
        }

        private byte PreviousNonWhitespace(int position) => PreviousNonWhitespace(position, out _);

        // The last byte before a position that is not white space; lineStart: a line break lies between them.
        private byte PreviousNonWhitespace(int position, out bool lineStart)
        {
            lineStart = false;
            for (int i = position - 1; i >= 0; i--)
            {
                if (_buffer[i] == (byte)'\n') lineStart = true;
                if (!IsWhitespace(_buffer[i])) return _buffer[i];
            }

            return _lastDroppedNonWhitespace;
        }

        // Reads past a value too long to keep, tracking only nesting and strings (so no token has to fit in memory).
        private void BeginSkip(int at)
        {
            _context = Context.SkipValue;
            _start = at;
            _skipDepth = 0;
            _skipStarted = _skipInString = _skipEscape = _skipScalar = false;
        }

        private Step SkipValue()
        {
            for (int i = _start; i < _end; i++)
            {
                byte b = _buffer[i];
                bool ends = false;
                if (!_skipStarted)
                {
                    _skipStarted = true;
                    if (b == (byte)'{' || b == (byte)'[') _skipDepth = 1;
                    else if (b == (byte)'"') _skipInString = true;
                    else _skipScalar = true;
                    continue;
                }

                if (_skipInString)
                {
                    if (_skipEscape) _skipEscape = false;
                    else if (b == (byte)'\\') _skipEscape = true;
                    else if (b == (byte)'"' || b == (byte)'\n') // a string cannot hold a line break: it was broken there
                    {
                        _skipInString = false;
                        ends = _skipDepth == 0;
                    }
                }
                else if (_skipScalar)
                {
                    if (b == (byte)',' || b == (byte)']' || b == (byte)'}' || IsWhitespace(b))
                    {
                        _start = i;
                        return AfterSkip();
                    }
                }
                else if (b == (byte)'"')
                {
                    _skipInString = true;
                }
                else if (b == (byte)'{' || b == (byte)'[')
                {
                    _skipDepth++;
                }
                else if (b == (byte)'}' || b == (byte)']')
                {
                    ends = --_skipDepth == 0;
                }

                if (ends)
                {
                    _start = i + 1;
                    return AfterSkip();
                }
            }

            _start = _end;
            return _final ? Step.End : Step.NeedData;
        }

        private Step AfterSkip()
        {
            _context = Context.ManualArray;
            return Step.Continue;
        }

        private bool IsAt(int position, long line, long column) => IsBetween(position, position, line, column);

        // Whether the 1-based line and column given fall on a buffer position from first to last (inclusive), without
        // moving the line count. Only for positions not before the last counted.
        private bool IsBetween(int first, int last, long line, long column)
        {
            if (first < _countedTo) return false;
            long atLine = _line;
            long lineStart = _lineStartAbsolute;
            for (int i = _countedTo; i <= last; i++)
            {
                if (i >= first && atLine == line && _bufferStartAbsolute + i - lineStart + 1 == column) return true;
                if (i < _end && _buffer[i] == (byte)'\n')
                {
                    atLine++;
                    lineStart = _bufferStartAbsolute + i + 1;
                }
            }

            return false;
        }

        private Element FailedAt(string message, int position, bool tooLong = false)
        {
            long line = LineAt(position);
            return Element.Failed(message, line, _bufferStartAbsolute + position - _lineStartAbsolute + 1, tooLong);
        }

        private void Commit(JsonReaderState state, long consumed)
        {
            _state = state;
            _start += (int)consumed;
        }

        // Counts newlines up to a buffer position; positions only move forward, so the count is linear overall.
        private long LineAt(int position)
        {
            int i = _countedTo;
            while (i < position)
            {
                int newline = Array.IndexOf(_buffer, (byte)'\n', i, position - i);
                if (newline < 0) break;
                _line++;
                _lineStartAbsolute = _bufferStartAbsolute + newline + 1;
                i = newline + 1;
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
                byte before = PreviousNonWhitespace(_start);
                if (before != 0) _lastDroppedNonWhitespace = before;
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
                _bufferStartAbsolute += _start;
                _countedTo -= _start;
                _start = 0;
                _end = pending;
            }

            if (_end == _buffer.Length) Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, int.MaxValue - 64)); // a record larger than the buffer

            int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0) _final = true;
            _end += n;
        }

        private static bool IsWhitespace(byte b) => b == (byte)' ' || b == (byte)'\t' || b == (byte)'\r' || b == (byte)'\n';
    }
}
