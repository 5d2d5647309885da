using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using IoTEdgeTroubleshoot.Hub.Diagnosis.Patterns;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    /// <summary>
    /// 404104 symptom 3: many devices disconnect at once (cause 3, a transient hub issue), often with
    /// 500xxx errors, while the connected-device metric dips. Counts, per minute, the devices that
    /// dropped, and finds windows of a few minutes far above the hub's usual rate.
    /// </summary>
    internal sealed class HubWideDetector
    {
        private static readonly TimeSpan Window = DiagnosisThresholds.HubWideWindow;
        private static readonly TimeSpan Aftermath = DiagnosisThresholds.HubWideAftermath;

        public sealed class Incident
        {
            public long StartTicks { get; set; }

            public long EndTicks { get; set; }

            public DateTimeOffset Start => new DateTimeOffset(StartTicks, TimeSpan.Zero);

            public DateTimeOffset End => new DateTimeOffset(EndTicks, TimeSpan.Zero);

            /// <summary>The devices it hit, as indexes into the analysed devices, each once, in their order.</summary>
            public List<int> Devices { get; } = new List<int>();

            public int Drops { get; set; }

            public int PeakDevicesPerWindow { get; set; }

            public double UsualDevicesPerWindow { get; set; }

            /// <summary>Whether an entry of a hit device belongs to the incident (and not to the device's own story).</summary>
            public bool Covers(long ticks) => ticks >= CoveredFromTicks && ticks <= EndTicks + Aftermath.Ticks;

            /// <summary>The first time <see cref="Covers"/>: a minute before the first drop.</summary>
            public long CoveredFromTicks => StartTicks - TimeSpan.TicksPerMinute;
        }

        /// <summary>The incidents among <paramref name="timelines"/>, whose entries (in time order) are <paramref name="entries"/>.</summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs once over every event: skip the slow first tier
        public List<Incident> Find(DeviceTimeline[] timelines, TimelineEntries[] entries)
        {
            // The time the logs cover, then the minutes in which each device dropped (at most once per device and minute).
            long first = long.MaxValue, last = long.MinValue;
            foreach (var deviceEntries in entries)
            {
                if (deviceEntries.Count == 0) continue;
                first = Math.Min(first, deviceEntries[0].Ticks / TimeSpan.TicksPerMinute);
                last = Math.Max(last, deviceEntries[deviceEntries.Count - 1].Ticks / TimeSpan.TicksPerMinute);
            }

            var perMinute = DropMinutes(entries, first, last);
            var incidents = new List<Incident>();
            if (perMinute.Count == 0) return incidents;

            // The usual rate is measured over all the time the logs cover, quiet minutes included. Only the
            // windows that hold a drop are computed (the others hold none): memory follows the drops, not the
            // time span, so a stray far-off date cannot blow it up or push the real minutes out of reach.
            // (A drop's minute lies within the device's first and last entries: first and last cover the drops.)
            int windowMinutes = (int)Window.TotalMinutes;
            var windows = WindowsWithDrops(perMinute, first, windowMinutes);
            var sums = new List<int>(windows.Count);
            foreach (var window in windows) sums.Add(window.Sum);
            double usual = MedianWithZeros(sums, last - first + 1);
            int threshold = Math.Max(DiagnosisThresholds.HubWideMinimumDevices, Math.Max(
                (int)Math.Ceiling(DiagnosisThresholds.HubWideFleetShare * timelines.Length), (int)Math.Ceiling(DiagnosisThresholds.HubWideRateFactor * (usual + 1))));

            for (int w = 0; w < windows.Count; w++)
            {
                if (windows[w].Sum < threshold) continue;

                // A run of consecutive windows above the threshold is one incident.
                int runEnd = w;
                int peak = windows[w].Sum;
                while (runEnd + 1 < windows.Count && windows[runEnd + 1].Start == windows[runEnd].Start + 1 && windows[runEnd + 1].Sum >= threshold)
                {
                    runEnd++;
                    peak = Math.Max(peak, windows[runEnd].Sum);
                }

                // Trim the window to the minutes that stand out, so the usual drops around it are not counted in.
                long runFirst = windows[w].Start, runLast = windows[runEnd].Start + windowMinutes - 1;
                double standsOut = Math.Max(2, 3 * usual / windowMinutes + 1);
                long coreFirst = long.MaxValue, coreLast = long.MinValue;
                for (long minute = runFirst; minute <= runLast; minute++)
                {
                    if (!perMinute.TryGetValue(minute, out int n) || n < standsOut) continue;
                    coreFirst = Math.Min(coreFirst, minute);
                    coreLast = Math.Max(coreLast, minute);
                }

                if (coreFirst == long.MaxValue)
                {
                    coreFirst = runFirst;
                    coreLast = runLast;
                }

                var incident = Describe(entries, coreFirst * TimeSpan.TicksPerMinute, (coreLast + 1) * TimeSpan.TicksPerMinute, peak, usual);
                if (incident.Devices.Count >= threshold) incidents.Add(incident);

                // The next incident starts after this one's last window.
                while (w + 1 < windows.Count && windows[w + 1].Start <= runLast) w++;
            }

            return incidents;
        }

        [MethodImpl(JitHints.AggressiveOptimization)] // runs once over every event: skip the slow first tier
        private static Incident Describe(TimelineEntries[] entries, long from, long to, int peak, double usual)
        {
            var incident = new Incident { StartTicks = to, EndTicks = from, PeakDevicesPerWindow = peak, UsualDevicesPerWindow = usual };
            for (int device = 0; device < entries.Length; device++)
            {
                // Only the entries in the window: a device's entries are in time order.
                var deviceEntries = entries[device];
                bool hit = false;
                for (int i = TimelineSearch.FirstLaterThan(deviceEntries, from - 1); i < deviceEntries.Count && deviceEntries[i].Ticks < to; i++)
                {
                    var e = deviceEntries[i];
                    if (!IsDrop(e)) continue;
                    hit = true;
                    incident.Drops++;
                    if (e.Ticks < incident.StartTicks) incident.StartTicks = e.Ticks;
                    if (e.Ticks > incident.EndTicks) incident.EndTicks = e.Ticks;
                }

                if (hit) incident.Devices.Add(device);
            }

            return incident;
        }

        [MethodImpl(JitHints.AggressiveOptimization)] // runs once over every event: skip the slow first tier
        public IoTHubDisconnectDiagnosis Diagnose(Incident incident, DeviceTimeline[] timelines, TimelineEntries[] entries, IReadOnlyList<ConnectedDeviceMetricPoint> metric)
        {
            var codes = new List<int>();
            var reconnects = new List<double>();
            foreach (int device in incident.Devices)
            {
                long? firstDrop = null;
                bool reconnected = false;
                var deviceEntries = entries[device];
                for (int i = TimelineSearch.FirstLaterThan(deviceEntries, incident.CoveredFromTicks - 1); i < deviceEntries.Count && incident.Covers(deviceEntries[i].Ticks); i++)
                {
                    var e = deviceEntries[i];
                    if (e.Code != 0) codes.Add(e.Code);
                    if (firstDrop == null && IsDrop(e)) firstDrop = e.Ticks;
                    else if (firstDrop != null && !reconnected && e.Kind == EntryKind.Connect)
                    {
                        reconnects.Add(TimeSpan.FromTicks(e.Ticks - firstDrop.Value).TotalSeconds);
                        reconnected = true; // only the first reconnect counts
                    }
                }
            }

            int serverErrors = 0;
            foreach (int code in codes)
            {
                if (code >= 500000 && code < 600000) serverErrors++;
            }

            var dip = MetricDip(incident, metric);
            double? reconnect = Stats.Median(reconnects);
            bool strong = incident.Devices.Count >= 10 && incident.PeakDevicesPerWindow >= 10 * (incident.UsualDevicesPerWindow + 1);
            var confidence = dip.Corroborates || (strong && serverErrors > 0) ? DiagnosisConfidence.High
                : dip.Contradicts ? DiagnosisConfidence.Low
                : strong || serverErrors > 0 ? DiagnosisConfidence.Medium : DiagnosisConfidence.Low;

            var minutes = Math.Max(1, Math.Round((incident.End - incident.Start).TotalMinutes, 1));
            return new IoTHubDisconnectDiagnosis
            {
                Pattern = DisconnectPattern.HubWide,
                DeviceId = string.Empty,
                DeviceCount = incident.Devices.Count,
                FirstSeen = incident.Start,
                LastSeen = incident.End,
                DisconnectCount = incident.Drops,
                MedianReconnectSeconds = reconnect.HasValue ? Stats.Round(reconnect.Value) : (double?)null,
                RelatedResultTypes = Stats.CodeCounts(codes),
                SampleDeviceIds = SampleDeviceIds(incident, timelines),
                Confidence = confidence,
                HelpUri = HelpLinks.ServerError,
                Evidence = $"{incident.Devices.Count} devices disconnected within {minutes} min ({incident.Start:yyyy-MM-dd HH:mm}-{incident.End:HH:mm} UTC), "
                    + $"against a usual {Stats.Round(incident.UsualDevicesPerWindow)} per {Window.TotalMinutes:0} min"
                    + (serverErrors > 0 ? $"; {serverErrors} server errors (500xxx) around it" : string.Empty)
                    + (reconnect.HasValue ? $"; they reconnected after a median {Stats.Duration(TimeSpan.FromSeconds(reconnect.Value))}" : string.Empty)
                    + (dip.Text.Length > 0 ? "; " + dip.Text : string.Empty) + ".",
                Cause = "IoT Hub had a transient problem (the 404104 guide's cause 3): many devices lost their connections at the same moment, which no single device explains.",
                Solution = "Let the devices retry (current Azure IoT SDKs do it with back-off). If errors persist, check the hub's Resource Health and Azure status for a known problem; if there is none and it goes on, contact Azure support with the time window and the error codes. These devices are not diagnosed one by one for this window.",
            };
        }

        // The first ten of the devices hit by name (kept in order as they come: no sort of thousands of names).
        private static string[] SampleDeviceIds(Incident incident, DeviceTimeline[] timelines)
        {
            const int Size = 10;
            var sample = new List<string>(Size + 1);
            foreach (int device in incident.Devices)
            {
                string key = timelines[device].Key;
                if (sample.Count == Size && string.CompareOrdinal(key, sample[Size - 1]) >= 0) continue;
                int at = sample.Count;
                while (at > 0 && string.CompareOrdinal(key, sample[at - 1]) < 0) at--;
                sample.Insert(at, key);
                if (sample.Count > Size) sample.RemoveAt(Size);
            }

            return sample.ToArray();
        }

        private static (bool Corroborates, bool Contradicts, string Text) MetricDip(Incident incident, IReadOnlyList<ConnectedDeviceMetricPoint> metric)
        {
            if (metric.Count == 0) return (false, false, string.Empty);
            var before = metric.Where(p => p.Timestamp >= incident.Start - TimeSpan.FromHours(1) && p.Timestamp < incident.Start - TimeSpan.FromMinutes(1)).Select(p => p.Minimum).ToList();
            var during = metric.Where(p => p.Timestamp >= incident.Start - TimeSpan.FromMinutes(2) && p.Timestamp <= incident.End + Aftermath).Select(p => p.Minimum).ToList();
            if (before.Count == 0 || during.Count == 0) return (false, false, "the connected-device metric does not cover this window");
            double usual = Stats.Median(before)!.Value;
            double low = during.Min();
            double fall = usual - low;
            if (fall >= Math.Max(1, 0.3 * incident.Devices.Count))
            {
                return (true, false, $"the connected-device metric fell from {usual:0} to {low:0}");
            }

            return (false, true, $"the connected-device metric did not dip ({usual:0} before, {low:0} at the lowest)");
        }

        private static bool IsDrop(TimelineEntry e) =>
            e.Kind == EntryKind.ErrorDisconnect && e.Code != DeviceEvidence.LinkCreationConflict && e.Code != DeviceEvidence.ForcefullyClosedOnNewConnection;

        // Up to this span (45 days) the drops are counted in an array of a slot per minute (256 KB at most), one step a
        // drop, and the dictionary made from its minutes that hold any: on LargeHub, hundreds of thousands of drops took
        // two dictionary lookups each, on one core, while the other had nothing to do. A longer span (a stray far-off
        // date) is counted in the dictionary directly, whose memory follows the drops, not the span.
        private const long MinutesCountedInAnArray = 1 << 16;

        /// <summary>
        /// The devices that dropped in each minute (at most once per device and minute): counted in an array for the
        /// minutes from <paramref name="first"/> to <paramref name="last"/> when that span is short enough, in the
        /// dictionary for any other (all of them when first is after last).
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs over every event of the analysis
        internal static Dictionary<long, int> DropMinutes(TimelineEntries[] entries, long first, long last)
        {
            int[]? counts = first <= last && last - first < MinutesCountedInAnArray ? new int[last - first + 1] : null;
            var perMinute = new Dictionary<long, int>();
            foreach (var deviceEntries in entries)
            {
                long lastMinute = long.MinValue;
                foreach (var e in deviceEntries)
                {
                    if (!IsDrop(e)) continue;
                    long minute = e.Ticks / TimeSpan.TicksPerMinute;
                    if (minute == lastMinute) continue;
                    lastMinute = minute;
                    long at = minute - first;
                    if (counts != null && (ulong)at < (ulong)counts.Length)
                    {
                        counts[at]++;
                    }
                    else
                    {
                        perMinute.TryGetValue(minute, out int n);
                        perMinute[minute] = n + 1;
                    }
                }
            }

            // A minute is counted in one of the two, never both.
            for (int i = 0; counts != null && i < counts.Length; i++)
            {
                if (counts[i] != 0) perMinute.Add(first + i, counts[i]);
            }

            return perMinute;
        }

        /// <summary>The sums of the windows of <paramref name="windowMinutes"/> minutes that start at or after
        /// <paramref name="first"/> and hold at least one drop, in order of their start minute.</summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs once over every minute with a drop: skip the slow first tier
        private static List<(long Start, int Sum)> WindowsWithDrops(Dictionary<long, int> perMinute, long first, int windowMinutes)
        {
            var starts = new long[perMinute.Count * windowMinutes];
            int count = 0;
            foreach (long minute in perMinute.Keys)
            {
                for (int k = 0; k < windowMinutes; k++)
                {
                    if (minute - k >= first) starts[count++] = minute - k;
                }
            }

            Stats.Sort(starts, count);
            var windows = new List<(long Start, int Sum)>(count);
            for (int i = 0; i < count; i++)
            {
                long start = starts[i];
                if (i > 0 && start == starts[i - 1]) continue;
                int sum = 0;
                for (int k = 0; k < windowMinutes; k++)
                {
                    if (perMinute.TryGetValue(start + k, out int n)) sum += n;
                }

                windows.Add((start, sum));
            }

            return windows;
        }

        /// <summary>The median of <paramref name="count"/> values: the given ones, and zeros for the rest.</summary>
        internal static double MedianWithZeros(IReadOnlyList<int> nonZero, long count)
        {
            var sorted = new int[nonZero.Count];
            for (int i = 0; i < sorted.Length; i++) sorted[i] = nonZero[i];
            Stats.Sort(sorted, sorted.Length);
            long zeros = count - sorted.Length;
            if (count <= 0) return 0;
            double At(long index) => index < zeros ? 0 : sorted[index - zeros];
            long mid = count / 2;
            return count % 2 == 1 ? At(mid) : (At(mid - 1) + At(mid)) / 2.0;
        }
    }
}
