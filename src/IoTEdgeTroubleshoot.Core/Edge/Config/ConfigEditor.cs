using System;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using IoTEdgeTroubleshoot.Edge.Config.Checks;
using IoTEdgeTroubleshoot.Platform;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace IoTEdgeTroubleshoot.Edge.Config
{
    /// <summary>
    /// Surgical edits of config.yaml, located by the YAML parser's positions: the new text differs
    /// from the old only in the value being set (or the lines added for it); comments, quotes, blank
    /// lines, line endings and BOM stay as they were. Indentation is two spaces per level, never a tab.
    /// Every edit is checked by parsing the result and reading the value back.
    /// </summary>
    public static class ConfigEditor
    {
        /// <summary>The text with <c>hostname:</c> set to <paramref name="hostname"/>.</summary>
        public static string SetHostname(EdgeConfigDocument document, string hostname)
        {
            string? problem = HostnameRules.Validate(hostname);
            if (problem != null)
            {
                throw new TroubleshootException(ErrorIds.InvalidHostname, ProblemKind.InvalidArgument, hostname, $"'{hostname}' cannot be the hostname: {problem}");
            }

            RequireValid(document);
            string text = document.File.Text;
            string result;
            if (document.Find("hostname") is YamlScalarNode node)
            {
                result = ReplaceScalar(text, node, hostname);
            }
            else
            {
                // No hostname line at all: add one at the end, at the top level.
                string nl = document.File.NewLine;
                string prefix = text.Length == 0 || text.EndsWith("\n", StringComparison.Ordinal) ? string.Empty : nl;
                result = text + prefix + "hostname: \"" + hostname + "\"" + nl;
            }

            return Verify(document, result, d => d.ScalarValue("hostname"), hostname);
        }

        /// <summary>The text with <c>agent.env.RuntimeLogLevel</c> set, whatever form env has (or none).</summary>
        public static string SetRuntimeLogLevel(EdgeConfigDocument document, string level)
        {
            if (!AgentCheck.LogLevels.Contains(level, StringComparer.OrdinalIgnoreCase))
            {
                throw new TroubleshootException(ErrorIds.InvalidLogLevel, ProblemKind.InvalidArgument, level,
                    $"'{level}' is not a log level the runtime knows: {string.Join(", ", AgentCheck.LogLevels)}.");
            }

            RequireValid(document);
            if (document.Find("agent") is not YamlMappingNode agent)
            {
                throw new TroubleshootException(ErrorIds.ConfigSectionMissing, ProblemKind.InvalidData, document.Path,
                    $"'{document.Path}' has no agent section (a mapping of name, type, env, config) to set RuntimeLogLevel in; restore it first (Test-IoTEdgeConfig shows what is missing). Nothing was written.");
            }

            string text = document.File.Text;
            string nl = document.File.NewLine;
            var envKey = document.FindKey("agent", "env");
            var env = document.Find("agent", "env");
            string entry = "RuntimeLogLevel: " + level;
            string result;

            if (env is YamlMappingNode mapping && mapping.Children.FirstOrDefault(p => (p.Key as YamlScalarNode)?.Value == "RuntimeLogLevel").Value is YamlScalarNode existing)
            {
                result = ReplaceScalar(text, existing, level);
            }
            else if (env is YamlMappingNode block && block.Style != MappingStyle.Flow && block.Children.Count > 0)
            {
                // Another line in the block, at its entries' indentation, after its last entry.
                var first = block.Children[0].Key;
                int at = EndOfLine(text, LastScalarEnd(text, block));
                result = text.Insert(at, nl + new string(' ', (int)first.Start.Column - 1) + entry);
            }
            else if (env is YamlMappingNode flow && flow.Children.Count > 0)
            {
                // { A: b } → { A: b, RuntimeLogLevel: level }
                int close = FlowEnd(text, (int)flow.Start.Index) - 1;
                int insertAt = close;
                while (insertAt > 0 && text[insertAt - 1] == ' ') insertAt--;
                result = text.Insert(insertAt, ", " + entry);
            }
            else if (envKey != null)
            {
                // env: {} or env: (empty) → a block mapping under env.
                int colon = text.IndexOf(':', (int)envKey.End.Index);
                int valueEnd = env is YamlMappingNode empty ? FlowEnd(text, (int)empty.Start.Index) : colon + 1;
                string indent = new string(' ', (int)envKey.Start.Column - 1 + 2);
                result = text.Substring(0, colon) + ":" + nl + indent + entry + text.Substring(valueEnd);
            }
            else
            {
                // No env: add one to agent, after its last entry, at its entries' indentation.
                var first = agent.Children[0].Key;
                string indent = new string(' ', (int)first.Start.Column - 1);
                int at = EndOfLine(text, LastScalarEnd(text, agent));
                result = text.Insert(at, nl + indent + "env:" + nl + indent + "  " + entry);
            }

            return Verify(document, result, d => d.ScalarValue("agent", "env", "RuntimeLogLevel"), level);
        }

        /// <summary>A short diff of two texts: the changed lines with their numbers (secrets masked).</summary>
        public static string Diff(string path, string before, string after)
        {
            var a = SplitLines(before);
            var b = SplitLines(after);

            // Masked as whole texts, so a secret over several lines (a PEM key, key: |) is hidden on each; masking keeps the lines.
            var shownA = SplitLines(SecretMasker.Mask(before));
            var shownB = SplitLines(SecretMasker.Mask(after));
            int prefix = 0;
            while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
            int suffix = 0;
            while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[a.Length - 1 - suffix] == b[b.Length - 1 - suffix]) suffix++;
            var diff = new StringBuilder();
            diff.AppendLine($"--- {path}");
            diff.AppendLine($"+++ {path}");
            int removed = a.Length - prefix - suffix, added = b.Length - prefix - suffix;
            // Unified-diff convention: an empty side names the line before it.
            diff.AppendLine($"@@ -{(removed == 0 ? prefix : prefix + 1)},{removed} +{(added == 0 ? prefix : prefix + 1)},{added} @@");
            for (int i = prefix; i < a.Length - suffix; i++) diff.AppendLine("-" + shownA[i]);
            for (int i = prefix; i < b.Length - suffix; i++) diff.AppendLine("+" + shownB[i]);
            return diff.ToString().TrimEnd();
        }

        private static string[] SplitLines(string text) => text.Replace("\r\n", "\n").Split('\n');

        private static void RequireValid(EdgeConfigDocument document)
        {
            if (!document.File.IsValidText)
            {
                throw new TroubleshootException(ErrorIds.FileNotText, ProblemKind.InvalidData, document.Path, $"'{document.Path}' is not valid UTF-8 text. Nothing was written.");
            }

            var (line, column) = NoTabsCheck.TabPositions(document.File.Text).FirstOrDefault();
            if (line > 0)
            {
                throw new TroubleshootException(ErrorIds.ConfigHasTabs, ProblemKind.InvalidData, document.Path,
                    "the file has a tab; replace it with spaces first. Nothing was written.", new FilePosition(document.Path, line, column));
            }

            var error = document.SyntaxError;
            if (error != null)
            {
                throw new TroubleshootException(ErrorIds.ConfigNotValidYaml, ProblemKind.InvalidData, document.Path,
                    $"{error.Message} Fix the file first (Test-IoTEdgeConfig lists every problem). Nothing was written.",
                    new FilePosition(document.Path, error.Line, error.Column));
            }
        }

        // The value's text span replaced, in the quoting style it had (plain values that need quotes get double quotes).
        private static string ReplaceScalar(string text, YamlScalarNode node, string value)
        {
            int start = (int)node.Start.Index;
            int end = (int)node.End.Index;
            string written = node.Style switch
            {
                ScalarStyle.SingleQuoted => "'" + value.Replace("'", "''") + "'",
                ScalarStyle.DoubleQuoted => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"",
                _ => NeedsQuotes(value) ? "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"" : value,
            };

            if (end <= start)
            {
                // An empty value ("hostname:"): write after the colon.
                int colon = text.LastIndexOf(':', Math.Max(0, start - 1));
                return text.Substring(0, colon + 1) + " " + written + text.Substring(colon + 1);
            }

            return text.Substring(0, start) + written + text.Substring(end);
        }

        /// <summary>
        /// True when a plain (unquoted) value would not read back as this string: YAML indicators, and words
        /// that YAML 1.1 parsers such as the daemon's read as null, a boolean or a number (hostname: yes).
        /// </summary>
        internal static bool NeedsQuotes(string value) =>
            value.Length == 0 || value.IndexOfAny(new[] { ':', '#', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`' }) >= 0
            || value != value.Trim() || value[0] == '-' || value[0] == '?' || value[0] == '.' || value[0] == '~' || value[0] == '=' || value.StartsWith("<<", StringComparison.Ordinal)
            || ResolvesToNonString.IsMatch(value);

        // YAML 1.1 and 1.2 null, booleans (y/n, yes/no, on/off, true/false; any case, to be safe), numbers (decimal, 0x, 0o, 0b,
        // with _ and sexagesimal), .inf and .nan, and timestamps.
        private static readonly Regex ResolvesToNonString = new Regex(
            @"^(?:null|~|y|n|yes|no|true|false|on|off"
            + @"|[-+]?(?:0|[1-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?0[0-7_]+|0o[0-7]+|0x[0-9a-fA-F_]+|0b[01_]+"
            + @"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?)$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        // Where the last value of a block ends. Scalars carry their end; YamlDotNet gives collections none, so a
        // flow collection's end is found by matching its brackets.
        private static int LastScalarEnd(string text, YamlNode node)
        {
            int end = (int)node.Start.Index;
            foreach (var child in node.AllNodes)
            {
                if (child is YamlScalarNode) end = Math.Max(end, (int)child.End.Index);
                else if ((child is YamlMappingNode m && m.Style == MappingStyle.Flow) || (child is YamlSequenceNode s && s.Style == SequenceStyle.Flow))
                {
                    end = Math.Max(end, FlowEnd(text, (int)child.Start.Index));
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

        private static string Verify(EdgeConfigDocument before, string text, Func<EdgeConfigDocument, string?> read, string expected)
        {
            var after = EdgeConfigDocument.Parse(before.File.WithText(text));
            if (!after.IsValid || read(after) != expected)
            {
                throw new TroubleshootException(ErrorIds.EditVerificationFailed, ProblemKind.InvalidOperation, before.Path,
                    $"The edit of '{before.Path}' did not read back as intended, so nothing was written. Please report this with the file's layout (secrets removed).");
            }

            return text;
        }
    }
}
