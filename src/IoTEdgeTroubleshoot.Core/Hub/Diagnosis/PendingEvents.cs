using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    /// <summary>
    /// A reader thread's events on their way into the device timelines. Handing each event straight to its
    /// device touches that device's timeline, its list, its arrays and its addresses at random places in
    /// memory (several cache misses per event once a hub has tens of thousands of devices), and grows every
    /// device's list step by step, which leaves garbage for the collector that stops all reader threads.
    /// Here events are appended to chunks of 24-byte entries. When the buffer is full (<see cref="IsFull"/>) they are
    /// handed over grouped by device (a counting sort on the device's number, <see cref="HandOver"/>), each timeline
    /// touched once and sized once (never past what it keeps); when the timelines are read, the analyzer writes every
    /// buffer's events into one array for all devices instead (<see cref="CountByDevice"/>, <see cref="WriteEntries"/>).
    /// Memory stays bounded by the capacity.
    /// </summary>
    internal sealed class PendingEvents
    {
        /// <summary>1M events (about 24 MB) at most before a hand-over: a reader thread's share of a large hub's day in one go.</summary>
        internal const int DefaultCapacity = 1 << 20;

        private const int ChunkShift = 18; // 262,144 events (6 MB) a chunk: two whole 2 MB pages inside at least (HugePages)
        private const int ChunkSize = 1 << ChunkShift;

        // Protocols and SDK versions are kept as numbers into _texts (0: none), so that an entry holds no reference: 24
        // bytes instead of 48, and chunks the collector never has to look into. A reader has a handful of distinct
        // values; should one meet this many, the buffer counts as full and is handed over (which empties the table).
        private const int MaxTexts = ushort.MaxValue - 2;
        private readonly TextNumbers _texts = new TextNumbers();
        private (string? Text, ushort Number) _lastProtocol, _lastSdk; // most records repeat the one before

        private readonly List<Entry[]> _chunks = new List<Entry[]>();
        private readonly int _capacity;
        private int[] _order = Array.Empty<int>();
        private int[] _ends = Array.Empty<int>();
        private int _groupedDevices;
        private int _count;

        public PendingEvents(int capacity = DefaultCapacity) => _capacity = Math.Max(1, capacity);

        public int Count => _count;

        public bool IsFull
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)] // asked after every event
            get => _count >= _capacity || _texts.Count >= MaxTexts;
        }

        /// <summary>Keeps the event for the timeline numbered <paramref name="device"/>; call <see cref="HandOver"/> when full.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int device, in ObservedEvent e)
        {
            int chunk = _count >> ChunkShift;
            if (chunk == _chunks.Count) AddChunk();
            _chunks[chunk][_count & (ChunkSize - 1)] = new Entry(device, e.Ticks, e.Kind, e.Code, e.AddressHash, NumberOf(e.Protocol, ref _lastProtocol), NumberOf(e.SdkVersion, ref _lastSdk));
            _count++;
        }

        private void AddChunk()
        {
            var chunk = new Entry[Math.Min(ChunkSize, _capacity)];
            HugePages.Advise(chunk); // written once, in full, by a large read
            _chunks.Add(chunk);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private ushort NumberOf(string? text, ref (string? Text, ushort Number) last)
        {
            if (text == null) return 0;
            if (ReferenceEquals(text, last.Text)) return last.Number;
            ushort number = _texts.NumberOf(text);
            last = (text, number);
            return number;
        }

        /// <summary>
        /// Gives every kept event to its timeline (<paramref name="timelines"/>[number]), each device's events together
        /// and in the order they came, then empties the buffer (its chunks are kept for the next events).
        /// </summary>
        public void HandOver(IReadOnlyList<DeviceTimeline> timelines)
        {
            if (_count == 0) return;
            GroupByDevice(timelines.Count);
            for (int d = 0; d < timelines.Count; d++)
            {
                int length = RunLength(d);
                if (length == 0) continue;
                timelines[d].Reserve(length);
                AddRun(d, timelines[d]);
            }

            Clear();
        }

        /// <summary>
        /// Orders the kept events by device (a counting sort on the device's number, <paramref name="devices"/> of them),
        /// each device's in the order they came; then <see cref="RunLength"/> and <see cref="AddRun"/> read them (the
        /// steps of <see cref="HandOver"/>).
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs over every event: skip the slow first JIT tier
        private void GroupByDevice(int devices)
        {
            int count = _count;
            if (_ends.Length < devices + 1) _ends = new int[Math.Max(devices + 1, _ends.Length * 2)];
            if (_order.Length < count) _order = new int[Math.Max(count, Math.Min(_capacity, _order.Length * 2))];
            var ends = _ends;
            var order = _order;

            // How many each device has (ends[d + 1]), where each device's run starts (ends[d]), then every event's place;
            // placing moves ends[d] to where device d's run ends, so afterwards device d's run is ends[d - 1]..ends[d].
            Array.Clear(ends, 0, devices + 1);
            for (int i = 0; i < count; i++) ends[EntryAt(i).Device + 1]++;
            for (int d = 0; d < devices; d++) ends[d + 1] += ends[d];
            for (int i = 0; i < count; i++) order[ends[EntryAt(i).Device]++] = i;
            _groupedDevices = devices;
        }

        /// <summary>How many kept events device <paramref name="device"/> has (after <see cref="GroupByDevice"/>).</summary>
        private int RunLength(int device) => device >= _groupedDevices ? 0 : _ends[device] - RunStart(device);

        /// <summary>Adds device <paramref name="device"/>'s kept events to <paramref name="timeline"/> (after <see cref="GroupByDevice"/>).</summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs over every event: skip the slow first JIT tier
        private void AddRun(int device, DeviceTimeline timeline)
        {
            if (device >= _groupedDevices) return;
            var order = _order;
            for (int k = RunStart(device), end = _ends[device]; k < end; k++)
            {
                ref readonly Entry entry = ref EntryAt(order[k]);
                timeline.Add(entry.Timeline, _texts[entry.Protocol], _texts[entry.SdkVersion]);
            }
        }

        /// <summary>Adds how many kept events each device has to <paramref name="counts"/>[device number].</summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs over every event: skip the slow first JIT tier
        public void CountByDevice(int[] counts)
        {
            for (int i = 0; i < _count; i++) counts[EntryAt(i).Device]++;
        }

        /// <summary>
        /// Writes every kept event as a timeline entry into <paramref name="entries"/>, device d's at
        /// <paramref name="writeAt"/>[d] and after (which it moves on), in the order they came; and returns each device's
        /// latest protocol and SDK, which stay readable until the buffer is emptied. One pass, in the order the events are kept.
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs over every event: skip the slow first JIT tier
        public LatestSeen WriteEntries(TimelineEntry[] entries, int[] writeAt)
        {
            var latest = new LatestSeen(writeAt.Length, _texts);
            for (int i = 0; i < _count; i++)
            {
                ref readonly Entry entry = ref EntryAt(i);
                entries[writeAt[entry.Device]++] = entry.Timeline;
                if ((entry.Protocol | entry.SdkVersion) != 0) latest.Note(entry.Device, entry.Ticks, entry.Protocol, entry.SdkVersion);
            }

            return latest;
        }

        /// <summary>
        /// Each device's latest protocol and SDK in a batch (by event time; of equal times, the later kept). Kept as the
        /// buffer's numbers, a device's four values side by side: noting them is one memory access and no reference
        /// store per event; the texts are looked up once per device.
        /// </summary>
        internal sealed class LatestSeen
        {
            private readonly Seen[] _seen;
            private readonly TextNumbers _texts;

            public LatestSeen(int devices, TextNumbers texts)
            {
                _seen = new Seen[devices];
                _texts = texts;
            }

            [MethodImpl(MethodImplOptions.AggressiveInlining)] // once per event of a batch
            public void Note(int device, long ticks, ushort protocol, ushort sdk)
            {
                ref Seen seen = ref _seen[device];
                if (protocol != 0 && (seen.Protocol == 0 || ticks >= seen.ProtocolTicks))
                {
                    seen.Protocol = protocol;
                    seen.ProtocolTicks = ticks;
                }

                if (sdk != 0 && (seen.Sdk == 0 || ticks >= seen.SdkTicks))
                {
                    seen.Sdk = sdk;
                    seen.SdkTicks = ticks;
                }
            }

            /// <summary>Hands device <paramref name="device"/>'s latest values to its timeline.</summary>
            public void NoteIn(DeviceTimeline timeline, int device)
            {
                ref readonly Seen seen = ref _seen[device];
                if ((seen.Protocol | seen.Sdk) != 0) timeline.NoteLatest(_texts[seen.Protocol], seen.ProtocolTicks, _texts[seen.Sdk], seen.SdkTicks);
            }

            private struct Seen
            {
                public long ProtocolTicks;
                public long SdkTicks;
                public ushort Protocol; // numbers into the buffer's texts, 0 for none
                public ushort Sdk;
            }
        }

        /// <summary>Empties the buffer; its chunks stay for the next events (they hold no references: nothing to clear).</summary>
        public void Clear()
        {
            _count = 0;
            _groupedDevices = 0;
            _texts.Clear();
            _lastProtocol = _lastSdk = default;
        }

        private int RunStart(int device) => device == 0 ? 0 : _ends[device - 1];

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private ref Entry EntryAt(int index) => ref _chunks[index >> ChunkShift][index & (ChunkSize - 1)];

        // 24 bytes: the timeline entry as it will be (time and kind packed, the address folded), the device's number, and
        // the protocol and SDK as numbers into _texts.
        private readonly struct Entry
        {
            public Entry(int device, long ticks, EntryKind kind, int code, ulong addressHash, ushort protocol, ushort sdkVersion)
            {
                _timeAndKind = TimelineEntry.PackTimeAndKind(ticks, kind);
                _address = TimelineEntry.FoldAddress(addressHash);
                Code = code;
                Device = device;
                Protocol = protocol;
                SdkVersion = sdkVersion;
            }

            private readonly ulong _timeAndKind;
            private readonly uint _address;
            public readonly int Code;
            public readonly int Device;
            public readonly ushort Protocol; // numbers into _texts
            public readonly ushort SdkVersion;

            public long Ticks => (long)(_timeAndKind >> 2);

            public TimelineEntry Timeline => TimelineEntry.FromPacked(_timeAndKind, Code, _address);
        }
    }
}
