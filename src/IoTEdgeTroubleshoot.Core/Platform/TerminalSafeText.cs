using System.Text;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// Text from a device (log messages) made safe to print in an admin's terminal: a module, or whoever controls
    /// one, can write escape sequences that recolour, retitle, move the cursor or overwrite earlier lines. Colour
    /// and other ANSI sequences are removed; any other control character becomes U+FFFD. Line breaks of a folded
    /// stack trace and tabs are kept.
    /// </summary>
    public static class TerminalSafeText
    {
        private const char Escape = '\u001b';
        private const char Replacement = '\uFFFD';

        public static string Of(string text)
        {
            int first = FirstUnsafe(text);
            if (first < 0) return text; // the usual case: no copy

            var safe = new StringBuilder(text.Length);
            safe.Append(text, 0, first);
            for (int i = first; i < text.Length; i++)
            {
                char c = text[i];
                if (c == Escape && i + 1 < text.Length && (text[i + 1] == '[' || text[i + 1] == ']'))
                {
                    i = EndOfSequence(text, i);
                    continue;
                }

                safe.Append(IsUnsafe(c) ? Replacement : c);
            }

            return safe.ToString();
        }

        private static int FirstUnsafe(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (IsUnsafe(text[i])) return i;
            }

            return -1;
        }

        // C0 controls but tab and line feed, DEL, and the C1 controls (U+009B is a one-character CSI on some terminals).
        private static bool IsUnsafe(char c) => (c < ' ' && c != '\t' && c != '\n') || (c >= '\u007f' && c <= '\u009f');

        // The index of the last character of the sequence that starts at 'start' (ESC [ or ESC ]).
        private static int EndOfSequence(string text, int start)
        {
            if (text[start + 1] == '[')
            {
                // CSI: parameter and intermediate bytes (0x20-0x3F), then one final byte (0x40-0x7E).
                for (int i = start + 2; i < text.Length; i++)
                {
                    char c = text[i];
                    if (c >= '@' && c <= '~') return i;
                    if (c < ' ' || c > '?') return i - 1; // not a sequence after all: drop ESC [ and what was read
                }

                return text.Length - 1;
            }

            // OSC (a window title, a hyperlink): ends with BEL or ESC \.
            for (int i = start + 2; i < text.Length; i++)
            {
                if (text[i] == '\u0007') return i;
                if (text[i] == Escape && i + 1 < text.Length && text[i + 1] == '\\') return i + 1;
                if (text[i] == '\n') return i - 1;
            }

            return text.Length - 1;
        }
    }
}
