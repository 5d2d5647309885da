using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
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
            foreach (var observed in reader.ReadFilesInParallel(files, cores, ObservedEvent.From, cancellationToken))
            {
                Add(observed);
            }

            reporter.Verbose($"{reader.RecordsRead} records read from {files.Count} file(s); {reader.MalformedRecords} malformed record(s) skipped.");
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
        [MethodImpl(JitHints.AggressiveOptimization)] // runs once over every event: skip the slow first tier
        public IReadOnlyList<IoTHubDisconnectDiagnosis> Analyze()
        {
            var devices = _devices.Values
                .OrderBy(t => t.Key, StringComparer.Ordinal)
                .Select(t => (Timeline: t, Entries: t.Entries()))
                .ToList();
            var metric = _metric.OrderBy(p => p.Timestamp).ToList();

            var hubWide = new HubWideDetector();
            var incidents = hubWide.Find(devices);
            var results = incidents.Select(i => hubWide.Diagnose(i, devices, metric)).ToList();

            foreach (var (timeline, entries) in devices)
            {
                // What a hub-wide incident explains is not blamed on the device.
                var own = entries;
                var hits = incidents.Where(i => i.Devices.Contains(timeline)).ToList();
                if (hits.Count > 0) own = entries.Where(e => e.Kind == EntryKind.Connect || !hits.Any(i => i.Covers(e.Time))).ToList();

                var evidence = new DeviceEvidence(timeline, entries, own, _lastTicks);
                foreach (var detector in DeviceDetectors)
                {
                    var diagnosis = detector.Detect(evidence);
                    if (diagnosis != null) results.Add(diagnosis);
                }
            }

            return results;
        }
    }
}
