using System;
using System.Runtime.CompilerServices;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using IoTEdgeTroubleshoot.Platform;

using static IoTEdgeTroubleshoot.Platform.TextValues;
namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>
    /// Turns one JSON value of a Connections log into events. The value is a record, or a
    /// wrapper holding records (<c>{"records":[...]}</c>, the Event Hubs form), or an array of
    /// records (what <c>az monitor log-analytics query</c> prints). Field names are matched
    /// without regard to case, so both the export schema (time, resourceId, properties) and
    /// the Log Analytics one (TimeGenerated, _ResourceId, properties_s) are understood.
    /// </summary>
    internal sealed partial class ConnectionRecordParser
    {
        private readonly Utf8StringCache _strings;

        // Lean mode (the disconnect analysis): fields it does not use are skipped, and event objects
        // are reused from value to value instead of allocated per record.
        private readonly bool _lean;
        private readonly List<IoTHubConnectionEvent> _pool = new List<IoTHubConnectionEvent>();
        private int _poolUsed;

        public ConnectionRecordParser(bool lean = false, DeviceKeyTable? deviceKeys = null)
        {
            _lean = lean;
            _deviceKeys = deviceKeys;

            // The full parse takes device ids through the cache too (a hub's tens of thousands of them repeat); the lean
            // parse takes them through the table, and keeps only a record's few repeating values here.
            _strings = new Utf8StringCache(lean ? 1 << 12 : 1 << 16);
        }

        // The analysis' device ids, shared by its reader threads (null: device ids go through this parser's own cache).
        private readonly DeviceKeyTable? _deviceKeys;

        // The lean parse's reader of "properties": it remembers what it skipped, so it belongs to this parser's thread.
        private LeanPropertiesScanner? _properties;

        private LeanPropertiesScanner Properties
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)] // read on every record
            get => _properties ??= new LeanPropertiesScanner(_strings, _deviceKeys);
        }
        private readonly Dictionary<string, string?> _authTypes = new Dictionary<string, string?>(StringComparer.Ordinal);

        // Where the value being parsed stops being UTF-8 (-1: it is UTF-8): the record holding it is malformed.
        private int _invalidUtf8At = -1;
        private string? _lastResourceId;
        private string _lastHubName = string.Empty;

        private enum Field
        {
            Unknown,
            Time,
            ResourceId,
            OperationName,
            Category,
            Level,
            ResultType,
            ResultDescription,
            Properties,
            Location,
            Records,
            DeviceId,
            ModuleId,
            Protocol,
            AuthType,
            MaskedIpAddress,
            StatusCode,
            ErrorMessage,
            SdkVersion,
            Type,
        }

        // Lower-case names; matched against the lower-cased property name.
        private static readonly KeyValuePair<byte[], Field>[] FieldNames =
        {
            Name("time", Field.Time),
            Name("timegenerated", Field.Time),
            Name("resourceid", Field.ResourceId),
            Name("_resourceid", Field.ResourceId),
            Name("operationname", Field.OperationName),
            Name("category", Field.Category),
            Name("level", Field.Level),
            Name("resulttype", Field.ResultType),
            Name("resultdescription", Field.ResultDescription),
            Name("properties", Field.Properties),
            Name("properties_s", Field.Properties),
            Name("location", Field.Location),
            Name("records", Field.Records),
            Name("deviceid", Field.DeviceId),
            Name("deviceid_s", Field.DeviceId),
            Name("moduleid", Field.ModuleId),
            Name("protocol", Field.Protocol),
            Name("authtype", Field.AuthType),
            Name("maskedipaddress", Field.MaskedIpAddress),
            Name("statuscode", Field.StatusCode),
            Name("errormessage", Field.ErrorMessage),
            Name("sdkversion", Field.SdkVersion),
            Name("type", Field.Type),
        };

        private static readonly JsonReaderOptions ReaderOptions = new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            MaxDepth = 16,
        };

        private static KeyValuePair<byte[], Field> Name(string name, Field field) =>
            new KeyValuePair<byte[], Field>(Encoding.ASCII.GetBytes(name), field);

        /// <summary>
        /// The lean parse's shortcut alone (lean mode only): true with the outcome when <paramref name="json"/> is one
        /// record of the hub's usual shape; false when <see cref="ParseValue"/> must read it. The event is reused by the next call.
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        internal bool TryParseLean(ReadOnlySpan<byte> json, ConnectionEventFilter filter, out RecordOutcome outcome)
        {
            _poolUsed = 0;
            outcome = default;
            return _lean && TryScanLeanRecord(json, filter, out outcome);
        }

        /// <summary>
        /// Parses a complete JSON value and hands each record to <paramref name="sink"/>: an event, or a
        /// malformed record with its offset. Throws <see cref="MalformedRecordException"/> for a value that is
        /// not a record, or whose JSON is broken. In lean mode the events handed to <paramref name="sink"/> are
        /// reused by the next call: use them before parsing the next value.
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        [CompiledAtFirstCall] // the full parse: the diagnosis' lean read reaches it only for records the lean scan leaves to it
        public void ParseValue(ReadOnlySpan<byte> json, ConnectionEventFilter filter, ICollection<RecordOutcome> sink)
        {
            if (TryParseLean(json, filter, out var scanned))
            {
                sink.Add(scanned);
                return;
            }

            _poolUsed = 0;
            _invalidUtf8At = Utf8Validation.IndexOfInvalid(json);
            var reader = new Utf8JsonReader(json, isFinalBlock: true, new JsonReaderState(ReaderOptions));
            try
            {
                if (!reader.Read()) throw new MalformedRecordException("The record is empty.", 0);
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    ReadRecordArray(ref reader, json, filter, sink);
                }
                else if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadObject(ref reader, json, filter, sink);
                }
                else
                {
                    throw new MalformedRecordException($"Expected a JSON object, found {Describe(reader.TokenType)}.", reader.TokenStartIndex);
                }

                if (reader.Read()) throw new MalformedRecordException("Unexpected text after the record.", reader.TokenStartIndex);
            }
            catch (JsonException ex)
            {
                throw new MalformedRecordException(CleanJsonMessage(ex), ex.BytePositionInLine ?? 0);
            }
        }

        /// <summary>Applies the "properties" JSON text of a CSV row (properties_s) to an event.</summary>
        public void ApplyPropertiesJson(string json, IoTHubConnectionEvent e)
        {
            if (string.IsNullOrWhiteSpace(json)) return;
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), isFinalBlock: true, new JsonReaderState(ReaderOptions));
            try
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new MalformedRecordException("'properties' does not hold a JSON object.", 0);
                }

                ReadPropertiesObject(ref reader, e);
            }
            catch (JsonException ex)
            {
                throw new MalformedRecordException("'properties' is not valid JSON: " + CleanJsonMessage(ex), 0);
            }
        }

        private void ReadRecordArray(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ConnectionEventFilter filter, ICollection<RecordOutcome> sink)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                long start = reader.TokenStartIndex;
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    sink.Add(RecordOutcome.Malformed($"Expected a record object in the array, found {Describe(reader.TokenType)}.", start));
                    reader.Skip();
                    continue;
                }

                sink.Add(ReadRecordSafely(ref reader, json, filter, start));
            }
        }

        // A wrapper's elements are checked one by one so that one bad record does not lose the rest.
        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        [CompiledAtFirstCall] // the full parse: the diagnosis' lean read reaches it only for records the lean scan leaves to it
        private void ReadObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ConnectionEventFilter filter, ICollection<RecordOutcome> sink)
        {
            var probe = reader; // a copy: look at the first property without consuming it
            if (probe.Read() && probe.TokenType == JsonTokenType.PropertyName && FieldOf(ref probe) == Field.Records)
            {
                probe.Read();
                if (probe.TokenType == JsonTokenType.StartArray)
                {
                    reader = probe;
                    ReadRecordArray(ref reader, json, filter, sink);
                    reader.Read(); // the wrapper's EndObject (or more properties, which we ignore)
                    while (reader.TokenType != JsonTokenType.EndObject)
                    {
                        if (reader.TokenType == JsonTokenType.PropertyName)
                        {
                            reader.Read();
                            reader.Skip();
                        }

                        if (!reader.Read()) break;
                    }

                    return;
                }
            }

            sink.Add(ReadRecordSafely(ref reader, json, filter, reader.TokenStartIndex));
        }

        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        [CompiledAtFirstCall] // the full parse: the diagnosis' lean read reaches it only for records the lean scan leaves to it
        private RecordOutcome ReadRecordSafely(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ConnectionEventFilter filter, long start)
        {
            int depth = reader.CurrentDepth;
            RecordOutcome outcome;
            try
            {
                outcome = ReadRecord(ref reader, filter);
            }
            catch (Exception ex) when (ex is MalformedRecordException || (ex is InvalidOperationException && _invalidUtf8At >= start))
            {
                // The record is syntactically whole (the reader validated it) but its content is bad (or, when the
                // reader refused to decode it, not UTF-8: said below): move to its end and go on with the next one.
                while (!(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
                {
                    if (!reader.Read()) break;
                }

                outcome = RecordOutcome.Malformed(ex.Message, start);
            }

            long end = reader.BytesConsumed;
            if (_invalidUtf8At >= start && _invalidUtf8At < end)
            {
                outcome = RecordOutcome.Malformed($"The record holds bytes that are not UTF-8 (0x{json[_invalidUtf8At]:X2} at byte {_invalidUtf8At - start + 1} of the record): the file is damaged, or was saved in another encoding.", _invalidUtf8At);
                int next = Utf8Validation.IndexOfInvalid(json.Slice((int)end));
                _invalidUtf8At = next < 0 ? -1 : (int)end + next;
            }

            return outcome;
        }

        /// <summary>Reader is on the record's StartObject; leaves it on the record's EndObject.</summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        [CompiledAtFirstCall] // the full parse: the diagnosis' lean read reaches it only for records the lean scan leaves to it
        private RecordOutcome ReadRecord(ref Utf8JsonReader reader, ConnectionEventFilter filter)
        {
            var e = NewEvent();
            string? time = null;
            bool haveTime = false;
            DateTimeOffset parsedTime = default;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var field = FieldOf(ref reader);
                reader.Read();
                switch (field)
                {
                    case Field.Time:
                        if (reader.TokenType == JsonTokenType.String
                            && ((!reader.ValueIsEscaped && !reader.HasValueSequence && UtcTimestamp.TryParse(reader.ValueSpan, out parsedTime))
                                || TryGetTime(ref reader, out parsedTime)))
                        {
                            haveTime = true;
                        }
                        else
                        {
                            time = ScalarText(ref reader);
                        }

                        break;
                    case Field.ResourceId when !_lean: e.ResourceId = ScalarText(ref reader) ?? string.Empty; break;
                    case Field.OperationName: e.OperationName = ScalarText(ref reader) ?? string.Empty; break;
                    case Field.Category: e.Category = ScalarText(ref reader) ?? string.Empty; break;
                    case Field.Level: e.Level = ScalarText(ref reader) ?? string.Empty; break;
                    case Field.ResultType: e.ResultType = ScalarText(ref reader) ?? string.Empty; break;
                    case Field.ResultDescription when !_lean: e.ResultDescription = ScalarText(ref reader) ?? string.Empty; break;
                    case Field.Location when !_lean: e.Location = ScalarText(ref reader); break;
                    case Field.Properties: ReadProperties(ref reader, e); break;
                    case Field.DeviceId: e.DeviceId = ScalarText(ref reader) ?? string.Empty; break;
                    default: ReadNestedOrScalar(ref reader, e, field); break;
                }
            }

            if (!haveTime)
            {
                if (time == null) throw new MalformedRecordException("The record has no time.", 0);
                if (!DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out parsedTime))
                {
                    throw new MalformedRecordException($"The record's time '{Shorten(time)}' is not a date.", 0);
                }
            }

            e.TimeGenerated = parsedTime.ToUniversalTime();
            return Finish(e, filter);
        }

        private RecordOutcome Finish(IoTHubConnectionEvent e, ConnectionEventFilter filter)
        {
            if (!ReferenceEquals(e.ResourceId, _lastResourceId))
            {
                _lastResourceId = e.ResourceId; // cached strings: the same id is the same reference
                _lastHubName = HubNameOf(e.ResourceId);
            }

            e.HubName = _lastHubName;
            if (!filter.Accepts(e)) return RecordOutcome.Filtered;
            return RecordOutcome.Parsed(e);
        }

        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        private IoTHubConnectionEvent NewEvent()
        {
            if (!_lean) return new IoTHubConnectionEvent();
            if (_poolUsed == _pool.Count) _pool.Add(new IoTHubConnectionEvent());
            var e = _pool[_poolUsed++];
            e.ResetForReuse();
            return e;
        }

        // The fields that normally sit inside "properties" are accepted at the top level too.
        private void ReadNestedOrScalar(ref Utf8JsonReader reader, IoTHubConnectionEvent e, Field field)
        {
            if (field == Field.Unknown || field == Field.Records || field == Field.Type)
            {
                reader.Skip();
                return;
            }

            SetPropertyField(ref reader, e, field);
        }

        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        [CompiledAtFirstCall] // the full parse: the diagnosis' lean read reaches it only for records the lean scan leaves to it
        private void ReadProperties(ref Utf8JsonReader reader, IoTHubConnectionEvent e)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ReadPropertiesObject(ref reader, e);
                return;
            }

            if (reader.TokenType == JsonTokenType.Null) return;
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new MalformedRecordException($"'properties' should be a JSON string or object, found {Describe(reader.TokenType)}.", 0);
            }

            // The analysis' shortcut: read its few fields from the escaped bytes, when they are ordinary.
            if (_lean && !reader.HasValueSequence && Properties.TryScan(reader.ValueSpan, e)) return;

            // The export stores properties as a JSON document inside a string: unescape it and parse.
            int max = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
            if (max == 0) return;
            byte[] rented = ArrayPool<byte>.Shared.Rent(max);
            try
            {
                byte[] inner = rented;
                int written;
                try
                {
                    written = reader.CopyString(rented);
                }
                catch (InvalidOperationException)
                {
                    // An escaped lone surrogate (or bytes that are not UTF-8, which the record check reports).
                    inner = JsonStringText.UnescapeToUtf8(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
                    written = inner.Length;
                }

                var nested = new Utf8JsonReader(new ReadOnlySpan<byte>(inner, 0, written), isFinalBlock: true, new JsonReaderState(ReaderOptions));
                if (!nested.Read() || nested.TokenType != JsonTokenType.StartObject)
                {
                    throw new MalformedRecordException("'properties' does not hold a JSON object.", 0);
                }

                ReadPropertiesObject(ref nested, e);
            }
            catch (JsonException ex)
            {
                throw new MalformedRecordException("'properties' is not valid JSON: " + CleanJsonMessage(ex), 0);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        [CompiledAtFirstCall] // the full parse: the diagnosis' lean read reaches it only for records the lean scan leaves to it
        private void ReadPropertiesObject(ref Utf8JsonReader reader, IoTHubConnectionEvent e)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var field = FieldOf(ref reader);
                reader.Read();
                SetPropertyField(ref reader, e, field);
            }
        }

        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        [CompiledAtFirstCall] // the full parse: the diagnosis' lean read reaches it only for records the lean scan leaves to it
        private void SetPropertyField(ref Utf8JsonReader reader, IoTHubConnectionEvent e, Field field)
        {
            switch (field)
            {
                case Field.DeviceId: e.DeviceId = ScalarText(ref reader) ?? string.Empty; break;
                case Field.ModuleId: e.ModuleId = NullIfEmpty(ScalarText(ref reader)); break;
                case Field.Protocol: e.Protocol = NullIfEmpty(ScalarText(ref reader)); break;
                case Field.AuthType when !_lean: e.AuthType = ReadAuthType(ref reader); break;
                case Field.MaskedIpAddress: e.MaskedIpAddress = NullIfEmpty(ScalarText(ref reader)); break;
                case Field.StatusCode when !_lean: e.StatusCode = NullIfEmpty(ScalarText(ref reader)); break;
                case Field.ErrorMessage when !_lean: e.ErrorMessage = NullIfEmpty(ScalarText(ref reader)); break;
                case Field.SdkVersion: e.SdkVersion = NullIfEmpty(ScalarText(ref reader)); break;
                default: reader.Skip(); break;
            }
        }

        // authType is itself JSON, e.g. {"scope":"device","type":"sas","issuer":"iothub"}: keep its type.
        private string? ReadAuthType(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.StartObject) return ReadAuthTypeObject(ref reader);
            string? text = ScalarText(ref reader);
            if (string.IsNullOrEmpty(text)) return null;
            if (text![0] != '{') return text;
            if (_authTypes.TryGetValue(text, out var known)) return known;
            string? type;
            try
            {
                var nested = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), isFinalBlock: true, new JsonReaderState(ReaderOptions));
                nested.Read();
                type = ReadAuthTypeObject(ref nested) ?? text;
            }
            catch (JsonException)
            {
                type = text;
            }

            if (_authTypes.Count < 256) _authTypes[text] = type; // a handful of distinct values in practice
            return type;
        }

        private string? ReadAuthTypeObject(ref Utf8JsonReader reader)
        {
            string? type = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var field = FieldOf(ref reader);
                reader.Read();
                if (field == Field.Type) type = ScalarText(ref reader);
                else reader.Skip();
            }

            return type;
        }

        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        [CompiledAtFirstCall] // the full parse: the diagnosis' lean read reaches it only for records the lean scan leaves to it
        private string? ScalarText(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    return reader.ValueIsEscaped || reader.HasValueSequence ? GetStringLenient(ref reader) : _strings.Get(reader.ValueSpan);
                case JsonTokenType.Number:
                    return reader.HasValueSequence
                        ? Encoding.UTF8.GetString(reader.ValueSequence.ToArray())
                        : _strings.Get(reader.ValueSpan);
                case JsonTokenType.True:
                    return "true";
                case JsonTokenType.False:
                    return "false";
                case JsonTokenType.Null:
                    return null;
                default:
                    reader.Skip();
                    return null;
            }
        }

        /// <summary>
        /// A string value, or a name, as text. System.Text.Json refuses an escaped lone surrogate (\ud800), which
        /// is JSON syntax but no character: it is read as U+FFFD, as every other path of the reader does.
        /// </summary>
        private static string? GetStringLenient(ref Utf8JsonReader reader)
        {
            try
            {
                return reader.GetString();
            }
            catch (InvalidOperationException) when (reader.TokenType == JsonTokenType.String || reader.TokenType == JsonTokenType.PropertyName)
            {
                return JsonStringText.Unescape(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
            }
        }

        // Field names by length, so each property name is compared with one or two candidates, not all.
        private static readonly KeyValuePair<byte[], Field>[][] FieldNamesByLength = GroupByLength();

        private static KeyValuePair<byte[], Field>[][] GroupByLength()
        {
            var groups = new KeyValuePair<byte[], Field>[33][];
            for (int length = 0; length < groups.Length; length++)
            {
                groups[length] = Array.FindAll(FieldNames, pair => pair.Key.Length == length);
            }

            return groups;
        }

        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        [CompiledAtFirstCall] // the full parse: the diagnosis' lean read reaches it only for records the lean scan leaves to it
        private static Field FieldOf(ref Utf8JsonReader reader)
        {
            if (reader.HasValueSequence || reader.ValueIsEscaped) return FieldOfSlow(GetStringLenient(ref reader));
            return FieldOfName(reader.ValueSpan);
        }

        /// <summary>A property name (unescaped UTF-8) → the field, without regard to case.</summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // met on every record with a key out of the usual order
        private static Field FieldOfName(ReadOnlySpan<byte> name)
        {
            if (name.Length >= FieldNamesByLength.Length) return Field.Unknown;
            var candidates = FieldNamesByLength[name.Length];
            if (candidates.Length == 0) return Field.Unknown;
            Span<byte> lower = stackalloc byte[name.Length];
            for (int i = 0; i < name.Length; i++)
            {
                byte b = name[i];
                lower[i] = b >= (byte)'A' && b <= (byte)'Z' ? (byte)(b | 0x20) : b;
            }

            foreach (var pair in candidates)
            {
                if (ByteScan.Equal(lower, pair.Key)) return pair.Value;
            }

            return Field.Unknown;
        }

        private static Field FieldOfSlow(string? name)
        {
            if (name == null) return Field.Unknown;
            var bytes = Encoding.UTF8.GetBytes(name.ToLowerInvariant());
            foreach (var pair in FieldNames)
            {
                if (bytes.AsSpan().SequenceEqual(pair.Key)) return pair.Value;
            }

            return Field.Unknown;
        }

        // The reader's own date parse, except that an escaped lone surrogate (which it cannot unescape) is no time
        // rather than an exception that would end the file's read: ScalarText then reads the text leniently.
        private static bool TryGetTime(ref Utf8JsonReader reader, out DateTimeOffset time)
        {
            try
            {
                return reader.TryGetDateTimeOffset(out time);
            }
            catch (InvalidOperationException)
            {
                time = default;
                return false;
            }
        }

        /// <summary>"/SUBSCRIPTIONS/.../IOTHUBS/MYHUB" → "MYHUB".</summary>
        internal static string HubNameOf(string resourceId)
        {
            if (string.IsNullOrEmpty(resourceId)) return string.Empty;
            string trimmed = resourceId.TrimEnd('/');
            int slash = trimmed.LastIndexOf('/');
            return slash >= 0 ? trimmed.Substring(slash + 1) : trimmed;
        }

        /// <summary>A message quotes at most the start of a value: a hostile record may hold megabytes in one field.</summary>
        internal static string Shorten(string value) => value.Length <= 80 ? value : value.Substring(0, 80) + "…";

        private static string Describe(JsonTokenType type) => type switch
        {
            JsonTokenType.StartArray => "an array",
            JsonTokenType.String => "a string",
            JsonTokenType.Number => "a number",
            JsonTokenType.True or JsonTokenType.False => "a boolean",
            JsonTokenType.Null => "null",
            _ => type.ToString(),
        };

        // System.Text.Json's messages end with "LineNumber: 0 | BytePositionInLine: 12.": we give our own position.
        internal static string CleanJsonMessage(JsonException ex)
        {
            string message = ex.Message;
            int at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return at > 0 ? message.Substring(0, at).TrimEnd() : message;
        }
    }
}
