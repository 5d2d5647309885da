using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Daemon
{
    /// <summary>
    /// Sets one variable in the Environment= lines of a systemd drop-in's [Service] section, changing nothing
    /// else: other variables on the same line, their quoting, comments, blank lines, other sections and the line
    /// ending stay as they were. Every assignment of the variable is changed, so the file never contradicts itself;
    /// without one, a line is added at the end of [Service] (or a [Service] section at the end of the file).
    /// </summary>
    public static class SystemdDropIn
    {
        /// <summary>The new text; <paramref name="value"/> gets the current value (null when unset) and gives the new one.</summary>
        public static string SetEnvironment(string path, string text, string newLine, string variable, Func<string?, string> value)
        {
            var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            bool endsWithNewLine = text.Length > 0 && text.EndsWith("\n", StringComparison.Ordinal);
            if (endsWithNewLine) lines.RemoveAt(lines.Count - 1);

            string? section = null;
            int lastServiceLine = -1;
            bool found = false;
            for (int i = 0; i < lines.Count; i++)
            {
                string trimmed = lines[i].Trim();
                if (trimmed.StartsWith("[", StringComparison.Ordinal) && trimmed.EndsWith("]", StringComparison.Ordinal))
                {
                    section = trimmed.Substring(1, trimmed.Length - 2).Trim();
                    if (section == "Service") lastServiceLine = i;
                    continue;
                }

                if (section != "Service" || trimmed.Length == 0) continue;
                lastServiceLine = i; // a new line goes after the section's last line, comments included
                if (trimmed[0] == '#' || trimmed[0] == ';') continue;
                int equals = lines[i].IndexOf('=');
                if (equals < 0 || lines[i].Substring(0, equals).Trim() != "Environment") continue;
                if (!AssignsVariable(lines[i].Substring(equals + 1), variable)) continue;
                if (lines[i].TrimEnd().EndsWith("\\", StringComparison.Ordinal))
                {
                    throw new TroubleshootException(ErrorIds.DropInNotEditable, ProblemKind.InvalidData, path,
                        $"the Environment= line that sets {variable} continues on the next line; join it into one line first. Nothing was written.",
                        new FilePosition(path, i + 1, 1));
                }

                lines[i] = lines[i].Substring(0, equals + 1) + ReplaceAssignment(lines[i].Substring(equals + 1), variable, value);
                found = true;
            }

            if (!found)
            {
                string line = $"Environment={variable}={value(null)}";
                if (lastServiceLine >= 0)
                {
                    lines.Insert(lastServiceLine + 1, line);
                }
                else
                {
                    while (lines.Count > 0 && lines[lines.Count - 1].Trim().Length == 0) lines.RemoveAt(lines.Count - 1);
                    if (lines.Count > 0) lines.Add(string.Empty);
                    lines.Add("[Service]");
                    lines.Add(line);
                }

                endsWithNewLine = true;
            }

            return string.Join(newLine, lines) + (endsWithNewLine ? newLine : string.Empty);
        }

        /// <summary>The value the [Service] section gives the variable (the last assignment wins, as in systemd), or null.</summary>
        public static string? GetEnvironment(string text, string variable)
        {
            string? section = null, current = null;
            foreach (var raw in text.Split('\n'))
            {
                string trimmed = raw.Trim();
                if (trimmed.StartsWith("[", StringComparison.Ordinal) && trimmed.EndsWith("]", StringComparison.Ordinal))
                {
                    section = trimmed.Substring(1, trimmed.Length - 2).Trim();
                    continue;
                }

                int equals = trimmed.IndexOf('=');
                if (section != "Service" || equals < 0 || trimmed.Substring(0, equals).Trim() != "Environment") continue;
                if (trimmed.Substring(equals + 1).Trim().Length == 0) current = null; // an empty Environment= resets the list
                foreach (var (_, _, unquoted) in Words(trimmed.Substring(equals + 1)))
                {
                    if (unquoted.StartsWith(variable + "=", StringComparison.Ordinal)) current = unquoted.Substring(variable.Length + 1);
                }
            }

            return current;
        }

        private static bool AssignsVariable(string value, string variable) =>
            Words(value).Any(w => w.Unquoted.StartsWith(variable + "=", StringComparison.Ordinal));

        private static string ReplaceAssignment(string value, string variable, Func<string?, string> newValue)
        {
            var result = new StringBuilder();
            int at = 0;
            foreach (var (start, length, unquoted) in Words(value))
            {
                result.Append(value, at, start - at);
                string raw = value.Substring(start, length);
                if (unquoted.StartsWith(variable + "=", StringComparison.Ordinal))
                {
                    string assignment = variable + "=" + newValue(unquoted.Substring(variable.Length + 1));
                    bool quote = raw[0] == '"' || raw[0] == '\'' || assignment.IndexOfAny(new[] { ' ', '\t', '"', '\'', '\\' }) >= 0;
                    raw = quote ? "\"" + assignment.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"" : assignment;
                }

                result.Append(raw);
                at = start + length;
            }

            return result.Append(value, at, value.Length - at).ToString();
        }

        // systemd's words: separated by white space, quoted with "..." or '...' (backslash escapes inside).
        private static IEnumerable<(int Start, int Length, string Unquoted)> Words(string value)
        {
            int i = 0;
            while (i < value.Length)
            {
                while (i < value.Length && char.IsWhiteSpace(value[i])) i++;
                if (i >= value.Length) yield break;
                int start = i;
                var word = new StringBuilder();
                char quote = '\0';
                for (; i < value.Length; i++)
                {
                    char c = value[i];
                    if (quote == '\0' && char.IsWhiteSpace(c)) break;
                    if (c == '\\' && i + 1 < value.Length)
                    {
                        word.Append(value[++i]);
                    }
                    else if (quote == '\0' && (c == '"' || c == '\''))
                    {
                        quote = c;
                    }
                    else if (c == quote)
                    {
                        quote = '\0';
                    }
                    else
                    {
                        word.Append(c);
                    }
                }

                yield return (start, i - start, word.ToString());
            }
        }
    }
}
