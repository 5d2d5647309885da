using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace IoTEdgeTroubleshoot.Edge.Json
{
    /// <summary>A value an edit writes: a string, a list of strings, or an object of them.</summary>
    internal abstract class JsonValue
    {
        public static JsonValue Of(string value) => new StringValue(value);

        public static JsonValue Of(IEnumerable<string> values) => new ArrayValue(values.ToArray());

        public static JsonValue Object(string name, JsonValue value) => new ObjectValue(new[] { new KeyValuePair<string, JsonValue>(name, value) });

        /// <summary>An object holding <paramref name="value"/> at the end of <paramref name="names"/>.</summary>
        public static JsonValue Nested(IReadOnlyList<string> names, int from, JsonValue value)
        {
            var result = value;
            for (int i = names.Count - 1; i >= from; i--) result = Object(names[i], result);
            return result;
        }

        internal sealed class StringValue : JsonValue
        {
            public StringValue(string value) => Value = value;

            public string Value { get; }
        }

        internal sealed class ArrayValue : JsonValue
        {
            public ArrayValue(string[] values) => Values = values;

            public string[] Values { get; }
        }

        internal sealed class ObjectValue : JsonValue
        {
            public ObjectValue(KeyValuePair<string, JsonValue>[] members) => Members = members;

            public KeyValuePair<string, JsonValue>[] Members { get; }
        }
    }

    /// <summary>How a JSON text is laid out, so that what an edit adds looks like what is there.</summary>
    internal sealed class JsonLayout
    {
        private JsonLayout(string newLine, string unit, string colon, string comma, bool compact)
        {
            NewLine = newLine;
            Unit = unit;
            Colon = colon;
            Comma = comma;
            Compact = compact;
        }

        public string NewLine { get; }

        /// <summary>One level of indentation: spaces or a tab, as the file indents.</summary>
        public string Unit { get; }

        /// <summary>Between a name and its value: ": " or ":".</summary>
        public string Colon { get; }

        /// <summary>Between two values on one line, comma included: ", " or ",".</summary>
        public string Comma { get; }

        /// <summary>The whole text is on one line: added members stay on it.</summary>
        public bool Compact { get; }

        /// <summary>The layout of <paramref name="text"/>; <paramref name="unit"/> when it shows none.</summary>
        public static JsonLayout Of(string text, JsonSpan root, string unit)
        {
            string nl = text.Contains("\r\n") ? "\r\n" : "\n";
            bool compact = root.End > root.Start && text.IndexOf('\n', root.Start, root.End - root.Start) < 0;
            // With nothing to imitate, a text on one line gets JSON's compact form, a pretty-printed one spaces.
            string colon = compact ? ":" : ": ", comma = compact ? "," : ", ";
            var first = FirstMember(root);
            if (first != null)
            {
                string between = text.Substring(first.NameEnd, first.Value.Start - first.NameEnd);
                if (between.IndexOf('\n') < 0) colon = between;
            }

            if (compact) comma = colon.EndsWith(" ", StringComparison.Ordinal) ? ", " : ",";
            var pair = FirstPair(root);
            if (pair != null)
            {
                string between = text.Substring(pair.Value.Item1.Value.End, pair.Value.Item2.NameStart - pair.Value.Item1.Value.End);
                if (between.IndexOf('\n') < 0) comma = between;
            }

            string found = root.Members.Count > 0 && !compact ? JsonEdits.IndentOf(text, root.Members[0]) ?? string.Empty : string.Empty;
            string rootIndent = JsonEdits.LineIndent(text, root.Start);
            if (found.Length > rootIndent.Length && found.StartsWith(rootIndent, StringComparison.Ordinal)) unit = found.Substring(rootIndent.Length);
            return new JsonLayout(nl, unit, colon, comma, compact);
        }

        private static JsonMember? FirstMember(JsonSpan node)
        {
            if (node.Kind == JsonKind.Object && node.Members.Count > 0) return node.Members[0];
            foreach (var child in node.Members.Select(m => m.Value).Concat(node.Items))
            {
                var found = FirstMember(child);
                if (found != null) return found;
            }

            return null;
        }

        private static (JsonMember, JsonMember)? FirstPair(JsonSpan node)
        {
            if (node.Kind == JsonKind.Object && node.Members.Count > 1) return (node.Members[0], node.Members[1]);
            foreach (var child in node.Members.Select(m => m.Value).Concat(node.Items))
            {
                var found = FirstPair(child);
                if (found != null) return found;
            }

            return null;
        }
    }

    /// <summary>Why an edit found no place for a value: a member on the way is not an object.</summary>
    internal sealed class JsonShapeException : Exception
    {
        public JsonShapeException(string path, JsonSpan found)
            : base($"{path} is {Article(found.Kind)}, not an object")
        {
            Path = path;
            Found = found;
        }

        public string Path { get; }

        public JsonSpan Found { get; }

        private static string Article(JsonKind kind) => kind switch
        {
            JsonKind.Array => "an array",
            JsonKind.String => "a string",
            JsonKind.Number => "a number",
            JsonKind.Null => "null",
            _ => "a " + kind.ToString().ToLowerInvariant(),
        };
    }

    /// <summary>
    /// Surgical edits of JSON text, located by <see cref="JsonText"/>'s spans: an existing value's characters
    /// are replaced; a missing member is added after its last sibling with the siblings' indentation (or on
    /// the same line, in a text written on one line); missing objects on the way are added whole. Every other
    /// character, member order, indentation and line ending stays as it was.
    /// </summary>
    internal static class JsonEdits
    {
        /// <summary>
        /// The text with <paramref name="value"/> at <paramref name="path"/> (member names from the root),
        /// creating the objects on the way. <paramref name="ignoreCase"/> finds members whatever their case
        /// (Docker reads createOptions so).
        /// </summary>
        public static string Set(string text, JsonSpan root, IReadOnlyList<string> path, JsonValue value, JsonLayout layout, bool ignoreCase = false)
        {
            var node = root;
            if (node.Kind != JsonKind.Object) throw new JsonShapeException("the document", node);
            for (int i = 0; i < path.Count; i++)
            {
                var member = ignoreCase ? node.MemberIgnoringCase(path[i]) : node.Member(path[i]);
                if (member == null) return Append(text, node, path[i], JsonValue.Nested(path, i + 1, value), layout);
                if (i == path.Count - 1) return Replace(text, member, value, layout);
                if (member.Value.Kind != JsonKind.Object) throw new JsonShapeException(string.Join(".", path.Take(i + 1)), member.Value);
                node = member.Value;
            }

            throw new ArgumentException("An empty path names no member.", nameof(path));
        }

        /// <summary>The text with the value of <paramref name="member"/> replaced.</summary>
        public static string Replace(string text, JsonMember member, JsonValue value, JsonLayout layout)
        {
            string indent = IndentOf(text, member) ?? LineIndent(text, member.NameStart);
            string rendered = layout.Compact ? RenderCompact(value, layout) : Render(value, indent, layout);
            return text.Substring(0, member.Value.Start) + rendered + text.Substring(member.Value.End);
        }

        /// <summary>The text with a new member at the end of <paramref name="obj"/>.</summary>
        public static string Append(string text, JsonSpan obj, string name, JsonValue value, JsonLayout layout) =>
            obj.Members.Count == 0 ? IntoEmpty(text, obj, name, value, layout) : InsertAfter(text, obj, obj.Members[obj.Members.Count - 1], name, value, layout);

        /// <summary>The text with a new member just after <paramref name="after"/>, laid out like it.</summary>
        public static string InsertAfter(string text, JsonSpan obj, JsonMember after, string name, JsonValue value, JsonLayout layout)
        {
            int first = obj.Members[0].NameStart;
            bool multiline = !layout.Compact && (text.IndexOf('\n', obj.Start, first - obj.Start) >= 0 || obj.Members.Count == 1 && text.IndexOf('\n', obj.Start, obj.End - obj.Start) >= 0);
            string member;
            if (multiline)
            {
                string indent = IndentOf(text, after) ?? LineIndent(text, obj.Start) + layout.Unit;
                member = "," + layout.NewLine + indent + Quote(name) + layout.Colon + Render(value, indent, layout);
            }
            else
            {
                member = layout.Comma + Quote(name) + layout.Colon + RenderCompact(value, layout);
            }

            return text.Insert(after.Value.End, member);
        }

        /// <summary>The text without <paramref name="member"/> (and the comma and space that went with it).</summary>
        public static string Remove(string text, JsonSpan obj, JsonMember member)
        {
            int index = -1;
            for (int i = 0; i < obj.Members.Count; i++)
            {
                if (ReferenceEquals(obj.Members[i], member)) index = i;
            }

            if (index < 0) throw new ArgumentException("The member is not in the object.", nameof(member));
            if (index > 0) return text.Remove(obj.Members[index - 1].Value.End, member.Value.End - obj.Members[index - 1].Value.End);
            if (obj.Members.Count > 1) return text.Remove(member.NameStart, obj.Members[1].NameStart - member.NameStart);
            return text.Remove(obj.Start + 1, obj.End - 1 - (obj.Start + 1));
        }

        /// <summary>A JSON string literal: quotes, backslashes and control characters escaped, everything else as it is.</summary>
        public static string Quote(string value)
        {
            var quoted = new StringBuilder(value.Length + 2).Append('"');
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"': quoted.Append("\\\""); break;
                    case '\\': quoted.Append("\\\\"); break;
                    case '\n': quoted.Append("\\n"); break;
                    case '\r': quoted.Append("\\r"); break;
                    case '\t': quoted.Append("\\t"); break;
                    case '\b': quoted.Append("\\b"); break;
                    case '\f': quoted.Append("\\f"); break;
                    default:
                        if (c < ' ') quoted.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                        else quoted.Append(c);
                        break;
                }
            }

            return quoted.Append('"').ToString();
        }

        /// <summary>The spaces before a member's name when nothing else precedes it on its line; else null.</summary>
        internal static string? IndentOf(string text, JsonMember member)
        {
            int lineStart = text.LastIndexOf('\n', Math.Max(0, member.NameStart - 1)) + 1;
            if (member.NameStart == 0) lineStart = 0;
            string before = text.Substring(lineStart, member.NameStart - lineStart);
            return before.Trim(' ', '\t').Length == 0 ? before : null;
        }

        /// <summary>The leading spaces of the line that holds <paramref name="offset"/>.</summary>
        internal static string LineIndent(string text, int offset)
        {
            int lineStart = offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1;
            int i = lineStart;
            while (i < text.Length && (text[i] == ' ' || text[i] == '\t')) i++;
            return text.Substring(lineStart, i - lineStart);
        }

        private static string IntoEmpty(string text, JsonSpan obj, string name, JsonValue value, JsonLayout layout)
        {
            string inner;
            if (layout.Compact || !EndsItsLine(text, obj.End))
            {
                inner = Quote(name) + layout.Colon + RenderCompact(value, layout);
            }
            else
            {
                string outer = LineIndent(text, obj.Start);
                string indent = outer + layout.Unit;
                inner = layout.NewLine + indent + Quote(name) + layout.Colon + Render(value, indent, layout) + layout.NewLine + outer;
            }

            return text.Substring(0, obj.Start + 1) + inner + text.Substring(obj.End - 1);
        }

        // "env": {} alone on its line opens into lines; a {} inside a one-line object stays on its line.
        private static bool EndsItsLine(string text, int at)
        {
            while (at < text.Length && (text[at] == ' ' || text[at] == '\t' || text[at] == ',')) at++;
            return at >= text.Length || text[at] == '\r' || text[at] == '\n';
        }

        // A value on the lines of a pretty-printed file; the member holding it is at indent.
        private static string Render(JsonValue value, string indent, JsonLayout layout)
        {
            switch (value)
            {
                case JsonValue.StringValue s: return Quote(s.Value);
                case JsonValue.ArrayValue a: return "[" + string.Join(", ", a.Values.Select(Quote)) + "]";
                case JsonValue.ObjectValue o:
                {
                    string inner = indent + layout.Unit;
                    return "{" + layout.NewLine
                        + string.Join("," + layout.NewLine, o.Members.Select(m => inner + Quote(m.Key) + layout.Colon + Render(m.Value, inner, layout)))
                        + layout.NewLine + indent + "}";
                }

                default: throw new ArgumentOutOfRangeException(nameof(value));
            }
        }

        private static string RenderCompact(JsonValue value, JsonLayout layout)
        {
            switch (value)
            {
                case JsonValue.StringValue s: return Quote(s.Value);
                case JsonValue.ArrayValue a: return "[" + string.Join(layout.Comma, a.Values.Select(Quote)) + "]";
                case JsonValue.ObjectValue o: return "{" + string.Join(layout.Comma, o.Members.Select(m => Quote(m.Key) + layout.Colon + RenderCompact(m.Value, layout))) + "}";
                default: throw new ArgumentOutOfRangeException(nameof(value));
            }
        }
    }
}
