using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using IoTEdgeTroubleshoot.Hub.Diagnosis.Patterns;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    /// <summary>
    /// Recognises disconnect patterns (Get-IoTHubDisconnectDiagnosis). Feed it events, piped or read
    /// from files on the fast path, and connected-device metric points; then <see cref="Analyze"/>.
    /// Events may come in any order and more than once: each device's are sorted and de-duplicated.
    /// Memory grows with the number of devices (a bounded timeline each), not with the events.
    /// </summary>
    public sealed class DisconnectAnalyzer
    {
        private static readonly IDevicePatternDetector[] DeviceDetectors =
        {
            new PeriodicDetector(),
            new RandomDetector(),
            new DuplicateIdentityDetector(),
            new NeverReconnectedDetector(),
            new AuthenticationFailureDetector(),
            new DeviceNotFoundDetector(),
        };

        private readonly Dictionary<string, DeviceTimeline> _devices = new Dictionary<string, DeviceTimeline>(StringComparer.Ordinal);
        private readonly List<ConnectedDeviceMetricPoint> _metric = new List<ConnectedDeviceMetricPoint>();
        private long _lastTicks = long.MinValue;

        /// <summary>Events taken into account.</summary>
        public long EventCount { get; private set; }

        public int DeviceCount => _devices.Count;

        public void Add(IoTHubConnectionEvent e) => Add(ObservedEvent.From(e));

        public void AddMetric(ConnectedDeviceMetricPoint point) => _metric.Add(point);

        /// <summary>
        /// The fast path: reads the files on every core with a lean reader (no event object kept per
        /// record) and adds what it finds. Problems and progress reach <paramref name="reporter"/>.
        /// </summary>
        public void ReadFiles(IReadOnlyList<string> files, ConnectionEventFilter filter, IReporter reporter, CancellationToken cancellationToken)
        {
            var reader = new ConnectionLogReader(filter, reporter, lean: true);
            int cores = Math.Max(1, Math.Min(Environment.ProcessorCount, 8));

            // Each reader thread fills its own analyzer; they are merged at the end (no lock, no hand-over).
            var partials = new DisconnectAnalyzer?[cores];
            reader.ConsumeFilesInParallel(files, cores, worker =>
            {
                var partial = partials[worker] = new DisconnectAnalyzer();
                return e => partial.Add(ObservedEvent.From(e));
            }, cancellationToken);
            foreach (var partial in partials)
            {
                if (partial != null) MergeFrom(partial);
            }

            reporter.Verbose($"{reader.RecordsRead} records read from {files.Count} file(s); {reader.MalformedRecords} malformed record(s) skipped.");
        }

        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        private void MergeFrom(DisconnectAnalyzer other)
        {
            foreach (var pair in other._devices)
            {
                if (_devices.TryGetValue(pair.Key, out var mine)) mine.MergeFrom(pair.Value);
                else _devices.Add(pair.Key, pair.Value);
            }

            if (other._lastTicks > _lastTicks) _lastTicks = other._lastTicks;
            EventCount += other.EventCount;
        }

        private void Add(in ObservedEvent e)
        {
            if (!e.IsUsable) return;
            if (!_devices.TryGetValue(e.Key!, out var timeline))
            {
                timeline = new DeviceTimeline(e.Key!) { DeviceIdOnly = e.DeviceId };
                _devices.Add(e.Key!, timeline);
            }

            timeline.Add(e);
            if (e.Ticks > _lastTicks) _lastTicks = e.Ticks;
            EventCount++;
        }

        /// <summary>Hub-wide incidents first (by time), then the devices' patterns (by device).</summary>
        public IReadOnlyList<IoTHubDisconnectDiagnosis> Analyze()
        {
            var timelines = _devices.Values.OrderBy(t => t.Key, StringComparer.Ordinal).ToArray();

            // Sorting each device's events and, below, looking at each device are independent: use every core.
            var entries = new List<TimelineEntry>[timelines.Length];
            Parallel.For(0, timelines.Length, ParallelOptions, i => entries[i] = timelines[i].Entries());
            var devices = timelines.Select((t, i) => (Timeline: t, Entries: entries[i])).ToList();
            var metric = _metric.OrderBy(p => p.Timestamp).ToList();

            var hubWide = new HubWideDetector();
            var incidents = hubWide.Find(devices);
            var results = incidents.Select(i => hubWide.Diagnose(i, devices, metric)).ToList();

            var perDevice = new List<IoTHubDisconnectDiagnosis>?[devices.Count];
            Parallel.For(0, devices.Count, ParallelOptions, index =>
            {
                var (timeline, all) = devices[index];

                // What a hub-wide incident explains is not blamed on the device.
                var own = all;
                var hits = incidents.Where(i => i.Devices.Contains(timeline)).ToList();
                if (hits.Count > 0) own = all.Where(e => e.Kind == EntryKind.Connect || !hits.Any(i => i.Covers(e.Time))).ToList();

                var evidence = new DeviceEvidence(timeline, all, own, _lastTicks);
                foreach (var detector in DeviceDetectors)
                {
                    var diagnosis = detector.Detect(evidence);
                    if (diagnosis != null) (perDevice[index] ??= new List<IoTHubDisconnectDiagnosis>()).Add(diagnosis);
                }
            });

            foreach (var found in perDevice)
            {
                if (found != null) results.AddRange(found);
            }

            return results;
        }

        private static readonly ParallelOptions ParallelOptions = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Math.Min(Environment.ProcessorCount, 8)) };
    }
}
