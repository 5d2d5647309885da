using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>
    /// Reads the time column of a Log Analytics portal CSV export, which is written in the
    /// exporting browser's date format: "11/20/2026, 3:04:05.123 PM" (en-US),
    /// "20/11/2026, 15:04:05.123" (en-GB), "20.11.2026, 15:04:05.123" (de-DE),
    /// "2026/11/20 15:04:05" (zh-CN), or ISO 8601. Whether a numeric date is day-first is
    /// decided for the whole file from its unambiguous rows (<see cref="Learn"/>), else from the culture.
    /// </summary>
    public sealed class ExportTimeParser
    {
        private static readonly Regex DayMonthYear = new Regex(
            @"^(?<a>\d{1,2})[./-](?<b>\d{1,2})[./-](?<y>\d{4})[,\s]+(?<time>.+)$", RegexOptions.Compiled | RegexOptions.CultureInvariant);

        private static readonly Regex YearFirst = new Regex(
            @"^(?<y>\d{4})[./-](?<m>\d{1,2})[./-](?<d>\d{1,2})\.?[,\sT]+(?<time>.+)$", RegexOptions.Compiled | RegexOptions.CultureInvariant);

        private static readonly Regex TimeOfDay = new Regex(
            @"^(?<h>\d{1,2})[:.](?<min>\d{2})(?:[:.](?<s>\d{2})(?:[.,](?<f>\d{1,7}))?)?\s*(?<ampm>[AaPp]\.?\s?[Mm]\.?)?\s*(?<z>Z|UTC)?$",
            RegexOptions.Compiled | RegexOptions.CultureInvariant);

        private bool? _dayFirst;

        public ExportTimeParser(bool assumeUtc, CultureInfo? culture = null)
        {
            AssumeUtc = assumeUtc;
            var pattern = (culture ?? CultureInfo.CurrentCulture).DateTimeFormat.ShortDatePattern;
            CultureDayFirst = pattern.TrimStart().StartsWith("d", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>True when the column is "[UTC]"; else the times are this machine's local time.</summary>
        public bool AssumeUtc { get; }

        public bool CultureDayFirst { get; }

        /// <summary>What the file showed: true for day-first, false for month-first, null when every row was ambiguous.</summary>
        public bool? DayFirst => _dayFirst;

        /// <summary>Look at a value before parsing, to learn the file's day/month order from an unambiguous date.</summary>
        public void Learn(string value)
        {
            if (_dayFirst.HasValue) return;
            var m = DayMonthYear.Match(value.Trim());
            if (!m.Success) return;
            int a = int.Parse(m.Groups["a"].Value, CultureInfo.InvariantCulture);
            int b = int.Parse(m.Groups["b"].Value, CultureInfo.InvariantCulture);
            if (a > 12 && b <= 12) _dayFirst = true;
            else if (b > 12 && a <= 12) _dayFirst = false;
        }

        public bool TryParse(string value, out DateTimeOffset result)
        {
            result = default;
            string text = value.Trim();
            if (text.Length == 0) return false;

            int year, month, day;
            string timePart;
            var dmy = DayMonthYear.Match(text);
            if (dmy.Success)
            {
                int a = int.Parse(dmy.Groups["a"].Value, CultureInfo.InvariantCulture);
                int b = int.Parse(dmy.Groups["b"].Value, CultureInfo.InvariantCulture);
                bool dayFirst = _dayFirst ?? (a > 12 || (b <= 12 && CultureDayFirst));
                day = dayFirst ? a : b;
                month = dayFirst ? b : a;
                year = int.Parse(dmy.Groups["y"].Value, CultureInfo.InvariantCulture);
                timePart = dmy.Groups["time"].Value;
            }
            else
            {
                var ymd = YearFirst.Match(text);
                if (!ymd.Success)
                {
                    var styles = AssumeUtc ? DateTimeStyles.AssumeUniversal : DateTimeStyles.AssumeLocal;
                    if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out result)) return false;
                    result = result.ToUniversalTime();
                    return true;
                }

                year = int.Parse(ymd.Groups["y"].Value, CultureInfo.InvariantCulture);
                month = int.Parse(ymd.Groups["m"].Value, CultureInfo.InvariantCulture);
                day = int.Parse(ymd.Groups["d"].Value, CultureInfo.InvariantCulture);
                timePart = ymd.Groups["time"].Value;
                if (timePart.IndexOf('+') > 0 || (timePart.LastIndexOf('-') > 0))
                {
                    // An ISO value with an offset: let the framework read the whole text.
                    if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out result))
                    {
                        result = result.ToUniversalTime();
                        return true;
                    }
                }
            }

            var t = TimeOfDay.Match(timePart.Trim());
            if (!t.Success) return false;
            int hour = int.Parse(t.Groups["h"].Value, CultureInfo.InvariantCulture);
            int minute = int.Parse(t.Groups["min"].Value, CultureInfo.InvariantCulture);
            int second = t.Groups["s"].Success ? int.Parse(t.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
            long ticks = 0;
            if (t.Groups["f"].Success)
            {
                string f = t.Groups["f"].Value.PadRight(7, '0');
                ticks = long.Parse(f, CultureInfo.InvariantCulture);
            }

            if (t.Groups["ampm"].Success)
            {
                bool pm = char.ToUpperInvariant(t.Groups["ampm"].Value[0]) == 'P';
                if (hour < 1 || hour > 12) return false;
                hour = hour % 12 + (pm ? 12 : 0);
            }

            if (month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            {
                return false;
            }

            var dt = new DateTime(year, month, day, hour, minute, second).AddTicks(ticks);
            bool utc = AssumeUtc || t.Groups["z"].Success;
            result = utc
                ? new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc))
                : new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Local)).ToUniversalTime();
            return true;
        }
    }
}
