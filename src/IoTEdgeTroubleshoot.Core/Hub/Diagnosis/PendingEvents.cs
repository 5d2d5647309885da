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
    /// Here events are appended to chunks and handed over grouped by device (a counting sort on the device's
    /// number) when someone reads the timelines, or when <see cref="Capacity"/> is reached: each timeline is
    /// then touched once and its list sized once, exactly. Memory stays bounded by the capacity.
    /// </summary>
    internal sealed class PendingEvents
    {
        /// <summary>1M events (about 48 MB) at most before a hand-over: a reader thread's share of a large hub's day in one go.</summary>
        internal const int DefaultCapacity = 1 << 20;

        private const int ChunkShift = 16; // 65,536 events (3 MB) a chunk
        private const int ChunkSize = 1 << ChunkShift;

        private readonly List<Entry[]> _chunks = new List<Entry[]>();
        private readonly int _capacity;
        private int[] _order = Array.Empty<int>();
        private int[] _starts = Array.Empty<int>();
        private int _count;

        public PendingEvents(int capacity = DefaultCapacity) => _capacity = Math.Max(1, capacity);

        public int Count => _count;

        public bool IsFull => _count >= _capacity;

        /// <summary>Keeps the event for the timeline numbered <paramref name="device"/>; call <see cref="HandOver"/> when full.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int device, in ObservedEvent e)
        {
            int chunk = _count >> ChunkShift;
            if (chunk == _chunks.Count) _chunks.Add(new Entry[Math.Min(ChunkSize, _capacity)]);
            _chunks[chunk][_count & (ChunkSize - 1)] = new Entry(device, e.Ticks, e.Kind, e.Code, e.AddressHash, e.Protocol, e.SdkVersion);
            _count++;
        }

        /// <summary>
        /// Gives every kept event to its timeline (<paramref name="timelines"/>[number]), each device's events together
        /// and in the order they came, then empties the buffer (its chunks are kept for the next events).
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs over every event: skip the slow first JIT tier
        public void HandOver(List<DeviceTimeline> timelines)
        {
            int count = _count;
            if (count == 0) return;
            int devices = timelines.Count;
            if (_starts.Length < devices + 1) _starts = new int[Math.Max(devices + 1, _starts.Length * 2)];
            if (_order.Length < count) _order = new int[Math.Max(count, Math.Min(_capacity, _order.Length * 2))];
            var starts = _starts;
            var order = _order;

            // Counting sort by device: how many each has, where each device's run starts, then every event's place.
            Array.Clear(starts, 0, devices + 1);
            for (int i = 0; i < count; i++) starts[EntryAt(i).Device + 1]++;
            for (int d = 0; d < devices; d++) starts[d + 1] += starts[d];
            for (int i = 0; i < count; i++) order[starts[EntryAt(i).Device]++] = i;

            // starts[d] is now where device d's run ends (and device d+1's begins).
            int runStart = 0;
            for (int d = 0; d < devices; d++)
            {
                int runEnd = starts[d];
                if (runEnd == runStart) continue;
                var timeline = timelines[d];
                timeline.Reserve(runEnd - runStart);
                for (int k = runStart; k < runEnd; k++)
                {
                    ref readonly Entry entry = ref EntryAt(order[k]);
                    timeline.Add(entry.Ticks, entry.Kind, entry.Code, entry.AddressHash, entry.Protocol, entry.SdkVersion);
                }

                runStart = runEnd;
            }

            for (int c = 0; c < _chunks.Count && c << ChunkShift < count; c++)
            {
                Array.Clear(_chunks[c], 0, Math.Min(_chunks[c].Length, count - (c << ChunkShift))); // let go of the strings
            }

            _count = 0;
        }

        /// <summary>Adds to <paramref name="totals"/>[timeline's number] how many events wait for each timeline (<paramref name="timelines"/>[number here]).</summary>
        public void CountInto(int[] totals, List<DeviceTimeline> timelines)
        {
            for (int i = 0; i < _count; i++) totals[timelines[EntryAt(i).Device].Number]++;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private ref Entry EntryAt(int index) => ref _chunks[index >> ChunkShift][index & (ChunkSize - 1)];

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
