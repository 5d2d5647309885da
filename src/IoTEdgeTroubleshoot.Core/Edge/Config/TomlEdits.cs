using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using IoTEdgeTroubleshoot.Platform;
using Tomlyn.Syntax;

namespace IoTEdgeTroubleshoot.Edge.Config
{
    /// <summary>
    /// Surgical edits of config.toml, located by Tomlyn's spans: an existing value's characters are
    /// replaced; a missing key gets one line in the table that holds its siblings (or one item in an
    /// inline table); a missing table is added at the end of the file, where a new [table] cannot swallow
    /// anyone else's keys. Nothing else of the text changes.
    /// </summary>
    internal static class TomlEdits
    {
        public static string SetString(TomlConfigDocument document, IReadOnlyList<string> keys, string value)
        {
            var syntax = document.Syntax!;
            string text = document.File.Text;
            string nl = document.File.NewLine;
            string key = keys[keys.Count - 1];
            var parentKeys = EdgeConfigDocument.Parents(keys);

            var located = KeyValues(syntax).FirstOrDefault(kv => kv.Path.SequenceEqual(keys));
            if (located.Syntax != null)
            {
                if (located.Syntax.Value is InlineTableSyntax || located.Syntax.Value is ArraySyntax)
                {
                    throw new TroubleshootException(ErrorIds.ConfigSectionMissing, ProblemKind.InvalidData, document.Path,
                        $"{ConfigNodePaths.Name(keys)} is not a single value; correct it by hand first. Nothing was written.", At(document, located.Syntax.Value!.Span.Start));
                }

                var span = located.Syntax.Value!.Span;
                var style = (located.Syntax.Value as StringValueSyntax)?.Token?.TokenKind == TokenKind.StringLiteral ? ConfigScalarStyle.SingleQuoted : ConfigScalarStyle.DoubleQuoted;
                return text.Substring(0, span.Start.Offset) + Quote(value, style) + text.Substring(span.End.Offset + 1);
            }

            string line = BareKey(key) + " = " + Quote(value, ConfigScalarStyle.DoubleQuoted);

            // The parent is an inline table: one more item before its closing brace.
            var inline = KeyValues(syntax).FirstOrDefault(kv => kv.Path.SequenceEqual(parentKeys) && kv.Syntax.Value is InlineTableSyntax);
            if (inline.Syntax != null)
            {
                var table = (InlineTableSyntax)inline.Syntax.Value!;
                int close = table.CloseBrace!.Span.Start.Offset;
                if (table.Items.ChildrenCount == 0) return text.Substring(0, table.OpenBrace!.Span.End.Offset + 1) + " " + line + " " + text.Substring(close);
                var last = table.Items.GetChild(table.Items.ChildrenCount - 1)!;
                int after = last.KeyValue!.Value!.Span.End.Offset + 1;
                return text.Insert(after, ", " + line);
            }

            if (document.Find(parentKeys) is ConfigNode parent && parent.Type != ConfigValueType.Mapping)
            {
                throw new TroubleshootException(ErrorIds.ConfigSectionMissing, ProblemKind.InvalidData, document.Path,
                    $"{ConfigNodePaths.Name(parentKeys)} is a {parent.Type.ToString().ToLowerInvariant()}, not a table; correct it by hand first. Nothing was written.",
                    new FilePosition(document.Path, parent.Line, parent.Column));
            }

            // The parent's own [table]: a line after its last key.
            var header = syntax.Tables.OfType<TableSyntax>().LastOrDefault(t => t.Name != null && TomlTree.KeyParts(t.Name).SequenceEqual(parentKeys));
            if (header != null) return InsertLineAfter(text, nl, LastLineOf(header), line);

            // Keys of the parent written as dotted keys (env.UpstreamProtocol = ...): one more beside them.
            var sibling = KeyValues(syntax).LastOrDefault(kv => kv.Path.Count == keys.Count && kv.Path.Take(parentKeys.Length).SequenceEqual(parentKeys));
            if (sibling.Syntax != null)
            {
                var own = TomlTree.KeyParts(sibling.Syntax.Key!);
                string dotted = string.Join(".", own.Take(own.Count - 1).Select(BareKey)) + "." + line;
                return InsertLineAfter(text, nl, sibling.Syntax.Value!.Span.End.Offset, dotted);
            }

            if (parentKeys.Length == 0) return InsertTopLevel(text, nl, syntax, key, line);

            // No table yet: add it at the end of the file (not possible under an inline table).
            for (int depth = 1; depth <= parentKeys.Length; depth++)
            {
                if (document.Find(parentKeys.Take(depth).ToArray())?.IsFlow == true)
                {
                    throw new TroubleshootException(ErrorIds.ConfigSectionMissing, ProblemKind.InvalidData, document.Path,
                        $"{ConfigNodePaths.Name(parentKeys.Take(depth))} is an inline table {{ }}; add {ConfigNodePaths.Name(keys)} to it by hand. Nothing was written.");
                }
            }

            return AppendTable(text, nl, parentKeys, line);
        }

