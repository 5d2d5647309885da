using System;

namespace IoTEdgeTroubleshoot.Edge.Logs
{
    /// <summary>
    /// The timestamps IoT Edge logs write, read from the characters the line parser's patterns already
    /// shaped (digits where digits belong): "2019-05-31T06:39:28Z", "2021-02-25 05:27:39.262 +00:00",
    /// "2026-07-20T10:11:12.123456+0000". Digits that are no date (month 13, 25 o'clock) fail, never throw.
    /// </summary>
    internal static class LogTimestamp
    {
        /// <summary>
        /// Reads "yyyy-MM-dd[T ]HH:mm:ss[.fraction]" at <paramref name="start"/> and the zone <paramref name="zone"/>
        /// ("Z", "+05:30", "-0800", or empty: UTC, as containers write it).
        /// </summary>
        public static bool TryParse(string text, int start, int length, string zone, out DateTimeOffset value)
        {
            value = default;
            if (length < 19) return false;
            int year = Digits(text, start, 4), month = Digits(text, start + 5, 2), day = Digits(text, start + 8, 2);
            int hour = Digits(text, start + 11, 2), minute = Digits(text, start + 14, 2), second = Digits(text, start + 17, 2);
            long ticks = 0;
            if (length > 20 && text[start + 19] == '.')
            {
                long scale = TimeSpan.TicksPerSecond;
                for (int i = start + 20; i < start + length && scale > 1; i++)
                {
                    scale /= 10;
                    ticks += (text[i] - '0') * scale;
                }
            }

            if (!TryZone(zone, out TimeSpan offset)) return false;
            if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return false;
            try
            {
                value = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(ticks);
                return true;
            }
            catch (ArgumentOutOfRangeException)
            {
                return false; // the first or last day of the calendar with an offset that leaves it
            }
        }

        private static bool TryZone(string zone, out TimeSpan offset)
        {
            offset = TimeSpan.Zero;
            if (zone.Length == 0 || zone == "Z") return true;
            int sign = zone[0] == '-' ? -1 : 1;
            int hours = Digits(zone, 1, 2);
            int minutes = zone.Length == 6 ? Digits(zone, 4, 2) : Digits(zone, 3, 2);
            if (hours > 14 || minutes > 59) return false;
            offset = TimeSpan.FromMinutes(sign * (hours * 60 + minutes));
            return true;
        }

        private static int Digits(string text, int start, int count)
        {
            int n = 0;
            for (int i = start; i < start + count; i++) n = n * 10 + (text[i] - '0');
            return n;
        }
    }
}
