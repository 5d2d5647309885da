using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.Logs
{
    /// <summary>
    /// "How long ago" as users type it for 'iotedge logs --since' and 'journalctl --since': "15m", "2h", "1d",
    /// "1h30m", "90 minutes", "2 days 3 hours", and journalctl's "-15m". The log commands turn it into the time
    /// that long before now, so one window means the same for live and saved logs.
    /// </summary>
    public static class LogDuration
    {
        private static readonly Regex Part = new Regex(
            @"\G\s*(?<n>\d{1,9})\s*(?<unit>ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)(?![a-z])\s*",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        /// <summary>Reads a duration; false for anything else (a date, "yesterday", "15", "15x").</summary>
        public static bool TryParse(string? text, out TimeSpan duration)
        {
            duration = TimeSpan.Zero;
            if (text == null) return false;
            string body = text.Trim();
            if (body.StartsWith("-", StringComparison.Ordinal)) body = body.Substring(1); // journalctl's "-15m": ago either way
            if (body.Length == 0) return false;

            long ticks = 0;
            int at = 0;
            while (at < body.Length)
            {
                var match = Part.Match(body, at);
                if (!match.Success || match.Length == 0) return false;
                long n = long.Parse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
                try
                {
                    ticks = checked(ticks + (n * UnitTicks(match.Groups["unit"].Value)));
                }
                catch (OverflowException)
                {
                    return false;
                }

                at += match.Length;
            }

            duration = TimeSpan.FromTicks(ticks);
            return true;
        }

        /// <summary>The time <paramref name="ago"/> before <paramref name="now"/>; the earliest time there is for a longer span.</summary>
        public static DateTimeOffset Before(DateTimeOffset now, TimeSpan ago) =>
            ago.Ticks >= now.UtcTicks - DateTimeOffset.MinValue.UtcTicks ? DateTimeOffset.MinValue : now - ago;

        private static long UnitTicks(string unit)
        {
            string u = unit.ToLowerInvariant();
            if (u == "ms" || u.StartsWith("milli", StringComparison.Ordinal)) return TimeSpan.TicksPerMillisecond;
            switch (u[0])
            {
                case 's': return TimeSpan.TicksPerSecond;
                case 'm': return TimeSpan.TicksPerMinute;
                case 'h': return TimeSpan.TicksPerHour;
                case 'd': return TimeSpan.TicksPerDay;
                default: return 7 * TimeSpan.TicksPerDay;
            }
        }
    }
}