        /// <summary>[a.b] then the lines, at the end of the text, separated from what is before by an empty line.</summary>
        internal static string AppendTable(string text, string nl, IReadOnlyList<string> table, params string[] lines)
        {
            var block = new StringBuilder();
            if (text.Length > 0 && !text.EndsWith("\n", StringComparison.Ordinal)) block.Append(nl);
            if (text.Trim().Length > 0 && !text.EndsWith(nl + nl, StringComparison.Ordinal)) block.Append(nl);
            block.Append('[').Append(string.Join(".", table.Select(BareKey))).Append(']').Append(nl);
            foreach (var line in lines) block.Append(line).Append(nl);
            return text + block;
        }

        /// <summary>A TOML basic string ("...") or, when it was one and can stay one, a literal string ('...').</summary>
        internal static string Quote(string value, ConfigScalarStyle style)
        {
            if (style == ConfigScalarStyle.SingleQuoted && value.IndexOf('\'') < 0 && !value.Any(char.IsControl)) return "'" + value + "'";
            var quoted = new StringBuilder("\"");
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"': quoted.Append("\\\""); break;
                    case '\\': quoted.Append("\\\\"); break;
                    case '\n': quoted.Append("\\n"); break;
                    case '\r': quoted.Append("\\r"); break;
                    case '\t': quoted.Append("\\t"); break;
                    default:
                        if (char.IsControl(c)) quoted.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
                        else quoted.Append(c);
                        break;
                }
            }

            return quoted.Append('"').ToString();
        }

        private static string BareKey(string key) => Regex.IsMatch(key, "^[A-Za-z0-9_-]+$") ? key : Quote(key, ConfigScalarStyle.DoubleQuoted);

        // A top-level key must come before the first [table]: after the last top-level key; else after the
        // template's commented-out line for it ("# hostname = ..."); else just before the first table.
        private static string InsertTopLevel(string text, string nl, DocumentSyntax syntax, string key, string line)
        {
            if (syntax.KeyValues.ChildrenCount > 0)
            {
                return InsertLineAfter(text, nl, syntax.KeyValues.GetChild(syntax.KeyValues.ChildrenCount - 1)!.Value!.Span.End.Offset, line);
            }

            int firstTable = syntax.Tables.ChildrenCount > 0 ? StartOfLine(text, syntax.Tables.GetChild(0)!.Span.Start.Offset) : text.Length;
            var template = new Regex(@"^[ \t]*#[ \t]*" + Regex.Escape(key) + @"[ \t]*=.*$", RegexOptions.Multiline).Match(text.Substring(0, firstTable));
            if (template.Success) return InsertLineAfter(text, nl, template.Index, line);
            if (syntax.Tables.ChildrenCount > 0) return text.Insert(firstTable, line + nl + nl);
            string prefix = text.Length == 0 || text.EndsWith("\n", StringComparison.Ordinal) ? string.Empty : nl;
            return text + prefix + line + nl;
        }

        private static string InsertLineAfter(string text, string nl, int offset, string line)
        {
            int end = EndOfLine(text, offset);
            return end >= text.Length && !text.EndsWith("\n", StringComparison.Ordinal)
                ? text + nl + line + nl
                : text.Insert(end, nl + line);
        }

        // The offset of the last character that belongs to a table: its last key's value, or its header.
        private static int LastLineOf(TableSyntax table)
        {
            int last = table.CloseBracket?.Span.End.Offset ?? table.Span.Start.Offset;
            foreach (var kv in table.Items)
            {
                if (kv.Value != null) last = Math.Max(last, kv.Value.Span.End.Offset);
            }

            return last;
        }

        /// <summary>Every key = value of the document with its full path (table, dotted key, inline tables).</summary>
        private static IEnumerable<(IReadOnlyList<string> Path, KeyValueSyntax Syntax)> KeyValues(DocumentSyntax syntax)
        {
            foreach (var kv in syntax.KeyValues)
            {
                foreach (var found in Walk(Array.Empty<string>(), kv)) yield return found;
            }

            foreach (var table in syntax.Tables)
            {
                if (table.Name == null || table is TableArraySyntax) continue;
                var prefix = TomlTree.KeyParts(table.Name);
                foreach (var kv in table.Items)
                {
                    foreach (var found in Walk(prefix, kv)) yield return found;
                }
            }
        }

        private static IEnumerable<(IReadOnlyList<string> Path, KeyValueSyntax Syntax)> Walk(IReadOnlyList<string> prefix, KeyValueSyntax kv)
        {
            if (kv.Key == null) yield break;
            var path = prefix.Concat(TomlTree.KeyParts(kv.Key)).ToList();
            yield return (path, kv);
            if (kv.Value is InlineTableSyntax inline)
            {
                foreach (var item in inline.Items)
                {
                    if (item.KeyValue == null) continue;
                    foreach (var found in Walk(path, item.KeyValue)) yield return found;
                }
            }
        }

        private static FilePosition At(EdgeConfigDocument document, TextPosition position) => new FilePosition(document.Path, position.Line + 1, position.Column + 1);

        private static int EndOfLine(string text, int index)
        {
            int newline = text.IndexOf('\n', Math.Min(index, text.Length));
            if (newline < 0) return text.Length;
            return newline > 0 && text[newline - 1] == '\r' ? newline - 1 : newline;
        }

        private static int StartOfLine(string text, int index)
        {
            int newline = index > 0 ? text.LastIndexOf('\n', index - 1) : -1;
            return newline + 1;
        }
    }
}
