using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>How to read a numeric date whose day and month could be swapped (05/06/2026).</summary>
    public enum DateOrder
    {
        /// <summary>Day, then month (20/11/2026): en-GB, de-DE, fr-FR and most of the world.</summary>
        DayFirst,

        /// <summary>Month, then day (11/20/2026): en-US.</summary>
        MonthFirst,
    }

    /// <summary>
    /// Reads the time column of a Log Analytics portal CSV export, which is written in the
    /// exporting browser's date format: "11/20/2026, 3:04:05.123 PM" (en-US),
    /// "20/11/2026, 15:04:05.123" (en-GB), "20.11.2026, 15:04:05.123" (de-DE),
    /// "2026/11/20 15:04:05" (zh-CN), or ISO 8601. Whether a numeric date is day-first is
    /// given (<see cref="DateOrder"/>), or decided for the whole file from its unambiguous rows
    /// (<see cref="Learn"/>), else from the culture; <see cref="AmbiguousExample"/> then tells the caller
    /// to say so. A value it cannot read, years 0000 and 9999 near the calendar's ends included, is
    /// false from <see cref="TryParse"/>, never an exception.
    /// </summary>
    public sealed class ExportTimeParser
    {
        // [0-9], not \d: \d also matches other scripts' digits (Arabic-Indic, Devanagari...), which int.Parse refuses.
        private static readonly Regex DayMonthYear = new Regex(
            @"^(?<a>[0-9]{1,2})[./-](?<b>[0-9]{1,2})[./-](?<y>[0-9]{4})[,\s]+(?<time>.+)$", RegexOptions.Compiled | RegexOptions.CultureInvariant);

        private static readonly Regex YearFirst = new Regex(
            @"^(?<y>[0-9]{4})[./-](?<m>[0-9]{1,2})[./-](?<d>[0-9]{1,2})\.?[,\sT]+(?<time>.+)$", RegexOptions.Compiled | RegexOptions.CultureInvariant);

        private static readonly Regex TimeOfDay = new Regex(
            @"^(?<h>[0-9]{1,2})[:.](?<min>[0-9]{2})(?:[:.](?<s>[0-9]{2})(?:[.,](?<f>[0-9]{1,7}))?)?\s*(?<ampm>[AaPp]\.?\s?[Mm]\.?)?\s*(?<z>Z|UTC)?$",
            RegexOptions.Compiled | RegexOptions.CultureInvariant);

        // The longest date the formats above can write is about 30 characters; a longer value is no date, and
        // is not matched at all (the time pattern's adjacent \s* would backtrack quadratically over long spaces).
        private const int MaxLength = 64;

        private readonly TimeZoneInfo _localZone;
        private bool? _dayFirst;

        /// <param name="assumeUtc">The column says [UTC]; otherwise its times are local times of <paramref name="localZone"/>.</param>
        /// <param name="culture">Whose short date pattern decides a file whose every date reads both ways (default: the current culture).</param>
        /// <param name="order">The order the user gave (-DateOrder): it decides, and nothing is learned.</param>
        /// <param name="localZone">The zone of local times (default: this computer's).</param>
        public ExportTimeParser(bool assumeUtc, CultureInfo? culture = null, DateOrder? order = null, TimeZoneInfo? localZone = null)
        {
            AssumeUtc = assumeUtc;
            var cultureInfo = culture ?? CultureInfo.CurrentCulture;
            CultureName = cultureInfo.Name.Length > 0 ? cultureInfo.Name : "invariant";
            CultureDayFirst = cultureInfo.DateTimeFormat.ShortDatePattern.TrimStart().StartsWith("d", StringComparison.OrdinalIgnoreCase);
            GivenOrder = order;
            if (order.HasValue) _dayFirst = order.Value == DateOrder.DayFirst;
            _localZone = localZone ?? TimeZoneInfo.Local;
        }

        /// <summary>True when the column is "[UTC]"; else the times are this machine's local time.</summary>
        public bool AssumeUtc { get; }

        public bool CultureDayFirst { get; }

        /// <summary>The name of the culture whose order decides when the file cannot (for messages).</summary>
        public string CultureName { get; }

        /// <summary>The order given by the caller, if any.</summary>
        public DateOrder? GivenOrder { get; }

        /// <summary>Given, or what the file showed: true for day-first, false for month-first, null when every row was ambiguous.</summary>
        public bool? DayFirst => _dayFirst;

        /// <summary>The order used for dates that read both ways.</summary>
        public DateOrder EffectiveOrder => (_dayFirst ?? CultureDayFirst) ? DateOrder.DayFirst : DateOrder.MonthFirst;

        /// <summary>
        /// A value seen by <see cref="Learn"/> whose day and month could be swapped (05/06/2026), while no value
        /// settled the order: then the culture decides, and the caller should say so. Null otherwise.
        /// </summary>
        public string? AmbiguousExample => _dayFirst.HasValue ? null : _ambiguousExample;

        private string? _ambiguousExample;

        /// <summary>Look at a value before parsing, to learn the file's day/month order from an unambiguous date.</summary>
        public void Learn(string value)
        {
            if (_dayFirst.HasValue || value.Length > MaxLength) return;
            var m = DayMonthYear.Match(value.Trim());
            if (!m.Success) return;
            int a = int.Parse(m.Groups["a"].Value, CultureInfo.InvariantCulture);
            int b = int.Parse(m.Groups["b"].Value, CultureInfo.InvariantCulture);
            if (a > 12 && b <= 12) _dayFirst = true;
            else if (b > 12 && a <= 12) _dayFirst = false;
            else if (a != b && a >= 1 && b >= 1 && a <= 12 && b <= 12) _ambiguousExample ??= value.Trim();
        }

        public bool TryParse(string value, out DateTimeOffset result)
        {
            result = default;
            string text = value.Trim();
            if (text.Length == 0 || text.Length > MaxLength) return false;

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
                    if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out result)) return false; // out of range too
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

            // Year 0000 does not exist in DateTime's calendar (DaysInMonth would throw); 9999 does, to its last tick.
            if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
                || hour > 23 || minute > 59 || second > 59)
            {
                return false;
            }

            var dt = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
            long utcTicks = dt.Ticks;
            if (!AssumeUtc && !t.Groups["z"].Success)
            {
                // A local time near the calendar's ends may have no UTC time (0001-01-01 00:00 at UTC+1).
                utcTicks -= _localZone.GetUtcOffset(dt).Ticks;
                if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks) return false;
            }

            result = new DateTimeOffset(utcTicks, TimeSpan.Zero);
            return true;
        }
    }
}
