using System;
using System.Collections;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    /// <summary>
    /// The analyzer's timelines by number (<see cref="DeviceTimeline.Number"/>, the order they were made in) and by key:
    /// an open-addressing table of slots (the key's hash, the key, the number, side by side) probed in a row.
    /// <see cref="NumberOf"/> may run on any thread without a lock while one thread at a time adds (under the
    /// analyzer's lock): a slot is published by writing its hash last, and a grown table replaces the old one whole,
    /// so a lookup sees a key either completely or not at all, and a key it misses it looks for again under the lock.
    /// A read from files finds its devices through its table of device ids instead (DeviceKeyTable), and adds their
    /// timelines unindexed (<see cref="AddUnindexed"/>): they are put in the slots only when a lookup by key needs
    /// them. The hash is seeded once per process (<see cref="HashOf"/>), so that a log cannot be written to make its
    /// device ids collide without knowing the seed.
    /// </summary>
    internal sealed class TimelineIndex : IReadOnlyList<DeviceTimeline>
    {
        private static readonly ulong Seed = BitConverter.ToUInt64(Guid.NewGuid().ToByteArray(), 0);

        private readonly List<DeviceTimeline> _numbered = new List<DeviceTimeline>();
        private Slot[] _slots = new Slot[16]; // a power of two long; replaced whole when it grows

        // Timelines 0.._indexed-1 are in the slots; the rest were added unindexed (AddUnindexed) and are placed when
        // a lookup by key first needs them (IndexPending).
        private int _indexed;

        public int Count => _numbered.Count;

        public DeviceTimeline this[int number] => _numbered[number];

        /// <summary>
        /// The number of <paramref name="key"/>'s timeline, or -1 (also for a key being added right now, and for one added
        /// unindexed and not yet indexed: a miss is confirmed under the lock with <see cref="NumberOfIndexingAll"/>).
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // once per device and reader thread: skip the slow first JIT tier
        public int NumberOf(string key)
        {
            int hash = HashOf(key);
            var slots = Volatile.Read(ref _slots);
            int mask = slots.Length - 1;
            for (int slot = hash & mask; ; slot = (slot + 1) & mask)
            {
                int candidate = Volatile.Read(ref slots[slot].Hash); // written last: the key and number are there once it is
                if (candidate == 0) return -1;
                if (candidate == hash && SameText(slots[slot].Key!, key)) return slots[slot].Number;
            }
        }

        /// <summary>
        /// <paramref name="key"/>'s timeline. Under the analyzer's lock, or one thread at a time: it indexes the timelines
        /// added unindexed first, and the list of timelines is not safe to read while it grows. Only <see cref="NumberOf"/> is.
        /// </summary>
        public bool TryGetValue(string key, out DeviceTimeline timeline)
        {
            int number = NumberOfIndexingAll(key);
            timeline = number < 0 ? null! : _numbered[number];
            return number >= 0;
        }

        /// <summary>
        /// The number of <paramref name="key"/>'s timeline, or -1, the timelines added unindexed included (they are indexed
        /// first). Under the analyzer's lock, or with no thread adding.
        /// </summary>
        public int NumberOfIndexingAll(string key)
        {
            IndexPending();
            return NumberOf(key);
        }

        /// <summary>
        /// A new timeline for <paramref name="key"/> (not in the index), numbered next and indexed. <paramref name="isModuleKey"/>:
        /// the key is a module's (device/module). One thread at a time.
        /// </summary>
        public DeviceTimeline Add(string key, bool isModuleKey = false)
        {
            var timeline = AddUnindexed(key);
            IndexPending(); // it, and any added unindexed before it, in the order numbered
            if (isModuleKey) ModuleKeysAdded++;
            else DeviceKeysAdded++;
            return timeline;
        }

        /// <summary>How many timelines of devices (or of summaries) were added by key with <see cref="Add"/>.</summary>
        public int DeviceKeysAdded { get; private set; }

        /// <summary>How many timelines of modules were added by key with <see cref="Add"/>.</summary>
        public int ModuleKeysAdded { get; private set; }

        /// <summary>
        /// A new timeline for <paramref name="key"/>, numbered next but not put in the slots until a lookup by key needs it
        /// (<see cref="NumberOfIndexingAll"/>, <see cref="TryGetValue"/>, <see cref="Add"/>). For a caller that keeps its own
        /// way to the number (the read's table of device ids): on a large hub's read the slots were otherwise filled, and
        /// grown, for 160,000 keys nobody looked up by name. One thread at a time.
        /// </summary>
        public DeviceTimeline AddUnindexed(string key)
        {
            var timeline = new DeviceTimeline(key) { Number = _numbered.Count };
            _numbered.Add(timeline);
            return timeline;
        }

        // Puts the timelines added unindexed into the slots. One thread at a time (lookups without the lock may go on).
        private void IndexPending()
        {
            while (_indexed < _numbered.Count)
            {
                if ((_indexed + 1) * 4 > _slots.Length * 3) Grow(); // at most three slots in four taken: short rows
                var timeline = _numbered[_indexed];
                Place(_slots, HashOf(timeline.Key), timeline.Key, timeline.Number);
                _indexed++;
            }
        }

        /// <summary>Takes out the timeline added last, with <see cref="Add"/> (which indexes it). Not while other threads look up (slots move).</summary>
        public void RemoveLast()
        {
            IndexPending(); // Add indexed it; should anything have come unindexed since, the row search below needs it placed
            var last = _numbered[_numbered.Count - 1];
            var slots = _slots;
            int mask = slots.Length - 1;
            int hash = HashOf(last.Key);
            int free = hash & mask;
            while (slots[free].Hash != hash || slots[free].Number != last.Number) free = (free + 1) & mask;
            _numbered.RemoveAt(_numbered.Count - 1);
            _indexed--; // (DeviceKeysAdded stays: it may only overstate, which costs a lookup, never a second timeline)

            // Slots after it in the row move back into the gap unless their home lies between the gap and them, so that
            // a lookup never stops at the gap before reaching them.
            for (int next = (free + 1) & mask; slots[next].Hash != 0; next = (next + 1) & mask)
            {
                int home = slots[next].Hash & mask;
                bool homeAfterGap = free <= next ? free < home && home <= next : free < home || home <= next;
                if (homeAfterGap) continue;
                slots[free] = slots[next];
                free = next;
            }

            slots[free] = default;
        }

        public IEnumerator<DeviceTimeline> GetEnumerator() => _numbered.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        // A table twice as long, filled before anyone sees it, then put in the old one's place.
        private void Grow()
        {
            var grown = new Slot[_slots.Length * 2];
            foreach (var slot in _slots)
            {
                if (slot.Hash != 0) Place(grown, slot.Hash, slot.Key!, slot.Number);
            }

            Volatile.Write(ref _slots, grown);
        }

        private static void Place(Slot[] slots, int hash, string key, int number)
        {
            int mask = slots.Length - 1;
            int at = hash & mask;
            while (slots[at].Hash != 0) at = (at + 1) & mask;
            slots[at].Key = key;
            slots[at].Number = number;
            Volatile.Write(ref slots[at].Hash, hash); // last: a lookup that sees the hash sees the key and the number
        }

        // Four characters at a time, then the bits mixed down: device ids of a fleet differ in their last characters.
        // Each step folds the high half into the low one before multiplying, so that no difference in the text goes
        // through a step unchanged (a multiplication alone passes a change of the top bit as it is, which the next
        // characters could undo whatever the seed): which ids collide depends on the seed. Never 0, a free slot's mark.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static int HashOf(string key)
        {
            var text = key.AsSpan();
            var words = MemoryMarshal.Cast<char, ulong>(text);
            ulong hash = Seed ^ ((ulong)key.Length * Multiplier);
            foreach (ulong word in words) hash = Step(hash, word);
            for (int i = words.Length * 4; i < text.Length; i++) hash = Step(hash, text[i]);
            return Finish(hash);
        }

        internal const ulong Multiplier = 0x9E3779B97F4A7C15UL;

        // The bits mixed down into a slot hash, never 0 (a free slot's mark).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static int Finish(ulong hash)
        {
            hash ^= hash >> 31;
            hash *= 0xBF58476D1CE4E5B9UL;
            hash ^= hash >> 29;
            int result = (int)hash;
            return result == 0 ? 1 : result;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static ulong Step(ulong hash, ulong value)
        {
            hash ^= value;
            hash ^= hash >> 32;
            return hash * Multiplier;
        }

        // Ordinal, with the module's own comparison (a framework method hot here would be recompiled with counting probes).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool SameText(string a, string b) =>
            ReferenceEquals(a, b) || (a.Length == b.Length && ByteScan.Equal(MemoryMarshal.AsBytes(a.AsSpan()), MemoryMarshal.AsBytes(b.AsSpan())));

        private struct Slot
        {
            public int Hash; // 0: free
            public int Number;
            public string? Key;
        }
    }
}
