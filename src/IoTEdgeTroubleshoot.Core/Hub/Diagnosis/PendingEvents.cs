using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    /// <summary>
    /// A reader thread's events on their way into the device timelines. Handing each event straight to its
    /// device touches that device's timeline, its list, its arrays and its addresses at random places in
    /// memory: several cache misses per event once a hub has tens of thousands of devices, and most of the
    /// analysis' cost. Here events are appended to one buffer and, when it is full (or before anyone reads
    /// the timelines), handed over grouped by device (a counting sort on the device's number), so a
    /// timeline is touched once per batch instead of once per event. Memory stays bounded: one buffer.
    /// </summary>
    internal sealed class PendingEvents
    {
        internal const int DefaultCapacity = 1 << 18; // 262,144 events, 12 MB: a few per device on a hub of 80,000

        private readonly Entry[] _entries;
        private int[] _order = Array.Empty<int>();
        private int[] _starts = Array.Empty<int>();
        private int _count;

        public PendingEvents(int capacity = DefaultCapacity) => _entries = new Entry[Math.Max(1, capacity)];

        public int Count => _count;

        public bool IsFull => _count == _entries.Length;

        /// <summary>Keeps the event for the timeline numbered <paramref name="device"/>; call <see cref="HandOver"/> when full.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int device, in ObservedEvent e)
        {
            _entries[_count++] = new Entry(device, e.Ticks, e.Kind, e.Code, e.AddressHash, e.Protocol, e.SdkVersion);
        }

        /// <summary>
        /// Gives every kept event to its timeline (<paramref name="timelines"/>[number]), each device's events together
        /// and in the order they came, then empties the buffer.
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs over every event: skip the slow first JIT tier
        public void HandOver(List<DeviceTimeline> timelines)
        {
            int count = _count;
            if (count == 0) return;
            int devices = timelines.Count;
            if (_starts.Length < devices + 1) _starts = new int[Math.Max(devices + 1, _starts.Length * 2)];
            if (_order.Length < count) _order = new int[_entries.Length];
            var starts = _starts;
            var order = _order;
            var entries = _entries;

            // Counting sort by device: how many each has, where each device's run starts, then every event's place.
            Array.Clear(starts, 0, devices + 1);
            for (int i = 0; i < count; i++) starts[entries[i].Device + 1]++;
            for (int d = 0; d < devices; d++) starts[d + 1] += starts[d];
            for (int i = 0; i < count; i++) order[starts[entries[i].Device]++] = i;

            // starts[d] is now where device d's run ends (and device d+1's begins).
            int runStart = 0;
            for (int d = 0; d < devices; d++)
            {
                int runEnd = starts[d];
                if (runEnd == runStart) continue;
                var timeline = timelines[d];
                for (int k = runStart; k < runEnd; k++)
                {
                    ref readonly Entry entry = ref entries[order[k]];
                    timeline.Add(entry.Ticks, entry.Kind, entry.Code, entry.AddressHash, entry.Protocol, entry.SdkVersion);
                }

                runStart = runEnd;
            }

            Array.Clear(entries, 0, count); // let go of the strings
            _count = 0;
        }

        private readonly struct Entry
        {
            public Entry(int device, long ticks, EntryKind kind, int code, ulong addressHash, string? protocol, string? sdkVersion)
            {
                Device = device;
                Ticks = ticks;
                Kind = kind;
                Code = code;
                AddressHash = addressHash;
                Protocol = protocol;
                SdkVersion = sdkVersion;
            }

            public readonly long Ticks;
            public readonly ulong AddressHash;
            public readonly string? Protocol;
            public readonly string? SdkVersion;
            public readonly int Device;
            public readonly int Code;
            public readonly EntryKind Kind;
        }
    }
}
