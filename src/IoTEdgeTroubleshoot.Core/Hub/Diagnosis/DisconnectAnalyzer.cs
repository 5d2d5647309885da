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
    /// Memory grows with the number of devices (a bounded timeline each) and one batch of events, not with the log's length.
    /// </summary>
    public sealed class DisconnectAnalyzer : IDisposable
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

        // The identities' timelines, by key and by DeviceTimeline.Number. The reader threads' partial analyzers share
        // their analyzer's (adding under _timelinesLock; a device's number found without it in the read's table of ids,
        // or for an id that has no slot there in TimelineIndex), so every thread batches
        // events under the same numbers and the merge renumbers nothing; each keeps its own _modules, _pending and counts.
        private readonly TimelineIndex _timelines;
        private DeviceKeyTable? _deviceKeys; // the device ids of this analyzer's reads (ReadFiles), by their bytes
        private readonly object _timelinesLock;
        private NoCollectionRegion? _largeRead; // from a large read until Analyze or Dispose ends it (StartLargeReadRegion)
        private readonly Dictionary<(string Device, string Module), DeviceTimeline> _modules = new Dictionary<(string Device, string Module), DeviceTimeline>();
        private PendingEvents? _pending; // events not yet in their timelines (HandOverPending)
        private bool _distributed; // a batch's array was shared out before (Distribute)
        private readonly List<ConnectedDeviceMetricPoint> _metric = new List<ConnectedDeviceMetricPoint>();
        private readonly long _latestPlausibleTicks;
        private long _lastTicks = long.MinValue;
        private long _connects;
        private long _implausible;
        private ObservedEvent _implausibleSample;

        /// <param name="clock">Now, for the latest plausible event time (tests give a fixed one).</param>
        public DisconnectAnalyzer(Func<DateTimeOffset>? clock = null)
            : this((clock ?? (() => DateTimeOffset.UtcNow))().UtcTicks + DiagnosisThresholds.LatestPlausibleSkew.Ticks)
        {
        }

        private DisconnectAnalyzer(long latestPlausibleTicks)
        {
            _latestPlausibleTicks = latestPlausibleTicks;
            _timelines = new TimelineIndex();
            _timelinesLock = new object();
        }

        // A reader thread's analyzer: its own batch and counts, the timelines of the one it reads for.
        private DisconnectAnalyzer(DisconnectAnalyzer readingFor)
        {
            _latestPlausibleTicks = readingFor._latestPlausibleTicks;
            _timelines = readingFor._timelines;
            _timelinesLock = readingFor._timelinesLock;
            _deviceKeys = readingFor._deviceKeys; // the numbers noted there are the shared timelines'
            PendingCapacity = readingFor.PendingCapacity;
        }

        // The types whose hot methods a read from files calls, in about the order it first calls them, then the
        // analysis' (see WarmUp).
        private static readonly Type[] HotPath =
        {
            typeof(ConnectionLogReader), typeof(Utf8LineReader), typeof(ByteScan), typeof(ConnectionRecordParser), typeof(Utf8Validation),
            typeof(UtcTimestamp), typeof(Utf8StringCache), typeof(LeanPropertiesScanner), typeof(AddressHash), typeof(DeviceKeyTable),
            typeof(ConnectionEventFilter), typeof(ObservedEvent), typeof(DisconnectAnalyzer), typeof(TimelineIndex), typeof(TextNumbers),
            typeof(PendingEvents), typeof(DeviceTimeline), typeof(TimelineSearch), typeof(Stats), typeof(DeviceEvidence),
            typeof(Periodicity), typeof(HubWideDetector),
        };

        private static int s_warmUpStarted;

        /// <summary>
        /// Starts compiling the hot methods of a read from files and of the analysis on a thread of its own, once per
        /// process (<see cref="HotPathWarmUp"/>), after looking up what a large read's advice on the heap's pages needs
        /// (<see cref="CollectorHeapPages.LookUpRegionRange"/>): called before the files are looked for, it puts that
        /// work on the core the read's start would leave idle. <see cref="ReadFiles"/> calls it too.
        /// </summary>
        public static void WarmUp()
        {
            if (Interlocked.Exchange(ref s_warmUpStarted, 1) == 0) HotPathWarmUp.Start(HotPath, first: CollectorHeapPages.LookUpRegionRange);
        }

        /// <summary>The types <see cref="WarmUp"/> compiles the marked methods of (tests).</summary>
        internal static IReadOnlyList<Type> HotPathTypes => HotPath;

        /// <summary>Events taken into account.</summary>
        public long EventCount { get; private set; }

        public int DeviceCount => _timelines.Count;

        /// <summary>How many events wait at most before they are put into their timelines (tests make it small).</summary>
        internal int PendingCapacity { get; set; } = PendingEvents.DefaultCapacity;

        /// <summary>The size of the parts large files of JSON lines are read in (see ConnectionLogReader.PartBytes); lower in tests.</summary>
        internal long ReadPartBytes { get; set; } = ConnectionLogReader.DefaultPartBytes;

        /// <summary>The timelines, by number (tests look into them).</summary>
        internal IReadOnlyList<DeviceTimeline> Timelines => _timelines;

        /// <summary>One identity's timeline, or null (tests).</summary>
        internal DeviceTimeline? TimelineOf(string key) => _timelines.TryGetValue(key, out var timeline) ? timeline : null;

        /// <summary>The device ids the reads met, for tests (null before the first <see cref="ReadFiles"/>).</summary>
        internal DeviceKeyTable? DeviceKeys => _deviceKeys;

        /// <summary>One identity's entries as the detectors will see them (tests).</summary>
        internal IReadOnlyList<TimelineEntry> EntriesOf(string key)
        {
            HandOverPending();
            return _timelines.TryGetValue(key, out var timeline) ? timeline.Entries().ToList() : new List<TimelineEntry>();
        }

        public void Add(IoTHubConnectionEvent e) => Add(ObservedEvent.From(e));

        public void AddMetric(ConnectedDeviceMetricPoint point) => _metric.Add(point);

        /// <summary>
        /// One device's summary from the workspace (Get-IoTHubDisconnectDiagnosis -WorkspaceId): its entries, already
        /// de-duplicated and capped by the query, go into the same timeline a read event would fill, so the detectors
        /// see what -Path gives them. <paramref name="dropped"/>: the device's events the cap left out;
        /// <paramref name="connects"/>: its successful connects (the input has some, or not).
        /// </summary>
        internal void AddSummary(string key, string? protocol, string? sdkVersion, long dropped, long connects, IEnumerable<(long Ticks, EntryKind Kind, int Code, ulong AddressHash)> entries)
        {
            HandOverPending();
            bool created = !_timelines.TryGetValue(key, out var timeline);
            if (created) timeline = _timelines.Add(key);

            int added = 0;
            foreach (var (ticks, kind, code, address) in entries)
            {
                if (ticks < DiagnosisThresholds.EarliestPlausibleTime.UtcTicks || ticks > _latestPlausibleTicks)
                {
                    if (_implausible++ == 0) _implausibleSample = ObservedEvent.Implausible(key, ticks);
                    continue;
                }

                timeline.AddEntry(ticks, kind, code, address);
                if (ticks > _lastTicks) _lastTicks = ticks;
                added++;
            }

            timeline.SetSummary(protocol, sdkVersion, dropped);
            EventCount += added;
            _connects += connects;
            if (created && added == 0 && dropped == 0)
            {
                // Nothing usable: no timeline (one made by earlier events stays, with what they gave it).
                _timelines.RemoveLast();
            }
        }

        // The number of the event's timeline, made if new (under _timelinesLock). A module's events are found by the
        // (device, module) pair, so its "device/module" key is made once, not per record.
        [MethodImpl(JitHints.AggressiveOptimization)] // at least once per device and reader thread
        private int TimelineNumberOf(in ObservedEvent e)
        {
            if (e.ModuleId == null)
            {
                int number = _timelines.NumberOfIndexingAll(e.DeviceId!);
                return number >= 0 ? number : _timelines.Add(e.DeviceId!).Number;
            }

            var identity = (e.DeviceId!, e.ModuleId);
            if (!_modules.TryGetValue(identity, out var moduleTimeline))
            {
                string key = e.Key!;
                if (!_timelines.TryGetValue(key, out moduleTimeline)) moduleTimeline = _timelines.Add(key, isModuleKey: true);
                _modules.Add(identity, moduleTimeline);
            }

            return moduleTimeline.Number;
        }

        /// <summary>
        /// Under the lock: the timeline number of a device the read's table of ids knows (<paramref name="keySlots"/>), made
        /// if it has none. The table is the way to a read's timelines (their keys are indexed only when a lookup by key
        /// needs them, <see cref="TimelineIndex.AddUnindexed"/>): on a large hub's day that spares filling and growing the
        /// index for 160,000 keys. A timeline made by key instead (piped events before, a record the lean scan left to
        /// the full parse, a workspace summary; a module's, should the id be spelt like one) is looked for by key first.
        /// </summary>
        private int TimelineNumberOfKnownId(in ObservedEvent e, DeviceKeyTable.Slot[] keySlots)
        {
            var keys = e.KeyTable!;
            int number = keys.CurrentTimelineOf(keySlots, e.KeySlot);
            if (number >= 0) return number; // another reader thread made it meanwhile

            string id = e.DeviceId!;
            bool mayHaveOneByKey = _timelines.DeviceKeysAdded > 0 || (_timelines.ModuleKeysAdded > 0 && id.IndexOf('/') >= 0);
            if (mayHaveOneByKey) number = _timelines.NumberOfIndexingAll(id);
            if (number < 0) number = _timelines.AddUnindexed(id).Number;
            keys.SetCurrentTimeline(keySlots, e.KeySlot, number);
            return number;
        }

        /// <summary>Puts the batched events into their timelines: before anything reads or moves the timelines.</summary>
        private void HandOverPending()
        {
            if (_pending is not { Count: > 0 } pending) return;
            lock (_timelinesLock) Distribute(new List<PendingEvents> { pending });
        }

        /// <summary>
        /// The fast path: reads the files on every core with a lean reader (no event object kept per
        /// record) and adds what it finds. Problems and progress reach <paramref name="reporter"/>.
        /// A large read (<see cref="LargeReadBytes"/> and more) leaves the whole process without garbage collections
        /// when it returns (<see cref="StartLargeReadRegion"/>), and asks for 2 MB pages over the heap
        /// (<see cref="CollectorHeapPages"/>): the caller ends the region with <see cref="Analyze"/> or
        /// <see cref="Dispose"/>.
        /// </summary>
        public void ReadFiles(IReadOnlyList<string> files, ConnectionEventFilter filter, IReporter reporter, CancellationToken cancellationToken)
        {
            WarmUp();

            // One table of device ids for every read of this analyzer: the numbers it notes are this analyzer's timelines'.
            var reader = new ConnectionLogReader(filter, reporter, lean: true) { DeviceKeys = _deviceKeys ??= new DeviceKeyTable(), PartBytes = ReadPartBytes };
            int cores = Math.Max(1, Math.Min(Environment.ProcessorCount, 8));

            // Each reader thread fills its own analyzer: its own batch and counts, the timelines shared (added to under
            // _timelinesLock) so that every thread numbers a device alike; their counts and batches are merged at the end.
            var partials = new DisconnectAnalyzer?[cores];
            long input = 0;
            foreach (var file in files) input += ConnectionLogReader.SizeOf(file);
            if (input >= MinLargeReadInputBytes && CollectorHeapPages.Advise() is AddressRange heap)
            {
                reporter.Verbose($"2 MB pages were asked for over the garbage collector's heap ({heap}) for this large read: fewer page faults on fresh memory. The advice stays on the heap's memory for the rest of this process.");
            }

            if (_largeRead is not { IsOn: true }) _largeRead = StartLargeReadRegion(input, LargeReadBytes);
            try
            {
                reader.ConsumeFilesInParallel(files, cores, worker =>
                {
                    var partial = partials[worker] = new DisconnectAnalyzer(this);
                    return partial.AddRead;
                }, cancellationToken);
                MergePartials(partials.OfType<DisconnectAnalyzer>().ToList());
            }
            catch
            {
                Dispose(); // no analysis follows a failed read
                throw;
            }

            reporter.Verbose($"{reader.RecordsRead} records read from {files.Count} file(s); {reader.MalformedRecords} malformed record(s) skipped.");
        }

        /// <summary>
        /// A large read, and the analysis after it, run without garbage collections (<see cref="NoCollectionRegion"/>,
        /// from <see cref="ReadFiles"/> to the end of <see cref="Analyze"/> or <see cref="Dispose"/>): what the read
        /// allocates is kept to the end (the event buffers, the timelines, the device-id strings), about a sixth of the
        /// input's size on the many-devices benchmark, so a collection would stop every thread to trace it and free
        /// almost nothing; on 160,000 devices the analysis took 0.35 s without its seven collections, 0.5 s with them.
        /// The collection that comes after the region traces what is still in use then: in the command, which still holds
        /// its analyzer, the timelines with the diagnoses (44 MB on a large hub's day, promoted where they lie). Letting go
        /// of the timelines first was tried: the diagnoses alone were then compacted, which took longer.
        /// The budget is half the input, at least <see cref="MinReadRegionBytes"/> and at most
        /// <see cref="MaxReadRegionBytes"/>; past it collections resume. (A quarter ran out in the analysis of
        /// 160,000 devices, 689 MB, whose read and analysis allocate about 210 MB: the one collection then had to
        /// move everything the read had made.) Small reads (under <see cref="LargeReadBytes"/>) are not worth a region.
        /// </summary>
        private static NoCollectionRegion? StartLargeReadRegion(long inputBytes, long largeReadBytes) =>
            inputBytes < largeReadBytes ? null : NoCollectionRegion.Start(Math.Max(MinReadRegionBytes, Math.Min(MaxReadRegionBytes, inputBytes / 2)));

        /// <summary>
        /// From how many bytes of input on a read runs without collections (<see cref="StartLargeReadRegion"/>):
        /// <see cref="MinLargeReadInputBytes"/>; lower in tests, to try the region on a small input.
        /// </summary>
        internal long LargeReadBytes { get; set; } = MinLargeReadInputBytes;

        /// <summary>Ends the large read's region without collections, if it is still on (after a read with no analysis to follow).</summary>
        public void Dispose()
        {
            _largeRead?.Dispose();
            _largeRead = null;
        }

        /// <summary>From this much input on, a read is large: it runs without collections, on a heap of 2 MB pages (<see cref="CollectorHeapPages"/>).</summary>
        private const long MinLargeReadInputBytes = 64L << 20;
        private const long MaxReadRegionBytes = 240L << 20;
        private const long MinReadRegionBytes = 64L << 20; // the readers' event buffers alone take 6 MB a thread

        /// <summary>
        /// Takes in the reader threads' analyzers, which numbered their identities in this analyzer's timelines: their
        /// counts, and the events still waiting in their buffers (<see cref="Distribute"/>). Nothing is looked up again
        /// or renumbered.
        /// </summary>
        private void MergePartials(IReadOnlyList<DisconnectAnalyzer> partials)
        {
            var waiting = new List<PendingEvents>();
            if (_pending is { Count: > 0 } own) waiting.Add(own);
            foreach (var other in partials)
            {
                if (other._lastTicks > _lastTicks) _lastTicks = other._lastTicks;
                EventCount += other.EventCount;
                _connects += other._connects;
                if (_implausible == 0) _implausibleSample = other._implausibleSample;
                _implausible += other._implausible;
                if (other._pending is { Count: > 0 } events) waiting.Add(events);
            }

            Distribute(waiting);
        }

        /// <summary>
        /// Puts the events waiting in <paramref name="buffers"/> into their timelines in one go, then empties the
        /// buffers. Every device's events are written, device after device, into one array (each buffer on a core of its
        /// own), and each timeline takes its stretch of it (<see cref="DeviceTimeline.TakeEntries"/>): a large read makes
        /// one array, not one per device, so the collector has a single object to keep instead of tens of thousands to
        /// copy and trace, and nothing grows step by step. (A buffer that fills up during the read hands its events
        /// over to arrays of the timelines' own instead, <see cref="PendingEvents.HandOver"/>: memory then stays
        /// bounded by the devices however long the read.)
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs over every device and event: skip the slow first JIT tier
        private void Distribute(List<PendingEvents> buffers)
        {
            int devices = _timelines.Count;
            if (buffers.Count == 0) return;

            // Each buffer's events per device; then where device d's stretch starts (start[d]) and where in it each
            // buffer writes (after the buffers before it, so a device's events keep the order they came in).
            var writeAt = new int[buffers.Count][];
            Parallel.For(0, buffers.Count, ParallelOptions, b => buffers[b].CountByDevice(writeAt[b] = new int[devices]));
            var start = new int[devices + 1];
            int total = 0;
            for (int d = 0; d < devices; d++)
            {
                start[d] = total;
                foreach (var counts in writeAt)
                {
                    int count = counts[d];
                    counts[d] = total;
                    total += count;
                }
            }

            start[devices] = total;

            // The array of a batch before (a second read, piped files) goes: its devices copy what they kept of it.
            if (_distributed)
            {
                Parallel.For(0, devices, ParallelOptions, d => _timelines[d].OwnEntries());
            }

            _distributed = true;
            var entries = new TimelineEntry[total];
            HugePages.Advise(entries); // written once, in full
            var latest = new PendingEvents.LatestSeen[buffers.Count];
            Parallel.For(0, buffers.Count, ParallelOptions, b => latest[b] = buffers[b].WriteEntries(entries, writeAt[b]));

            // Timelines are independent: shared out among the cores in slices.
            int slices = Math.Min(64, Math.Max(1, devices / 1024));
            Parallel.For(0, slices, ParallelOptions, slice =>
            {
                for (int d = (int)((long)devices * slice / slices), end = (int)((long)devices * (slice + 1) / slices); d < end; d++)
                {
                    if (start[d + 1] == start[d]) continue;
                    var timeline = _timelines[d];
                    timeline.TakeEntries(entries, start[d], start[d + 1] - start[d]);
                    foreach (var seen in latest) seen.NoteIn(timeline, d);
                }
            });

            foreach (var buffer in buffers) buffer.Clear();
        }

        // A reader thread's sink: the method itself (not a lambda around it), optimised from its first call.
        [MethodImpl(JitHints.AggressiveOptimization)]
        private void AddRead(IoTHubConnectionEvent e) => Add(ObservedEvent.From(e));

        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        private void Add(in ObservedEvent e)
        {
            if (!e.IsUsable) return;
            if (e.Ticks < DiagnosisThresholds.EarliestPlausibleTime.UtcTicks || e.Ticks > _latestPlausibleTicks)
            {
                // A damaged date (year 0001, 9999) would stretch the time span and hide real incidents.
                if (_implausible++ == 0) _implausibleSample = e;
                return;
            }

            if (e.Kind == EntryKind.Connect) _connects++;
            int number;
            // Numbers noted in this analyzer's own table only: another table's (a parser's own) are no timelines of this one.
            var keySlots = e.KeySlots != null && ReferenceEquals(e.KeyTable, _deviceKeys) ? e.KeySlots : null;
            if (keySlots != null && (number = DeviceKeyTable.TimelineOf(keySlots, e.KeySlot)) >= 0)
            {
                // The read's table of device ids remembers this device's timeline: no lookup.
            }
            else if (e.ModuleId != null && _modules.TryGetValue((e.DeviceId!, e.ModuleId), out var module))
            {
                number = module.Number; // this thread's own map of modules: no lock (a number never changes)
            }
            else
            {
                // A device another reader thread met first is found without the lock; a new one is made under it (the
                // timelines are shared by the reader threads). A device the read's table of ids has no number for is
                // nearly always new (the thread that made its timeline noted the number there): it goes to the lock at
                // once, where the table is asked again as it is now (TimelineNumberOfKnownId).
                number = e.ModuleId == null && keySlots == null ? _timelines.NumberOf(e.DeviceId!) : -1;
                if (number < 0)
                {
                    lock (_timelinesLock) number = keySlots != null ? TimelineNumberOfKnownId(e, keySlots) : TimelineNumberOf(e);
                }
            }

            var pending = _pending ??= new PendingEvents(PendingCapacity);
            pending.Add(number, e);
            if (pending.IsFull)
            {
                lock (_timelinesLock) pending.HandOver(_timelines);
            }
            if (e.Ticks > _lastTicks) _lastTicks = e.Ticks;
            EventCount++;
        }

        /// <summary>
        /// Hub-wide incidents first (by time), then the devices' patterns (by device). What the input
        /// leaves out of the analysis (implausible dates, capped devices, no successful connects) is
        /// said to <paramref name="reporter"/> as warnings, and in the evidence of the diagnoses it touches.
        /// </summary>
        /// <param name="reporter">Where warnings about the input go.</param>
        /// <param name="endLargeRead">
        /// Whether a large read's region without collections ends here (see <see cref="StartLargeReadRegion"/>); false
        /// when the caller still has the diagnoses to hand on and ends it itself (<see cref="Dispose"/>): the first
        /// allocation after the region sets off a collection that moves what the read made (25 MB on the
        /// many-devices benchmark), which a caller that ends it after its output spares the command.
        /// </param>
        public IReadOnlyList<IoTHubDisconnectDiagnosis> Analyze(IReporter? reporter = null, bool endLargeRead = true)
        {
            try
            {
                return AnalyzeTimelines(reporter);
            }
            catch
            {
                Dispose(); // nothing follows a failed analysis
                throw;
            }
            finally
            {
                if (endLargeRead) Dispose();
            }
        }

        private IReadOnlyList<IoTHubDisconnectDiagnosis> AnalyzeTimelines(IReporter? reporter)
        {
            HandOverPending();
            bool inputHasConnects = _connects > 0;
            var timelines = new DeviceTimeline[_timelines.Count];
            for (int i = 0; i < timelines.Length; i++) timelines[i] = _timelines[i];

            // Sorting each device's events and, below, looking at each device are independent: use every core.
            var entries = new TimelineEntries[timelines.Length];
            Parallel.For(0, timelines.Length, ParallelOptions, i => entries[i] = timelines[i].Entries());
            WarnAboutInput(reporter); // after Entries(): it is there that a device's events are capped
            var metric = _metric.OrderBy(p => p.Timestamp).ToList();

            var hubWide = new HubWideDetector();
            var incidents = hubWide.Find(timelines, entries);
            var results = new List<IoTHubDisconnectDiagnosis>();
            foreach (var incident in incidents) results.Add(hubWide.Diagnose(incident, timelines, entries, metric));

            // The incidents each device took part in, looked up once (not a search of every incident per device); none
            // at all, most often: then no array of a slot per device.
            var incidentsOf = incidents.Count == 0 ? null : new List<HubWideDetector.Incident>?[timelines.Length];
            foreach (var incident in incidents)
            {
                foreach (int device in incident.Devices) (incidentsOf![device] ??= new List<HubWideDetector.Incident>()).Add(incident);
            }

            // One evidence per thread, loaded with one device after the other (see DeviceEvidence).
            var perDevice = new List<IoTHubDisconnectDiagnosis>?[timelines.Length];
            Parallel.For(0, timelines.Length, ParallelOptions, () => new DeviceEvidence(), (index, _, evidence) =>
            {
                perDevice[index] = Diagnose(evidence, timelines[index], entries[index], incidentsOf?[index], inputHasConnects);
                return evidence;
            }, _ => { });

            // The devices' diagnoses by device name (each device's in the detectors' order).
            int found = 0;
            foreach (var list in perDevice)
            {
                if (list != null) perDevice[found++] = list;
            }

            Array.Sort(perDevice, 0, found, DiagnosesByDevice.Instance);
            for (int i = 0; i < found; i++) results.AddRange(perDevice[i]!);
            return results;
        }

        // One device's diagnoses, null for none (most devices of a fleet).
        [MethodImpl(JitHints.AggressiveOptimization)] // runs for every device: skip the slow first tier
        private List<IoTHubDisconnectDiagnosis>? Diagnose(DeviceEvidence evidence, DeviceTimeline timeline, TimelineEntries all, List<HubWideDetector.Incident>? incidents, bool inputHasConnects)
        {
            // What a hub-wide incident explains is not blamed on the device.
            evidence.Load(timeline, all, incidents, _lastTicks, inputHasConnects);
            List<IoTHubDisconnectDiagnosis>? found = null;
            foreach (var detector in DeviceDetectors)
            {
                var diagnosis = detector.Detect(evidence);
                if (diagnosis == null) continue;
                if (timeline.Dropped > 0)
                {
                    diagnosis.Evidence += $" Only its newest {DeviceTimeline.MaxEntries} events (from {all[0].Time:yyyy-MM-dd HH:mm} UTC) were analysed; {timeline.Dropped} older ones were left out.";
                }

                (found ??= new List<IoTHubDisconnectDiagnosis>()).Add(diagnosis);
            }

            return found;
        }

        private sealed class DiagnosesByDevice : IComparer<List<IoTHubDisconnectDiagnosis>?>
        {
            public static readonly DiagnosesByDevice Instance = new DiagnosesByDevice();

            public int Compare(List<IoTHubDisconnectDiagnosis>? x, List<IoTHubDisconnectDiagnosis>? y) =>
                string.CompareOrdinal(x![0].DeviceId, y![0].DeviceId);
        }

        private void WarnAboutInput(IReporter? reporter)
        {
            if (reporter == null) return;
            if (_implausible > 0)
            {
                reporter.Warning($"{_implausible} event(s) dated before {DiagnosisThresholds.EarliestPlausibleTime:yyyy-MM-dd} or more than {DiagnosisThresholds.LatestPlausibleSkew.TotalDays:0} day after now were left out of the analysis (the first: {_implausibleSample.Key} at {new DateTimeOffset(_implausibleSample.Ticks, TimeSpan.Zero):yyyy-MM-dd HH:mm:ss} UTC). Such dates are damaged records; check the export.");
            }

            if (_connects == 0 && EventCount > 0)
            {
                reporter.Warning("The input holds no successful connects, only errors (Get-IoTHubConnectionError gives only those): reconnect times are unknown and NeverReconnected was not judged. For the whole picture pipe Get-IoTHubConnectionEvent, or use -Path.");
            }

            // The device with the most events left out names the warning (ties: the first by name, so runs agree).
            int capped = 0;
            DeviceTimeline? most = null;
            foreach (var timeline in _timelines)
            {
                if (timeline.Dropped == 0) continue;
                capped++;
                if (most == null || timeline.Dropped > most.Dropped || (timeline.Dropped == most.Dropped && string.CompareOrdinal(timeline.Key, most.Key) < 0)) most = timeline;
            }

            if (most != null)
            {
                reporter.Warning($"{capped} device(s) had more than {DeviceTimeline.MaxEntries} events; only the newest {DeviceTimeline.MaxEntries} of each were analysed (most left out: {most.Key}, {most.Dropped} events). Narrow -StartTime/-EndTime to analyse an earlier period of them.");
            }
        }

        private static readonly ParallelOptions ParallelOptions = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Math.Min(Environment.ProcessorCount, 8)) };
    }
}
