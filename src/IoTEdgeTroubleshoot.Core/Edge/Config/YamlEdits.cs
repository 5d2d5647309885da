using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using System.Linq;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Config
{
    /// <summary>
    /// Surgical edits of config.yaml, located by the parser's positions: the new text differs from the
    /// old only in the value being set (or the lines added for it). Indentation is two spaces per level,
    /// never a tab.
    /// </summary>
    internal static class YamlEdits
    {
        public static string SetString(YamlConfigDocument document, IReadOnlyList<string> keys, string value)
        {
            string text = document.File.Text;
            string nl = document.File.NewLine;
            string key = keys[keys.Count - 1];
            string entry = key + ": " + Quote(value, ConfigScalarStyle.Plain);
            var existing = document.Find(keys.ToArray());
            if (existing != null && existing.IsScalar) return ReplaceScalar(text, existing, value);
            if (existing != null) throw NotAValue(document, keys, existing);

            if (keys.Count == 1)
            {
                // A top-level setting that is missing: a line at the end of the file.
                string prefix = text.Length == 0 || text.EndsWith("\n", StringComparison.Ordinal) ? string.Empty : nl;
                return text + prefix + key + ": " + Quote(value, ConfigScalarStyle.DoubleQuoted) + nl;
            }

            var parentKeys = EdgeConfigDocument.Parents(keys);
            var parentEntry = document.FindEntry(parentKeys);
            var parent = parentEntry?.Value;
            if (parent != null && parent.Type == ConfigValueType.Mapping && !parent.IsFlow && parent.Entries.Count > 0)
            {
                // Another line in the block, at its entries' indentation, after its last entry.
                var first = parent.Entries[0];
                int at = EndOfLine(text, LastEnd(text, parent));
                return text.Insert(at, nl + new string(' ', first.Column - 1) + entry);
            }

            if (parent != null && parent.Type == ConfigValueType.Mapping && parent.Entries.Count > 0)
            {
                // { A: b } → { A: b, key: value }
                int insertAt = FlowEnd(text, parent.Offset) - 1;
                while (insertAt > 0 && text[insertAt - 1] == ' ') insertAt--;
                return text.Insert(insertAt, ", " + entry);
            }

            if (parentEntry != null && (parent!.Type == ConfigValueType.Null || parent.Type == ConfigValueType.Mapping))
            {
                // env: {} or env: (nothing) → a block mapping under the key.
                int colon = text.IndexOf(':', parentEntry.Offset + parentEntry.Key.Length);
                int valueEnd = parent.Type == ConfigValueType.Mapping ? FlowEnd(text, parent.Offset) : colon + 1;
                string indent = new string(' ', parentEntry.Column - 1 + 2);
                return text.Substring(0, colon) + ":" + nl + indent + entry + text.Substring(valueEnd);
            }

            if (parent != null) throw NotAValue(document, parentKeys, parent);

            var grandparent = document.Find(EdgeConfigDocument.Parents(parentKeys));
            if (grandparent != null && grandparent.Type == ConfigValueType.Mapping && !grandparent.IsFlow && grandparent.Entries.Count > 0)
            {
                // No env: add it to agent, after its last entry, at its entries' indentation.
                string indent = new string(' ', grandparent.Entries[0].Column - 1);
                int at = EndOfLine(text, LastEnd(text, grandparent));
                return text.Insert(at, nl + indent + parentKeys[parentKeys.Length - 1] + ":" + nl + indent + "  " + entry);
            }

            string section = ConfigNodePaths.Name(keys.Take(Math.Max(1, keys.Count - 2)));
            throw new TroubleshootException(ErrorIds.ConfigSectionMissing, ProblemKind.InvalidData, document.Path,
                $"'{document.Path}' has no {section} section (a mapping of settings) to set {ConfigNodePaths.Name(keys)} in; restore it first (Test-IoTEdgeConfig shows what is missing). Nothing was written.");
        }

        /// <summary>A value written in a quoting style: the one it had, or plain when that reads back as the same string.</summary>
        internal static string Quote(string value, ConfigScalarStyle style) => style switch
        {
            ConfigScalarStyle.SingleQuoted => "'" + value.Replace("'", "''") + "'",
            ConfigScalarStyle.DoubleQuoted or ConfigScalarStyle.Block => DoubleQuoted(value),
            _ => NeedsQuotes(value) ? DoubleQuoted(value) : value,
        };

        private static string DoubleQuoted(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

        private static TroubleshootException NotAValue(EdgeConfigDocument document, IReadOnlyList<string> keys, ConfigNode node) =>
            new TroubleshootException(ErrorIds.ConfigSectionMissing, ProblemKind.InvalidData, document.Path,
                $"{ConfigNodePaths.Name(keys)} is a {node.Type.ToString().ToLowerInvariant()}, not a value this command can set; correct it by hand first. Nothing was written.",
                new FilePosition(document.Path, node.Line, node.Column));

        // The value's text span replaced, in the quoting style it had (plain values that need quotes get double quotes).
        private static string ReplaceScalar(string text, ConfigNode node, string value)
        {
            string written = Quote(value, node.Style);
            if (node.EndOffset <= node.Offset)
            {
                // An empty value ("hostname:"): write after the colon.
                int colon = text.LastIndexOf(':', Math.Max(0, node.Offset - 1));
                return text.Substring(0, colon + 1) + " " + written + text.Substring(colon + 1);
            }

            return text.Substring(0, node.Offset) + written + text.Substring(node.EndOffset);
        }

        /// <summary>
        /// True when a plain (unquoted) value would not read back as this string: YAML punctuation and
        /// indicators, edges of whitespace, what the daemon's reader takes for another type (true, null, 12),
        /// and what any YAML 1.1 or 1.2 reader might (hostname: yes, on, 0x1F, .inf, 2026-12-01).
        /// </summary>
        internal static bool NeedsQuotes(string value) =>
            value.Length == 0 || value.IndexOfAny(new[] { ':', '#', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`' }) >= 0
            || value != value.Trim() || value[0] == '-' || value[0] == '?' || value[0] == '.' || value[0] == '~' || value[0] == '='
            || value.StartsWith("<<", StringComparison.Ordinal)
            || YamlConfigDocument.PlainType(value) != ConfigValueType.String || ResolvesToNonString.IsMatch(value);

        // YAML 1.1 and 1.2 null, booleans (y/n, yes/no, on/off, true/false; any case, to be safe), numbers (decimal, 0x, 0o,
        // 0b, with _ and sexagesimal), .inf and .nan, and timestamps.
        private static readonly Regex ResolvesToNonString = new Regex(
            @"^(?:null|~|y|n|yes|no|true|false|on|off"
            + @"|[-+]?(?:0|[1-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?0[0-7_]+|0o[0-7]+|0x[0-9a-fA-F_]+|0b[01_]+"
            + @"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?)$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        // Where the last value of a block ends, counting only what is written inside it (an alias's target may be elsewhere).
        private static int LastEnd(string text, ConfigNode block)
        {
            int end = block.Offset;
            var pending = new Stack<ConfigNode>();
            pending.Push(block);
            var seen = new HashSet<ConfigNode>();
            while (pending.Count > 0)
            {
                var node = pending.Pop();
                if (!seen.Add(node) || node.Offset < block.Offset) continue;
                if (node.IsScalar) end = Math.Max(end, node.EndOffset);
                else if (node.IsFlow) end = Math.Max(end, FlowEnd(text, node.Offset));
                else
                {
                    foreach (var e in node.Entries)
                    {
                        end = Math.Max(end, e.Offset + e.Key.Length);
                        pending.Push(e.Value);
                    }

                    foreach (var item in node.Items) pending.Push(item);
                }
            }

            return end;
        }

        /// <summary>The index just after the bracket that closes the flow collection opening at <paramref name="start"/>.</summary>
        private static int FlowEnd(string text, int start)
        {
            int depth = 0;
            for (int i = start; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '\'' || c == '"')
                {
                    // Skip a quoted string: '' escapes a single quote, \ escapes in double quotes.
                    for (i++; i < text.Length; i++)
                    {
                        if (c == '"' && text[i] == '\\') { i++; continue; }
                        if (text[i] != c) continue;
                        if (c == '\'' && i + 1 < text.Length && text[i + 1] == '\'') { i++; continue; }
                        break;
                    }

                    continue;
                }

                if (c == '{' || c == '[') depth++;
                else if (c == '}' || c == ']')
                {
                    if (--depth == 0) return i + 1;
                }
            }

            return text.Length;
        }

        // The end of the line holding index (before its line break), so comments after a value stay on its line.
        private static int EndOfLine(string text, int index)
        {
            int newline = text.IndexOf('\n', Math.Min(index, text.Length));
            if (newline < 0) return text.Length;
            return newline > 0 && text[newline - 1] == '\r' ? newline - 1 : newline;
        }
    }
}
