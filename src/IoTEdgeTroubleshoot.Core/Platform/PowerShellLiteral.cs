using System.Text;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// A value as a single-quoted PowerShell string for a RemedyCommand that scripts may run (Invoke-Expression):
    /// PowerShell ends such a string at ' and also at the typographic quotes U+2018 to U+201B, so each is doubled.
    /// </summary>
    public static class PowerShellLiteral
    {
        public static string Quote(string value)
        {
            var text = new StringBuilder(value.Length + 2).Append('\'');
            foreach (char c in value)
            {
                if (IsSingleQuote(c)) text.Append(c);
                text.Append(c);
            }

            return text.Append('\'').ToString();
        }

        private static bool IsSingleQuote(char c) => c == '\'' || (c >= '\u2018' && c <= '\u201B');
    }
}
