using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using IoTEdgeTroubleshoot.Edge.Config;

namespace IoTEdgeTroubleshoot.Edge.Json
{
    internal enum JsonKind
    {
        Object,
        Array,
        String,
        Number,
        True,
        False,
        Null,
    }

    /// <summary>
    /// One JSON value with the characters it spans in its text (<see cref="End"/> exclusive), so that an
    /// edit can replace exactly those characters and leave every other byte of the file as it was.
    /// </summary>
    internal sealed class JsonSpan
    {
        private readonly List<JsonMember> _members = new List<JsonMember>();
        private readonly List<JsonSpan> _items = new List<JsonSpan>();

        public JsonSpan(JsonKind kind, int start)
        {
            Kind = kind;
            Start = start;
        }

        public JsonKind Kind { get; }

        public int Start { get; }

        public int End { get; internal set; }

        /// <summary>A string's decoded value; null for every other kind.</summary>
        public string? StringValue { get; internal set; }

        /// <summary>A number's text as written; null for every other kind.</summary>
        public string? NumberText { get; internal set; }

        public IReadOnlyList<JsonMember> Members => _members;

        public IReadOnlyList<JsonSpan> Items => _items;

        /// <summary>The value of a member: the last one when a name is written twice, as dockerd and edgeAgent read it.</summary>
        public JsonSpan? this[string name] => Member(name)?.Value;

        public JsonMember? Member(string name)
        {
            for (int i = _members.Count - 1; i >= 0; i--)
            {
                if (_members[i].Name == name) return _members[i];
            }

            return null;
        }

        /// <summary>A member's name compared without case (edgeAgent reads createOptions and env names that way).</summary>
        public JsonMember? MemberIgnoringCase(string name)
        {
            for (int i = _members.Count - 1; i >= 0; i--)
            {
                if (string.Equals(_members[i].Name, name, StringComparison.OrdinalIgnoreCase)) return _members[i];
            }

            return null;
        }

        /// <summary>The value at a path of member names, or null.</summary>
        public JsonSpan? At(params string[] names)
        {
            JsonSpan? node = this;
            foreach (var name in names)
            {
                node = node?.Kind == JsonKind.Object ? node[name] : null;
                if (node == null) return null;
            }

            return node;
        }

        /// <summary>The raw text of the value (for numbers, and for values shown in messages).</summary>
        public string RawText(string text) => text.Substring(Start, End - Start);

        internal void Add(JsonMember member) => _members.Add(member);

        internal void Add(JsonSpan item) => _items.Add(item);
    }

    internal sealed class JsonMember
    {
        public JsonMember(string name, int nameStart, int nameEnd, JsonSpan value)
        {
            Name = name;
            NameStart = nameStart;
            NameEnd = nameEnd;
            Value = value;
        }

        public string Name { get; }

        /// <summary>Where the name's opening quote is.</summary>
        public int NameStart { get; }

        /// <summary>Just after the name's closing quote.</summary>
        public int NameEnd { get; }

        public JsonSpan Value { get; }
    }

    /// <summary>
    /// A JSON text read twice: by System.Text.Json, which decides whether it is JSON (strict, as dockerd and
    /// the IoT Hub deployment API read it: no comments, no trailing commas) and says where it is not; then,
    /// once it is known to be valid, by a small reader that records where every value and member name is.
    /// </summary>
    internal sealed class JsonText
    {
        private readonly string _text;
        private int _at;

        private JsonText(string text) => _text = text;

        /// <summary>Parses a text; <paramref name="error"/> is set and null returned when it is not JSON.</summary>
        public static JsonSpan? Parse(string text, out ConfigSyntaxError? error)
        {
            error = Validate(text);
            if (error != null) return null;
            var reader = new JsonText(text);
            reader.SkipSpace();
            var root = reader.Value();
            return root;
        }

        private static ConfigSyntaxError? Validate(string text)
        {
            try
            {
                using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
                return null;
            }
            catch (JsonException ex)
            {
                int line = (int)(ex.LineNumber ?? 0);
                long bytes = ex.BytePositionInLine ?? 0;
                return new ConfigSyntaxError(line + 1, ColumnOf(text, line, bytes), Describe(ex.Message));
            }
        }

