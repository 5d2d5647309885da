using System;
using System.Text;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// The text of a JSON string value that System.Text.Json refuses to decode: an escaped lone
    /// surrogate such as <c>\ud800</c> is valid JSON syntax (RFC 8259 section 8.2 leaves it to the reader)
    /// but not a character, and <c>GetString</c> throws on it. Read here as U+FFFD, as a UTF-8 decoder
    /// reads a byte it cannot use. Only called on that failure, never on the usual path.
    /// </summary>
    internal static class JsonStringText
    {
        private const char Replacement = '\uFFFD';

        /// <summary>Unescapes the raw bytes between a string's quotes (already checked by the JSON reader).</summary>
        public static string Unescape(ReadOnlySpan<byte> raw)
        {
            var text = new StringBuilder(raw.Length);
            int run = 0; // start of the bytes without escapes not yet appended
            int i = 0;
            while (i < raw.Length)
            {
                if (raw[i] != (byte)'\\')
                {
                    i++;
                    continue;
                }

                AppendUtf8(text, raw.Slice(run, i - run));
                if (i + 1 >= raw.Length)
                {
                    text.Append(Replacement);
                    return text.ToString();
                }

                byte escape = raw[i + 1];
                i += 2;
                switch (escape)
                {
                    case (byte)'b': text.Append('\b'); break;
                    case (byte)'f': text.Append('\f'); break;
                    case (byte)'n': text.Append('\n'); break;
                    case (byte)'r': text.Append('\r'); break;
                    case (byte)'t': text.Append('\t'); break;
                    case (byte)'u':
                        if (!TryHex(raw, i, out char code))
                        {
                            text.Append(Replacement);
                            break;
                        }

                        i += 4;
                        if (char.IsHighSurrogate(code) && i + 6 <= raw.Length && raw[i] == (byte)'\\' && raw[i + 1] == (byte)'u'
                            && TryHex(raw, i + 2, out char low) && char.IsLowSurrogate(low))
                        {
                            text.Append(code).Append(low);
                            i += 6;
                        }
                        else
                        {
                            text.Append(char.IsSurrogate(code) ? Replacement : code);
                        }

                        break;
                    default: text.Append((char)escape); break; // \" \\ \/
                }

                run = i;
            }

            AppendUtf8(text, raw.Slice(run));
            return text.ToString();
        }

        /// <summary>The same text as UTF-8 bytes, for a JSON document held inside a string.</summary>
        public static byte[] UnescapeToUtf8(ReadOnlySpan<byte> raw) => Encoding.UTF8.GetBytes(Unescape(raw));

        private static unsafe void AppendUtf8(StringBuilder text, ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length == 0) return;
            fixed (byte* p = bytes)
            {
                text.Append(Encoding.UTF8.GetString(p, bytes.Length));
            }
        }

        private static bool TryHex(ReadOnlySpan<byte> raw, int at, out char value)
        {
            value = '\0';
            if (at + 4 > raw.Length) return false;
            int code = 0;
            for (int k = at; k < at + 4; k++)
            {
                byte h = raw[k];
                int digit = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                if (digit < 0) return false;
                code = code * 16 + digit;
            }

            value = (char)code;
            return true;
        }
    }
}
