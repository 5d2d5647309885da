using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>
    /// The device ids one analysis' reader threads meet, by their UTF-8 bytes: one string per device for all the threads,
    /// and beside it the number of the device's timeline once the analysis has one (<see cref="TimelineOf"/>). Each
    /// reader thread used to keep its own cache of device ids: on a large hub's day (160,000 devices, a reader thread's
    /// share of the files holding nearly all of them) each thread made its own string for every device, asked the
    /// timelines for its number, and grew its cache to 16 MB. Here the second thread to meet a device finds the first
    /// one's string and number. Any thread looks up without a lock while one at a time adds (under the table's lock):
    /// a slot is published by writing its hash last, and a grown table replaces the old one whole, filled first, so a
    /// lookup sees an id completely or not at all. Timeline numbers are noted under the same lock, in the table as it is
    /// then (<see cref="SetCurrentTimeline"/>), so a growth never loses one: no number in the table means no timeline
    /// yet, and the analysis makes one only after asking the table again under its own lock. The hash is seeded once
    /// per process, so that a log cannot be written to make its device ids collide.
    /// </summary>
    internal sealed class DeviceKeyTable
    {
        /// <summary>Ids longer than this (bytes) are not kept: decoded at each meeting, as the full parse does.</summary>
        public const int MaxKeptLength = 256;

        /// <summary>
        /// The most ids kept (524,288, in a table of at most 1,048,576 slots, 48 MB): past it, an id is decoded at each
        /// meeting. The table keeps every id it meets, also those of records the analysis leaves out.
        /// </summary>
        public const int MaxKeys = 1 << 19;

        private const int FourfoldUpTo = 1 << 18; // the table grows four times at a go up to 262,144 slots, then twice

        private const int FirstLength = 1 << 10;
        private static readonly ulong Seed = BitConverter.ToUInt64(Guid.NewGuid().ToByteArray(), 0);

        private readonly object _gate = new object();
        private Slot[] _slots = new Slot[FirstLength]; // a power of two long; replaced whole when it grows
        private int _count;

        /// <summary>How many ids the table holds.</summary>
        public int Count => Volatile.Read(ref _count);

        /// <summary>
        /// The string for the device id <paramref name="utf8"/> (not empty), the same one for the same bytes on every thread,
        /// and where its slot is (<paramref name="slots"/>, <paramref name="index"/>; null and -1 for an id too long to keep, or new past <see cref="MaxKeys"/>):
        /// the table the lookup read, which stays valid after the table grows.
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record of the analysis' read goes through it
        public string Get(ReadOnlySpan<byte> utf8, out Slot[]? slots, out int index) => Get(utf8, HashOf(utf8), out slots, out index);

        /// <summary>Starts loading the slot where the lookup of an id of this hash (<see cref="HashOf"/>) begins.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Prefetch(int hash)
        {
            var table = Volatile.Read(ref _slots);
            CachePrefetch.Lines(ref table[hash & (table.Length - 1)]);
        }

        /// <summary><see cref="Get(ReadOnlySpan{byte}, out Slot[], out int)"/> with the id's hash already taken (<see cref="HashOf"/>).</summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record of the analysis' read goes through it
        public string Get(ReadOnlySpan<byte> utf8, int hash, out Slot[]? slots, out int index)
        {
            System.Diagnostics.Debug.Assert(hash == HashOf(utf8), "the hash must be the id's own: a slot of hash 0 is a free one");
            if (utf8.Length > MaxKeptLength)
            {
                slots = null;
                index = -1;
                return Utf8StringCache.Decode(utf8);
            }

            Utf8StringCache.Words(utf8, out ulong word0, out ulong word1, out ulong word2);
            var table = Volatile.Read(ref _slots);
            index = Find(table, utf8, hash, word0, word1, word2);
            if (index < 0) return Add(utf8, hash, word0, word1, word2, out slots, out index);
            slots = table;
            return table[index].Key!;
        }

        /// <summary>The timeline number noted in a slot <see cref="Get"/> gave, or -1 when none is noted there yet.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int TimelineOf(Slot[] slots, int index) => Volatile.Read(ref slots[index].Timeline) - 1;

        // Under _gate only (SetCurrentTimeline): written without it, a growth at the same moment could copy the slot
        // before the number and lose it, and the device would get a second timeline.
        private static void SetTimeline(Slot[] slots, int index, int number) => Volatile.Write(ref slots[index].Timeline, number + 1);

        /// <summary>
        /// The timeline number of the id in <paramref name="slots"/>[<paramref name="index"/>] as the table holds it now, or
        /// -1: the slot <see cref="Get"/> gave may be in a table that has grown since, which a number noted later did not
        /// reach. With <see cref="SetCurrentTimeline"/>, for the caller that makes timelines: a number noted that way is
        /// in every table from then on, so "no number" means "no timeline yet".
        /// </summary>
        public int CurrentTimelineOf(Slot[] slots, int index)
        {
            lock (_gate)
            {
                var table = _slots;
                int at = PlaceIn(table, slots, index);
                return at < 0 ? -1 : table[at].Timeline - 1;
            }
        }

        /// <summary>
        /// Notes the timeline number of the id in <paramref name="slots"/>[<paramref name="index"/>] in the table as it is
        /// now (and in the slot given), under the lock a growth takes: a grown table copies it, none is made without it.
        /// </summary>
        public void SetCurrentTimeline(Slot[] slots, int index, int number)
        {
            lock (_gate)
            {
                SetTimeline(slots, index, number);
                var table = _slots;
                int at = PlaceIn(table, slots, index);
                if (at >= 0) SetTimeline(table, at, number);
            }
        }

        // Where the id in slots[index] is in table: the same place when it is that table, else found by its hash and key.
        private static int PlaceIn(Slot[] table, Slot[] slots, int index) => ReferenceEquals(table, slots) ? index : FindSame(table, slots[index]);

        // Where the id of a slot of an older table is in this one (-1: not there, which a grown table never is).
        private static int FindSame(Slot[] table, in Slot old)
        {
            int mask = table.Length - 1;
            for (int at = old.Hash & mask; ; at = (at + 1) & mask)
            {
                ref Slot slot = ref table[at];
                if (slot.Hash == 0) return -1;
                if (slot.Hash == old.Hash && slot.Length == old.Length && string.Equals(slot.Key, old.Key, StringComparison.Ordinal)) return at;
            }
        }

        // Under the lock: another thread may have added the id since this one looked (its string then goes unused).
        private string Add(ReadOnlySpan<byte> utf8, int hash, ulong word0, ulong word1, ulong word2, out Slot[]? slots, out int index)
        {
            string key = Utf8StringCache.Decode(utf8);
            lock (_gate)
            {
                var table = _slots;
                index = Find(table, utf8, hash, word0, word1, word2);
                if (index < 0)
                {
                    if (_count >= MaxKeys)
                    {
                        slots = null;
                        return key;
                    }

                    if ((_count + 1) * 4 > table.Length * 3) table = Grow(table); // at most three slots in four taken: short rows
                    index = Place(table, hash, new Slot { Length = utf8.Length, Word0 = word0, Word1 = word1, Word2 = word2, Key = key });
                    Volatile.Write(ref _count, _count + 1);
                }

                slots = table;
                return table[index].Key!;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Find(Slot[] table, ReadOnlySpan<byte> utf8, int hash, ulong word0, ulong word1, ulong word2)
        {
            int mask = table.Length - 1;
            for (int at = hash & mask; ; at = (at + 1) & mask)
            {
                int candidate = Volatile.Read(ref table[at].Hash); // written last: the rest of the slot is there once it is
                if (candidate == 0) return -1;
                ref Slot slot = ref table[at];
                if (candidate == hash && slot.Length == utf8.Length && slot.Word0 == word0 && slot.Word1 == word1 && slot.Word2 == word2
                    && (utf8.Length <= Utf8StringCache.InlineBytes || SameText(slot.Key!, utf8)))
                {
                    return at;
                }
            }
        }

        // Four or two times the slots, filled before anyone sees them, then put in the old table's place.
        private Slot[] Grow(Slot[] table)
        {
            var grown = new Slot[table.Length * (table.Length < FourfoldUpTo ? 4 : 2)];
            foreach (var slot in table)
            {
                if (slot.Hash != 0) Place(grown, slot.Hash, slot);
            }

            Volatile.Write(ref _slots, grown);
            return grown;
        }

        private static int Place(Slot[] table, int hash, Slot slot)
        {
            int mask = table.Length - 1;
            int at = hash & mask;
            while (table[at].Hash != 0) at = (at + 1) & mask;
            slot.Hash = 0;
            table[at] = slot;
            Volatile.Write(ref table[at].Hash, hash); // last: a lookup that sees the hash sees the rest
            return at;
        }

        // An id longer than the slot's words: its string against the bytes, ASCII by ASCII; anything else decoded (ids that
        // decode to the same text are one device, as they are to the timelines).
        private static bool SameText(string key, ReadOnlySpan<byte> utf8)
        {
            if (key.Length == utf8.Length)
            {
                int i = 0;
                while (i < utf8.Length && utf8[i] < 0x80 && key[i] == utf8[i]) i++;
                if (i == utf8.Length) return true;
                if (utf8[i] < 0x80) return false; // an ASCII byte that differs
            }

            return string.Equals(key, Utf8StringCache.Decode(utf8), StringComparison.Ordinal);
        }

        // Eight bytes at a time with the timelines' seeded step, then mixed down (never 0).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static int HashOf(ReadOnlySpan<byte> utf8)
        {
            ulong hash = Seed ^ ((ulong)utf8.Length * TimelineIndex.Multiplier);
            var words = MemoryMarshal.Cast<byte, ulong>(utf8);
            foreach (ulong word in words) hash = TimelineIndex.Step(hash, word);
            int tail = words.Length * 8;
            if (tail < utf8.Length)
            {
                ulong last = 0;
                for (int i = utf8.Length - 1; i >= tail; i--) last = (last << 8) | utf8[i];
                hash = TimelineIndex.Step(hash, last);
            }

            return TimelineIndex.Finish(hash);
        }

        /// <summary>A device id's slot: its hash (0: free), its first bytes, its one string, and its timeline's number + 1 (0: none yet).</summary>
        internal struct Slot
        {
            public int Hash;
            public int Length;
            public ulong Word0, Word1, Word2; // the first InlineBytes bytes (Utf8StringCache.Words)
            public string? Key;
            public int Timeline;
        }
    }
}
