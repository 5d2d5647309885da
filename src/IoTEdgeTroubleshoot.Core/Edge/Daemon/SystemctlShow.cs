using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.Daemon
{
    /// <summary>
    /// Reads what 'systemctl show unit1 unit2 ... --property=...' prints: one block of Key=Value lines per
    /// unit, blocks separated by a blank line, values as systemd formats them (empty when unset).
    /// </summary>
    public static class SystemctlShow
    {
        /// <summary>The properties the daemon status reads, asked for by name so the answer stays small.</summary>
        public static readonly IReadOnlyList<string> Properties = new[]
        {
            "Id", "LoadState", "ActiveState", "SubState", "MainPID", "NRestarts", "Result",
            "StateChangeTimestamp", "ActiveEnterTimestamp", "ExecMainStartTimestamp", "TriggeredBy",
        };

        private static readonly Regex Timestamp = new Regex(
            @"^(?:[A-Za-z]{3}\s+)?(?<date>\d{4}-\d{2}-\d{2})\s+(?<time>\d{2}:\d{2}:\d{2})(?<fraction>\.\d{1,6})?(?:\s+(?<zone>\S+))?$",
            RegexOptions.CultureInvariant);

        /// <summary>The blocks, each a property table (case-sensitive keys, as systemd names them).</summary>
        public static IReadOnlyList<IReadOnlyDictionary<string, string>> Parse(string text)
        {
            var units = new List<IReadOnlyDictionary<string, string>>();
            var current = new Dictionary<string, string>(StringComparer.Ordinal);
            using var reader = new StringReader(text ?? string.Empty);
            for (string? line = reader.ReadLine(); line != null; line = reader.ReadLine())
            {
                if (line.Trim().Length == 0)
                {
                    if (current.Count > 0) units.Add(current);
                    current = new Dictionary<string, string>(StringComparer.Ordinal);
                    continue;
                }

                int equals = line.IndexOf('=');
                if (equals <= 0) continue; // not a property line (a warning systemd printed to standard output)
                current[line.Substring(0, equals)] = line.Substring(equals + 1).TrimEnd('\r');
            }

            if (current.Count > 0) units.Add(current);
            return units;
        }

        /// <summary>
        /// A systemd timestamp ("Tue 2026-07-21 10:11:12 UTC", "Tue 2026-07-21 12:11:12 CEST"), or null when
        /// it is empty or "n/a" (the event never happened). systemctl prints a zone other than UTC in the local
        /// time zone, which it shares with this process (it is our child); numeric offsets are read as such.
        /// </summary>
        public static DateTimeOffset? ParseTimestamp(string? value) => ParseTimestamp(value, TimeZoneInfo.Local);

        internal static DateTimeOffset? ParseTimestamp(string? value, TimeZoneInfo local)
        {
            string text = (value ?? string.Empty).Trim();
            if (text.Length == 0 || text == "n/a" || text == "0") return null;
            var match = Timestamp.Match(text);
            if (!match.Success) return null;
            if (!DateTime.TryParseExact(match.Groups["date"].Value + " " + match.Groups["time"].Value, "yyyy-MM-dd HH:mm:ss",
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var clock))
            {
                return null;
            }

            if (match.Groups["fraction"].Success)
            {
                clock = clock.AddTicks((long)(double.Parse("0" + match.Groups["fraction"].Value, CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond));
            }

            string zone = match.Groups["zone"].Success ? match.Groups["zone"].Value : string.Empty;
            if (zone == "UTC" || zone == "GMT" || zone == "Z") return new DateTimeOffset(clock, TimeSpan.Zero);
            var offset = NumericOffset(zone);
            if (offset != null) return new DateTimeOffset(clock, offset.Value);
            return new DateTimeOffset(clock, local.GetUtcOffset(clock));
        }

        // "+01", "+0530", "-08:00"; null for a name such as CEST.
        private static TimeSpan? NumericOffset(string zone)
        {
            var match = Regex.Match(zone, @"^(?<sign>[+-])(?<h>\d{2}):?(?<m>\d{2})?$", RegexOptions.CultureInvariant);
            if (!match.Success) return null;
            var span = new TimeSpan(int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture),
                match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) : 0, 0);
            return match.Groups["sign"].Value == "-" ? -span : span;
        }
    }
}
