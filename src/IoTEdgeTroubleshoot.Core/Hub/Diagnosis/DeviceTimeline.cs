using System;
using System.Runtime.CompilerServices;
using IoTEdgeTroubleshoot.Platform;
using System.Collections.Generic;
using System.Globalization;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    internal enum EntryKind : byte
    {
        Connect,
        CleanDisconnect,
        ErrorDisconnect,
        ConnectFailure,
    }

    /// <summary>One event of one device, in 16 bytes: what the analysis needs and nothing more.</summary>
    internal readonly struct TimelineEntry : IComparable<TimelineEntry>, IEquatable<TimelineEntry>
    {
        public TimelineEntry(long ticks, EntryKind kind, int code, byte ipIndex)
        {
            Ticks = ticks;
            Kind = kind;
            Code = code;
            IpIndex = ipIndex;
        }

        public long Ticks { get; }

        public EntryKind Kind { get; }

        /// <summary>The result type as a number (404104); 0 for none, -1 for a code that is not a number.</summary>
        public int Code { get; }

        /// <summary>Index into the device's masked IP addresses (0 when unknown).</summary>
        public byte IpIndex { get; }

        public DateTimeOffset Time => new DateTimeOffset(Ticks, TimeSpan.Zero);

        public bool IsDisconnect => Kind == EntryKind.CleanDisconnect || Kind == EntryKind.ErrorDisconnect;

        public int CompareTo(TimelineEntry other)
        {
            int byTime = Ticks.CompareTo(other.Ticks);
            if (byTime != 0) return byTime;
            int byKind = ((byte)Kind).CompareTo((byte)other.Kind);
            return byKind != 0 ? byKind : Code.CompareTo(other.Code);
        }

        public bool Equals(TimelineEntry other) => Ticks == other.Ticks && Kind == other.Kind && Code == other.Code;

        public override bool Equals(object? obj) => obj is TimelineEntry other && Equals(other);

        public override int GetHashCode() => Ticks.GetHashCode() ^ ((int)Kind << 24) ^ Code;
    }

    /// <summary>
    /// What the analysis keeps of one device: its events as 16-byte entries (at most
    /// <see cref="MaxEntries"/>, the newest kept), its latest protocol and SDK, and the
    /// masked IP addresses it used. Memory grows with devices, not with the log's length.
    /// </summary>
    internal sealed class DeviceTimeline
    {
        public const int MaxEntries = DiagnosisThresholds.MaxEventsPerDevice;
        private const int MaxAddresses = 15;

        [ThreadStatic]
        private static TimelineEntry[]? s_sortScratch; // Compact runs on the analysis' threads, a device at a time

        private List<TimelineEntry> _entries = new List<TimelineEntry>();
        private long _protocolTicks = long.MinValue;
        private long _sdkTicks = long.MinValue;
        private bool _sorted = true;

        public DeviceTimeline(string key) => Key = key;

        /// <summary>"device" or "device/module": each identity keeps its own connection.</summary>
        public string Key { get; }


        public string? Protocol { get; private set; }

        public string? SdkVersion { get; private set; }

        /// <summary>Masked IP addresses seen (as <see cref="AddressHash"/>es), index + 1 = the entry's IpIndex.</summary>
        public List<ulong> Addresses { get; private set; } = new List<ulong>();

        /// <summary>Entries dropped because the device had more than <see cref="MaxEntries"/>.</summary>
        public long Dropped { get; private set; }

        /// <summary>The analyzer's number for this timeline (its place in the analyzer's list), for batching events by device.</summary>
        internal int Number { get; set; }

        /// <summary>Room for <paramref name="more"/> entries in one step (a batch of known size is coming).</summary>
        public void Reserve(int more)
        {
            // Never more than Add keeps before it compacts (2 x MaxEntries): a chatty device's batch must not size its list.
            int needed = Math.Min(_entries.Count + more, 2 * MaxEntries);
            if (needed > _entries.Capacity) _entries.Capacity = _entries.Count == 0 ? needed : Math.Min(Math.Max(needed, _entries.Count * 2), 2 * MaxEntries);
        }

        public void Add(in ObservedEvent e) => Add(e.Ticks, e.Kind, e.Code, e.AddressHash, e.Protocol, e.SdkVersion);

        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        public void Add(long ticks, EntryKind kind, int code, ulong addressHash, string? protocol, string? sdkVersion)
        {
            byte ip = AddressIndex(addressHash);
            if (_entries.Count > 0 && ticks < _entries[_entries.Count - 1].Ticks) _sorted = false;
            _entries.Add(new TimelineEntry(ticks, kind, code, ip));
            if (protocol != null && ticks >= _protocolTicks)
            {
                Protocol = protocol;
                _protocolTicks = ticks;
            }

            if (sdkVersion != null && ticks >= _sdkTicks)
            {
                SdkVersion = sdkVersion;
                _sdkTicks = ticks;
            }

            if (_entries.Count >= 2 * MaxEntries) Compact(MaxEntries);
        }

        /// <summary>
        /// One entry of a summary computed elsewhere (Log Analytics): the same entry a read event would give,
        /// without an event object. <paramref name="addressHash"/> as <see cref="AddressHash"/> makes it (0: none).
        /// </summary>
        public void AddEntry(long ticks, EntryKind kind, int code, ulong addressHash)
        {
            if (_entries.Count > 0 && ticks < _entries[_entries.Count - 1].Ticks) _sorted = false;
            _entries.Add(new TimelineEntry(ticks, kind, code, AddressIndex(addressHash)));
            if (_entries.Count >= 2 * MaxEntries) Compact(MaxEntries);
        }

        /// <summary>The latest protocol and SDK and the events left out, as the summary says them.</summary>
        public void SetSummary(string? protocol, string? sdkVersion, long dropped)
        {
            Protocol = protocol;
            SdkVersion = sdkVersion;
            Dropped += dropped;
        }

        /// <summary>Takes in the entries another reader thread collected for the same identity.</summary>
        public void MergeFrom(DeviceTimeline other)
        {
            // Copy the smaller side into the larger one: take over the other's lists when they are longer.
            // (The order of the entries does not matter: they are sorted before use. The other timeline is
            // a reader thread's partial one, dropped after the merge, so sharing its lists is safe.)
            var incoming = other._entries;
            var incomingAddresses = other.Addresses;
            if (incoming.Count > _entries.Count)
            {
                (incoming, _entries) = (_entries, incoming);
                (incomingAddresses, Addresses) = (Addresses, incomingAddresses);
                _sorted = other._sorted;
            }

            Reserve(incoming.Count);

            foreach (var e in incoming)
            {
                byte ip = e.IpIndex == 0 ? (byte)0 : AddressIndex(incomingAddresses[e.IpIndex - 1]);
                if (_entries.Count > 0 && e.Ticks < _entries[_entries.Count - 1].Ticks) _sorted = false;
                _entries.Add(new TimelineEntry(e.Ticks, e.Kind, e.Code, ip));
            }

            if (other.Protocol != null && other._protocolTicks >= _protocolTicks)
            {
                Protocol = other.Protocol;
                _protocolTicks = other._protocolTicks;
            }

            if (other.SdkVersion != null && other._sdkTicks >= _sdkTicks)
            {
                SdkVersion = other.SdkVersion;
                _sdkTicks = other._sdkTicks;
            }

            Dropped += other.Dropped;
            if (_entries.Count >= 2 * MaxEntries) Compact(MaxEntries);
        }

        /// <summary>The entries in time order, duplicates removed (the hub may log a record twice).</summary>
        public List<TimelineEntry> Entries()
        {
            Compact(MaxEntries);
            return _entries;
        }

        [MethodImpl(JitHints.AggressiveOptimization)] // runs once over every event: skip the slow first tier
        private void Compact(int keep)
        {
            if (!_sorted)
            {
                // Our own sort, optimised from its first call: List.Sort runs CoreLib's sort for this struct unoptimised
                // in a fresh process (a tenth of a second of the first analysis, over every out-of-order device).
                int count = _entries.Count;
                // The thread keeps its scratch up to the longest a list gets between compactions (4 x MaxEntries, 256 KB).
                var sorting = Stats.Scratch(ref s_sortScratch, count, keepUpTo: 4 * MaxEntries);
                _entries.CopyTo(sorting);
                Stats.Sort(sorting, count);
                for (int i = 0; i < count; i++) _entries[i] = sorting[i];
                _sorted = true;
            }

            int write = 0;
            for (int read = 0; read < _entries.Count; read++)
            {
                if (write > 0 && _entries[read].Equals(_entries[write - 1])) continue;
                _entries[write++] = _entries[read];
            }

            _entries.RemoveRange(write, _entries.Count - write);
            if (_entries.Count > keep)
            {
                int excess = _entries.Count - keep;
                Dropped += excess;
                _entries.RemoveRange(0, excess);
            }
        }

        private byte AddressIndex(ulong address)
        {
            if (address == 0) return 0;
            int index = Addresses.IndexOf(address);
            if (index >= 0) return (byte)(index + 1);
            if (Addresses.Count >= MaxAddresses) return 0;
            Addresses.Add(address);
            return (byte)Addresses.Count;
        }

        internal static int ParseCode(string resultType)
        {
            if (string.IsNullOrEmpty(resultType)) return 0;
            return int.TryParse(resultType, NumberStyles.None, CultureInfo.InvariantCulture, out int code) ? code : -1;
        }
    }
}
