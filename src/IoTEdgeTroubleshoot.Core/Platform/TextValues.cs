using System;
using System.Runtime.CompilerServices;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>Small text rules shared by the readers and the analysis.</summary>
    internal static class TextValues
    {
        /// <summary>Null for null or empty: optional fields of an event are null when the log leaves them empty.</summary>
        public static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

        /// <summary>
        /// string.Equals(<paramref name="s"/>, <paramref name="lowerAsciiLetters"/>, OrdinalIgnoreCase), for a name
        /// of lower-case ASCII letters; compiled into its caller, because the framework's comparison is one of the
        /// calls tiered compilation instruments when it turns hot (see ByteScan). Text with anything beyond ASCII
        /// goes to the framework: on .NET no such character equals an ASCII letter without regard to case (ByteScanTests
        /// tries every one), but .NET Framework's case tables are its own.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool EqualsAsciiIgnoreCase(string? s, string lowerAsciiLetters)
        {
            if (s == null || s.Length != lowerAsciiLetters.Length) return false;
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (c >= 0x80) return string.Equals(s, lowerAsciiLetters, StringComparison.OrdinalIgnoreCase);

                // c | 0x20 is a lower-case letter only for that letter in either case.
                if ((c | 0x20) != lowerAsciiLetters[i]) return false;
            }

            return true;
        }
    }
}