        // System.Text.Json counts bytes of UTF-8 on a 0-based line: editors count characters from 1.
        private static int ColumnOf(string text, int line, long bytes)
        {
            int start = 0;
            for (int i = 0; i < line; i++)
            {
                int next = text.IndexOf('\n', start);
                if (next < 0) break;
                start = next + 1;
            }

            int column = 1;
            long counted = 0;
            for (int i = start; i < text.Length && counted < bytes && text[i] != '\n'; i++)
            {
                counted += char.IsSurrogate(text[i]) ? 2 : Encoding.UTF8.GetByteCount(text[i].ToString());
                column++;
            }

            return column;
        }

        // The reader's sentence without its own position suffix: the caller puts path:line:column in front.
        private static string Describe(string message)
        {
            int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut < 0) cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            string said = (cut < 0 ? message : message.Substring(0, cut)).Trim();
            return said.Length == 0 ? "not valid JSON." : said;
        }

        private JsonSpan Value()
        {
            char c = _text[_at];
            switch (c)
            {
                case '{': return Object();
                case '[': return Array();
                case '"':
                {
                    var span = new JsonSpan(JsonKind.String, _at);
                    span.StringValue = String();
                    span.End = _at;
                    return span;
                }

                case 't': return Literal(JsonKind.True, 4);
                case 'f': return Literal(JsonKind.False, 5);
                case 'n': return Literal(JsonKind.Null, 4);
                default:
                {
                    var span = new JsonSpan(JsonKind.Number, _at);
                    while (_at < _text.Length && "+-0123456789.eE".IndexOf(_text[_at]) >= 0) _at++;
                    span.End = _at;
                    span.NumberText = _text.Substring(span.Start, span.End - span.Start);
                    return span;
                }
            }
        }

        private JsonSpan Literal(JsonKind kind, int length)
        {
            var span = new JsonSpan(kind, _at);
            _at += length;
            span.End = _at;
            return span;
        }

        private JsonSpan Object() => Container(JsonKind.Object, '}', obj =>
        {
            int nameStart = _at;
            string name = String();
            int nameEnd = _at;
            SkipSpace();
            _at++; // ':'
            SkipSpace();
            obj.Add(new JsonMember(name, nameStart, nameEnd, Value()));
        });

        private JsonSpan Array() => Container(JsonKind.Array, ']', array => array.Add(Value()));

        // The text is valid JSON (checked first): members or items separated by commas up to the closing bracket.
        private JsonSpan Container(JsonKind kind, char close, Action<JsonSpan> readOne)
        {
            var span = new JsonSpan(kind, _at);
            _at++;
            SkipSpace();
            while (_text[_at] != close)
            {
                readOne(span);
                SkipSpace();
                if (_text[_at] == ',')
                {
                    _at++;
                    SkipSpace();
                }
            }

            _at++;
            span.End = _at;
            return span;
        }

        private string String()
        {
            var value = new StringBuilder();
            _at++; // opening quote
            while (_text[_at] != '"')
            {
                char c = _text[_at++];
                if (c != '\\')
                {
                    value.Append(c);
                    continue;
                }

                char escape = _text[_at++];
                switch (escape)
                {
                    case 'b': value.Append('\b'); break;
                    case 'f': value.Append('\f'); break;
                    case 'n': value.Append('\n'); break;
                    case 'r': value.Append('\r'); break;
                    case 't': value.Append('\t'); break;
                    case 'u':
                        value.Append((char)Convert.ToInt32(_text.Substring(_at, 4), 16));
                        _at += 4;
                        break;
                    default: value.Append(escape); break; // \" \\ \/
                }
            }

            _at++; // closing quote
            return value.ToString();
        }

        private void SkipSpace()
        {
            while (_at < _text.Length && (_text[_at] == ' ' || _text[_at] == '\t' || _text[_at] == '\r' || _text[_at] == '\n')) _at++;
        }

        /// <summary>1-based line and column of an offset, for results that point into the file.</summary>
        public static (int Line, int Column) Position(string text, int offset)
        {
            int line = 1, lineStart = 0;
            for (int i = 0; i < offset && i < text.Length; i++)
            {
                if (text[i] != '\n') continue;
                line++;
                lineStart = i + 1;
            }

            return (line, offset - lineStart + 1);
        }
    }
}
