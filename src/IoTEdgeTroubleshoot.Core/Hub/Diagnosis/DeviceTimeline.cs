using System;
using System.Runtime.CompilerServices;
using IoTEdgeTroubleshoot.Platform;
using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    internal enum EntryKind : byte
    {
        Connect,
        CleanDisconnect,
        ErrorDisconnect,
        ConnectFailure,
    }

    /// <summary>
    /// One event of one device, in 16 bytes: what the analysis needs and nothing more. A large hub's day holds a million
    /// of them, written once by the read and read again by every step of the analysis, so their size is memory and time.
    /// </summary>
    internal readonly struct TimelineEntry : IComparable<TimelineEntry>, IEquatable<TimelineEntry>
    {
        // The time and the kind in one number, ticks << 2 | kind: ordered as (time, kind) are, in one comparison. Ticks of a
        // DateTimeOffset (at most 3.2e18) fit in 62 bits; the four kinds in 2.
        private readonly ulong _timeAndKind;
        private readonly int _code;
        private readonly uint _address;

        public TimelineEntry(long ticks, EntryKind kind, int code, ulong addressHash)
            : this(PackTimeAndKind(ticks, kind), code, FoldAddress(addressHash))
        {
        }

        private TimelineEntry(ulong timeAndKind, int code, uint address)
        {
            _timeAndKind = timeAndKind;
            _code = code;
            _address = address;
        }

        /// <summary>An entry from values already packed and folded (<see cref="PackTimeAndKind"/>, <see cref="FoldAddress"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static TimelineEntry FromPacked(ulong timeAndKind, int code, uint address) => new TimelineEntry(timeAndKind, code, address);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static ulong PackTimeAndKind(long ticks, EntryKind kind)
        {
            if ((ulong)ticks > MaxTicks) throw new ArgumentOutOfRangeException(nameof(ticks), ticks, "Not the ticks of a date.");
            return ((ulong)ticks << 2) | ((uint)kind & 3);
        }

        /// <summary>
        /// A 64-bit <see cref="Diagnosis.AddressHash"/> in 32 bits (0 stays 0, nothing else becomes 0). Addresses are only
        /// told apart within one device, which has tens of them: two of them folding together is a chance in millions.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static uint FoldAddress(ulong hash)
        {
            uint folded = (uint)(hash ^ (hash >> 32));
            return folded == 0 && hash != 0 ? 1u : folded;
        }

        private const ulong MaxTicks = ulong.MaxValue >> 2;

        public long Ticks => (long)(_timeAndKind >> 2);

        public EntryKind Kind => (EntryKind)(_timeAndKind & 3);

        /// <summary>The result type as a number (404104); 0 for none, -1 for a code that is not a number.</summary>
        public int Code => _code;

        /// <summary>
        /// The masked IP address as an <see cref="Diagnosis.AddressHash"/> folded to 32 bits (0 when unknown): kept in the
        /// entry, not as an index into a list of the device's addresses, so that a timeline holds no list that grows with
        /// each new address (one per record on a large hub), and the addresses are told apart where they are counted.
        /// </summary>
        public ulong AddressHash => _address;

        public DateTimeOffset Time => new DateTimeOffset(Ticks, TimeSpan.Zero);

        public bool IsDisconnect => Kind == EntryKind.CleanDisconnect || Kind == EntryKind.ErrorDisconnect;

        public int CompareTo(TimelineEntry other)
        {
            int byTimeAndKind = _timeAndKind.CompareTo(other._timeAndKind);
            if (byTimeAndKind != 0) return byTimeAndKind;
            int byCode = _code.CompareTo(other._code);

            // Last the address, so that the order never depends on the order events came in (reader threads hand over
            // in turns): of duplicates (Equals: the same time, kind and code) the one with the lowest hash is kept.
            return byCode != 0 ? byCode : _address.CompareTo(other._address);
        }

        public bool Equals(TimelineEntry other) => _timeAndKind == other._timeAndKind && _code == other._code;

        public override bool Equals(object? obj) => obj is TimelineEntry other && Equals(other);

        public override int GetHashCode() => _timeAndKind.GetHashCode() ^ _code;
    }

    /// <summary>
    /// What the analysis keeps of one device: its events as 16-byte entries (at most
    /// <see cref="MaxEntries"/>, the newest kept, each with its masked IP address as a hash) and
    /// its latest protocol and SDK. Memory grows with devices (and one batch of events), not with the log's length.
    /// </summary>
    internal sealed class DeviceTimeline
    {
        public const int MaxEntries = DiagnosisThresholds.MaxEventsPerDevice;

        [ThreadStatic]
        private static TimelineEntry[]? s_sortScratch; // Compact runs on the analysis' threads, a device at a time

        // The entries: _count of them from _items[_start]; up to _room may be written there. _items is the timeline's
        // own array, or the one a whole batch of devices was sorted into (TakeEntries), where the next device's
        // stretch follows: growing past _room always moves the entries to an array of the timeline's own.
        private TimelineEntry[] _items = Array.Empty<TimelineEntry>();
        private int _start;
        private int _count;
        private int _room;
        private bool _shared; // _items is a batch's array, not the timeline's own
        private long _protocolTicks = long.MinValue;
        private long _sdkTicks = long.MinValue;
        private bool _sorted = true;

        public DeviceTimeline(string key) => Key = key;

        /// <summary>"device" or "device/module": each identity keeps its own connection.</summary>
        public string Key { get; }


        public string? Protocol { get; private set; }

        public string? SdkVersion { get; private set; }

        /// <summary>Entries dropped because the device had more than <see cref="MaxEntries"/>.</summary>
        public long Dropped { get; private set; }

        /// <summary>The analyzer's number for this timeline (its place in the analyzer's list), for batching events by device.</summary>
        internal int Number { get; set; }

        /// <summary>Room for <paramref name="more"/> entries in one step (a batch of known size is coming).</summary>
        public void Reserve(int more)
        {
            // Never more than Add keeps before it compacts (2 x MaxEntries): a chatty device's batch must not size its list.
            int needed = Math.Min(_count + more, 2 * MaxEntries);
            if (needed > _room) MoveTo(_count == 0 ? needed : Math.Min(Math.Max(needed, _count * 2), 2 * MaxEntries));
        }

        /// <summary>
        /// Takes <paramref name="count"/> entries that were written for this timeline into <paramref name="shared"/> from
        /// <paramref name="start"/> on (a batch of many devices sorted by device, each device's stretch after the other):
        /// an empty timeline reads them where they are, one that has entries copies them.
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs over every device of a batch: skip the slow first JIT tier
        public void TakeEntries(TimelineEntry[] shared, int start, int count)
        {
            if (count == 0) return;
            if (_count == 0)
            {
                _items = shared;
                _shared = true;
                _start = start;
                _room = count;
                _count = count;
                _sorted = true; // nothing before them: in order unless two of them are not
                for (int i = start + 1; i < start + count && _sorted; i++) _sorted = shared[i - 1].CompareTo(shared[i]) <= 0;
            }
            else
            {
                // As Add does: never past 2 x MaxEntries without compacting, whatever the stretch's length.
                Reserve(count);
                for (int i = start; i < start + count; i++)
                {
                    Append(shared[i]);
                    if (_count >= 2 * MaxEntries) Compact(MaxEntries);
                }
            }

            if (_count >= 2 * MaxEntries) Compact(MaxEntries);
        }

        /// <summary>
        /// Moves entries read in a batch's array (<see cref="TakeEntries"/>) to an array of the timeline's own, sized to them:
        /// before the next batch, so that no batch's array is kept alive by the devices it had.
        /// </summary>
        public void OwnEntries()
        {
            if (_shared) MoveTo(Math.Max(_count, 1));
        }

        /// <summary>The latest protocol and SDK of a batch given through <see cref="TakeEntries"/>, with their times.</summary>
        public void NoteLatest(string? protocol, long protocolTicks, string? sdkVersion, long sdkTicks)
        {
            if (protocol != null && protocolTicks >= _protocolTicks)
            {
                Protocol = protocol;
                _protocolTicks = protocolTicks;
            }

            if (sdkVersion != null && sdkTicks >= _sdkTicks)
            {
                SdkVersion = sdkVersion;
                _sdkTicks = sdkTicks;
            }
        }

        private void Append(in TimelineEntry entry)
        {
            if (_count == _room) MoveTo(Math.Max(4, Math.Min(_count * 2, 2 * MaxEntries)));
            if (_count > 0 && entry.CompareTo(_items[_start + _count - 1]) < 0) _sorted = false;
            _items[_start + _count++] = entry;
        }

        // The entries into an array of the timeline's own with room for capacity of them.
        private void MoveTo(int capacity)
        {
            var items = new TimelineEntry[capacity];
            Array.Copy(_items, _start, items, 0, _count);
            _items = items;
            _shared = false;
            _start = 0;
            _room = capacity;
        }

        public void Add(in ObservedEvent e) => Add(e.Ticks, e.Kind, e.Code, e.AddressHash, e.Protocol, e.SdkVersion);

        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        public void Add(long ticks, EntryKind kind, int code, ulong addressHash, string? protocol, string? sdkVersion) =>
            Add(new TimelineEntry(ticks, kind, code, addressHash), protocol, sdkVersion);

        /// <summary>An entry made already (a reader buffer's), with the protocol and SDK the event came with.</summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record of a hand-over goes through it
        public void Add(in TimelineEntry entry, string? protocol, string? sdkVersion)
        {
            Append(entry);
            long ticks = entry.Ticks;
            NoteLatest(protocol, ticks, sdkVersion, ticks);
            if (_count >= 2 * MaxEntries) Compact(MaxEntries);
        }

        /// <summary>
        /// One entry of a summary computed elsewhere (Log Analytics): the same entry a read event would give,
        /// without an event object. <paramref name="addressHash"/> as <see cref="AddressHash"/> makes it (0: none).
        /// </summary>
        public void AddEntry(long ticks, EntryKind kind, int code, ulong addressHash)
        {
            Append(new TimelineEntry(ticks, kind, code, addressHash));
            if (_count >= 2 * MaxEntries) Compact(MaxEntries);
        }

        /// <summary>The latest protocol and SDK and the events left out, as the summary says them.</summary>
        public void SetSummary(string? protocol, string? sdkVersion, long dropped)
        {
            Protocol = protocol;
            SdkVersion = sdkVersion;
            Dropped += dropped;
        }

        /// <summary>The entries in time order, duplicates removed (the hub may log a record twice).</summary>
        public TimelineEntries Entries()
        {
            Compact(MaxEntries);
            return new TimelineEntries(_items, _start, _count);
        }

        [MethodImpl(JitHints.AggressiveOptimization)] // runs once over every event: skip the slow first tier
        private void Compact(int keep)
        {
            if (!_sorted)
            {
                // Our own sort, optimised from its first call (List.Sort runs CoreLib's sort for this struct unoptimised
                // in a fresh process), which merges the runs in time order that a device's events arrive in.
                // The thread keeps its scratch up to 4 x MaxEntries (384 KB): twice what Add lets a timeline reach between
                // compactions; a longer stretch taken from a batch's array gets a scratch of its own.
                var scratch = Stats.Scratch(ref s_sortScratch, _count, keepUpTo: 4 * MaxEntries);
                Stats.SortRuns(_items, _start, _count, scratch);
                _sorted = true;
            }

            var items = _items;
            int write = _start;
            for (int read = _start; read < _start + _count; read++)
            {
                if (write > _start && items[read].Equals(items[write - 1])) continue;
                items[write++] = items[read];
            }

            _count = write - _start;
            if (_count > keep)
            {
                // The newest are kept: moved to the front of the timeline's own array; in a batch's array they
                // start later instead (the stretch before them belongs to no one else either way).
                int excess = _count - keep;
                Dropped += excess;
                if (_shared)
                {
                    _start += excess;
                    _room -= excess;
                }
                else
                {
                    Array.Copy(items, _start + excess, items, _start, keep);
                }

                _count = keep;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)] // once per record of the analysis
        internal static int ParseCode(string resultType)
        {
            if (string.IsNullOrEmpty(resultType)) return 0;

            // int.TryParse(NumberStyles.None) by hand: ASCII digits only, -1 for anything else or past int.MaxValue.
            // Once per record of the analysis, so no call into the framework's parser (see ByteScan).
            long code = 0;
            for (int i = 0; i < resultType.Length; i++)
            {
                uint digit = (uint)(resultType[i] - '0');
                if (digit <= 9)
                {
                    code = code * 10 + digit;
                    if (code > int.MaxValue) return -1;
                    continue;
                }

                // Like the framework's parse, trailing NUL characters after at least one digit are ignored.
                if (i == 0) return -1;
                for (; i < resultType.Length; i++)
                {
                    if (resultType[i] != '\0') return -1;
                }
            }

            return (int)code;
        }
    }
}
