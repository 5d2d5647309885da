using System;
using System.Runtime.CompilerServices;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>
    /// Reads the one time format the hub writes ("2026-11-20T13:04:05.1234567Z": UTC, up to seven
    /// fraction digits) straight from its bytes, several times faster than a general ISO 8601 parser.
    /// Anything else returns false and is left to the general parser.
    /// </summary>
    internal static class UtcTimestamp
    {
        [MethodImpl(JitHints.AggressiveOptimization)]
        public static bool TryParse(ReadOnlySpan<byte> s, out DateTimeOffset value)
        {
            value = default;
            // yyyy-MM-ddTHH:mm:ssZ is 20 bytes; with .f to .fffffff, 22 to 28.
            if (s.Length < 20 || s.Length > 28 || s[s.Length - 1] != (byte)'Z') return false;
            if (s[4] != (byte)'-' || s[7] != (byte)'-' || s[10] != (byte)'T' || s[13] != (byte)':' || s[16] != (byte)':') return false;
            if (!Digits(s, 0, 4, out int year) || !Digits(s, 5, 2, out int month) || !Digits(s, 8, 2, out int day)
                || !Digits(s, 11, 2, out int hour) || !Digits(s, 14, 2, out int minute) || !Digits(s, 17, 2, out int second))
            {
                return false;
            }

            long fraction = 0;
            if (s.Length > 20)
            {
                int digits = s.Length - 21;
                if (s[19] != (byte)'.' || digits < 1 || !Digits(s, 20, digits, out int raw)) return false;
                fraction = raw;
                for (int i = digits; i < 7; i++) fraction *= 10; // to 100-nanosecond ticks
            }
            else if (s[19] != (byte)'Z')
            {
                return false;
            }

            if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            {
                return false;
            }

            value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fraction, TimeSpan.Zero);
            return true;
        }

        private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
        {
            value = 0;
            for (int i = start; i < start + count; i++)
            {
                int d = s[i] - '0';
                if ((uint)d > 9) return false;
                value = value * 10 + d;
            }

            return true;
        }
    }
}
