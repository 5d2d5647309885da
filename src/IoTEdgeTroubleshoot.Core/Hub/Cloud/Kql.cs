using System;
using System.Globalization;
using System.Text;

namespace IoTEdgeTroubleshoot.Hub.Cloud
{
    /// <summary>
    /// The only way a user's value enters a KQL query: as a string literal (quotes, backslashes and
    /// control characters escaped) or a datetime literal. Nothing a user types can end the literal.
    /// </summary>
    internal static class Kql
    {
        public static string String(string value)
        {
            var text = new StringBuilder(value.Length + 2).Append('"');
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"': text.Append("\\\""); break;
                    case '\\': text.Append("\\\\"); break;
                    case '\n': text.Append("\\n"); break;
                    case '\r': text.Append("\\r"); break;
                    case '\t': text.Append("\\t"); break;
                    default:
                        if (char.IsControl(c)) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else text.Append(c);
                        break;
                }
            }

            return text.Append('"').ToString();
        }

        public static string DateTime(DateTimeOffset time) =>
            "datetime(" + time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture) + ")";

        /// <summary>
        /// A PowerShell wildcard (* ? [abc], backtick escapes) as an anchored, case-insensitive RE2 pattern
        /// for 'matches regex'; null when it has no wildcard (compare with =~ instead).
        /// </summary>
        public static string? WildcardToRegex(string pattern)
        {
            var regex = new StringBuilder("(?i)^");
            bool wild = false;
            for (int i = 0; i < pattern.Length; i++)
            {
                char c = pattern[i];
                if (c == '`' && i + 1 < pattern.Length)
                {
                    AppendLiteral(regex, pattern[++i]);
                    continue;
                }

                switch (c)
                {
                    case '*': regex.Append(".*"); wild = true; break;
                    case '?': regex.Append('.'); wild = true; break;
                    case '[':
                        int close = pattern.IndexOf(']', i + 1);
                        if (close < 0) { AppendLiteral(regex, c); break; }
                        regex.Append('[');
                        foreach (char member in pattern.Substring(i + 1, close - i - 1))
                        {
                            if (member == '\\' || member == ']' || member == '[' || member == '^') regex.Append('\\');
                            regex.Append(member);
                        }

                        regex.Append(']');
                        i = close;
                        wild = true;
                        break;
                    default: AppendLiteral(regex, c); break;
                }
            }

            return wild ? regex.Append('$').ToString() : null;
        }

        /// <summary>The wildcard text without its escapes, for an exact comparison.</summary>
        public static string Unescape(string pattern)
        {
            var text = new StringBuilder(pattern.Length);
            for (int i = 0; i < pattern.Length; i++)
            {
                if (pattern[i] == '`' && i + 1 < pattern.Length) i++;
                text.Append(pattern[i]);
            }

            return text.ToString();
        }

        private static void AppendLiteral(StringBuilder regex, char c)
        {
            if ("\\.+*?()|[]{}^$#&~-".IndexOf(c) >= 0) regex.Append('\\');
            regex.Append(c);
        }
    }
}
