using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>The time span of the events read from one file, and the file's form.</summary>
    internal sealed class FileCoverage
    {
        public FileCoverage(string path, LogForm form)
        {
            Path = path;
            Form = form;
        }

        public string Path { get; }

        public LogForm Form { get; }

        public long MinTicks { get; private set; } = long.MaxValue;

        public long MaxTicks { get; private set; } = long.MinValue;

        public bool IsEmpty => MinTicks > MaxTicks;

        [MethodImpl(MethodImplOptions.AggressiveInlining)] // per event: two comparisons
        public void Add(long utcTicks)
        {
            if (utcTicks < MinTicks) MinTicks = utcTicks;
            if (utcTicks > MaxTicks) MaxTicks = utcTicks;
        }
    }

    /// <summary>
    /// Notices when the files read hold the same hours in more than one form: a storage export, an Event Hubs
    /// capture and a Log Analytics export of one hub hold the same records, and each is read, so a record
    /// they share is returned once per form. Only forms are compared: files of one form may well overlap in
    /// time and hold different records (Event Hubs partitions, or two queries' exports).
    /// </summary>
    internal sealed class FormOverlap
    {
        private readonly List<FileCoverage> _files = new List<FileCoverage>();

        public void Add(FileCoverage? file)
        {
            if (file != null && !file.IsEmpty) _files.Add(file);
        }

        /// <summary>The warning to give, or null when no two forms hold the same hours.</summary>
        public string? Warning()
        {
            var byForm = _files.GroupBy(f => f.Form).ToDictionary(g => g.Key, g => Merge(g));
            if (byForm.Count < 2) return null;

            var overlapping = new HashSet<LogForm>();
            long from = long.MaxValue, to = long.MinValue;
            var forms = byForm.Keys.OrderBy(f => f).ToList();
            for (int a = 0; a < forms.Count; a++)
            {
                for (int b = a + 1; b < forms.Count; b++)
                {
                    foreach (var (start, end) in Intersections(byForm[forms[a]], byForm[forms[b]]))
                    {
                        overlapping.Add(forms[a]);
                        overlapping.Add(forms[b]);
                        from = Math.Min(from, start);
                        to = Math.Max(to, end);
                    }
                }
            }

            if (overlapping.Count == 0) return null;
            var described = overlapping.OrderBy(f => f).Select(form =>
            {
                var files = _files.Where(f => f.Form == form).Select(f => f.Path).OrderBy(p => p, StringComparer.Ordinal).ToList();
                return files.Count == 1
                    ? $"{LogFormatSniffer.Describe(form)} ('{files[0]}')"
                    : $"{LogFormatSniffer.Describe(form)} ({files.Count} files, such as '{files[0]}')";
            }).ToList();
            string list = described.Count == 2 ? described[0] + " and " + described[1] : string.Join(", ", described.Take(described.Count - 1)) + " and " + described.Last();
            return $"The files hold the same hours ({Format(from)} to {Format(to)} UTC) in {overlapping.Count} forms: {list}. "
                + "Each form was read, so a record that several of them hold is returned once per form and counted more than once. "
                + "To count each record once, pass the files or folder of one form only.";
        }

        private static string Format(long ticks) => new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

        // A form's files as sorted, disjoint spans.
        private static List<(long Start, long End)> Merge(IEnumerable<FileCoverage> files)
        {
            var merged = new List<(long Start, long End)>();
            foreach (var file in files.OrderBy(f => f.MinTicks))
            {
                if (merged.Count > 0 && file.MinTicks <= merged[merged.Count - 1].End)
                {
                    var last = merged[merged.Count - 1];
                    merged[merged.Count - 1] = (last.Start, Math.Max(last.End, file.MaxTicks));
                }
                else
                {
                    merged.Add((file.MinTicks, file.MaxTicks));
                }
            }

            return merged;
        }

        private static IEnumerable<(long Start, long End)> Intersections(List<(long Start, long End)> a, List<(long Start, long End)> b)
        {
            int i = 0, j = 0;
            while (i < a.Count && j < b.Count)
            {
                long start = Math.Max(a[i].Start, b[j].Start);
                long end = Math.Min(a[i].End, b[j].End);
                if (start <= end) yield return (start, end);
                if (a[i].End < b[j].End) i++;
                else j++;
            }
        }
    }
}
