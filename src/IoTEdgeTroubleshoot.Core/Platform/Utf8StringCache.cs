using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// Turns UTF-8 bytes into strings, handing back the same string for the same bytes.
    /// Log records repeat a few values endlessly (hub id, level, protocol, SDK, device ids):
    /// reusing them saves most of the allocations of a large read. A two-way table: a value has two slots
    /// side by side (a set), the one used last in front, and a third value in a set replaces the one used
    /// longer ago. (On the many-devices benchmark, 80,000 devices a reader thread, a direct-mapped table
    /// of this size missed 216,000 times in a million records, two ways 165,000, and 145,000 since the table
    /// grows as soon as it is too small; each miss costs a new string and a lookup by the consumer.) When the values
    /// asked for through <see cref="GetCached"/> (device ids: a hub of many devices) keep replacing entries
    /// (more than one lookup in eight, <see cref="JudgeGrowth"/>), the table grows, four times at a go, up to
    /// <see cref="MaxCapacity"/> slots: 16 MB of table plus the values it keeps, about 30 MB for a quarter
    /// of a million device ids. Values asked for through <see cref="Get"/> never make it grow (a full
    /// read passes one-off values such as addresses and messages). Not thread-safe: one per reader.
    /// </summary>
    public sealed class Utf8StringCache
    {
        private const int MaxCachedLength = 256;
        private const int InlineBytes = 24;

        /// <summary>The most entries the table grows to (262,144 distinct values).</summary>
        public const int MaxCapacity = 1 << 18;

        private Entry[] _entries;
        private int _mask;
        private int _windowLookups; // GetCached lookups since the table's growth was last judged
        private int _replaced; // entries they replaced

        public Utf8StringCache(int capacityPowerOfTwo = 1 << 16)
        {
            if (capacityPowerOfTwo < 2 || (capacityPowerOfTwo & (capacityPowerOfTwo - 1)) != 0) throw new ArgumentException("Capacity must be a power of two, at least 2 (one set of two slots).", nameof(capacityPowerOfTwo));
            _entries = new Entry[capacityPowerOfTwo];
            _mask = capacityPowerOfTwo - 1;
        }

        /// <summary>How many entries the table has now.</summary>
        public int Capacity => _entries.Length;

        public string Get(ReadOnlySpan<byte> utf8) => utf8.Length == 0 ? string.Empty : Lookup(utf8, countsForGrowth: false, out _);

        /// <summary>
        /// The string for <paramref name="utf8"/> (not empty), and <paramref name="slot"/>: where its entry is (-1: not
        /// kept), whose tag a consumer may set (<see cref="SetTag"/>) to note what it has found for this value (the
        /// device's timeline), so that the next record with the same bytes needs no lookup of its own
        /// (<see cref="TryGetTag"/>). The tag lives in the entry itself, which the lookup has just read: no other object
        /// in memory is visited. A replaced entry starts untagged.
        /// </summary>
        public string GetCached(ReadOnlySpan<byte> utf8, out int slot)
        {
            if (++_windowLookups >= _entries.Length) JudgeGrowth(); // before the lookup: growing moves the entries
            return Lookup(utf8, countsForGrowth: true, out slot);
        }

        // After as many GetCached lookups as the table has slots: when more than an eighth of them replaced an entry, the
        // values that keep coming back (a hub's device ids) do not fit, and the table grows. Two or three values that
        // happen to share a set replace each other far less often (a few in a hundred on 20,000 devices in 65,536
        // slots), and do not make it grow. (Judged as the read goes, so that a large hub's table grows after its first
        // 65,536 records: on 160,000 devices the two reader threads missed 336,700 times, 352,000 when the table waited
        // for as many replacements as it has slots; each miss is a new string and a lookup by the consumer.)
        private void JudgeGrowth()
        {
            if (_replaced > _windowLookups / 8 && _entries.Length < MaxCapacity) Grow();
            _windowLookups = 0;
            _replaced = 0;
        }

        /// <summary>The number <paramref name="owner"/> tagged <paramref name="value"/>'s entry with, if it is still there.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryGetTag(int slot, string? value, object owner, out int number)
        {
            number = 0;
            slot = Find(slot, value);
            if (slot < 0) return false;
            ref Entry entry = ref _entries[slot];
            if (!ReferenceEquals(entry.TagOwner, owner)) return false;
            number = entry.TagNumber;
            return true;
        }

        /// <summary>Tags <paramref name="value"/>'s entry with <paramref name="owner"/>'s number (nothing, if the entry went).</summary>
        public void SetTag(int slot, string? value, object owner, int number)
        {
            slot = Find(slot, value);
            if (slot < 0) return;
            _entries[slot].TagOwner = owner;
            _entries[slot].TagNumber = number;
        }

        /// <summary>
        /// Whether the entry at <paramref name="slot"/>, or in the other slot of its set, holds this very string (not one
        /// equal to it): a later lookup in the same set (another value of the same record) may have moved it to the other
        /// slot, and it is still there to be found; a slot is no longer trusted once its entry was replaced, or moved by
        /// the table's growth.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Holds(int slot, string? value) => Find(slot, value) >= 0;

        // Where value's entry is: slot, the other slot of its set, or -1.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int Find(int slot, string? value)
        {
            if (value == null || (uint)slot >= (uint)_entries.Length) return -1;
            if (ReferenceEquals(_entries[slot].Value, value)) return slot;
            return ReferenceEquals(_entries[slot ^ 1].Value, value) ? slot ^ 1 : -1;
        }

        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        private string Lookup(ReadOnlySpan<byte> utf8, bool countsForGrowth, out int slot)
        {
            slot = -1;
            if (utf8.Length > MaxCachedLength) return Decode(utf8);
            int hash = Hash(utf8);
            Words(utf8, out ulong word0, out ulong word1, out ulong word2);
            int set = hash & _mask & ~1;
            if (Matches(ref _entries[set], utf8, hash, word0, word1, word2))
            {
                slot = set;
                return _entries[set].Value!;
            }

            if (Matches(ref _entries[set + 1], utf8, hash, word0, word1, word2))
            {
                // The set's other way: it moves to the front, so that the entry to go next is the one used longer ago.
                (_entries[set], _entries[set + 1]) = (_entries[set + 1], _entries[set]);
                slot = set;
                return _entries[set].Value!;
            }

            string value = Decode(utf8);
            if (countsForGrowth && _entries[set + 1].Value != null) _replaced++; // JudgeGrowth weighs these

            _entries[set + 1] = _entries[set]; // the one used longer ago (if any) leaves
            _entries[set] = new Entry
            {
                Hash = hash, Length = utf8.Length, Word0 = word0, Word1 = word1, Word2 = word2, Value = value,
                Longer = utf8.Length > InlineBytes ? utf8.ToArray() : null,
            };
            slot = set;
            return value;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Matches(ref Entry entry, ReadOnlySpan<byte> utf8, int hash, ulong word0, ulong word1, ulong word2) =>
            entry.Hash == hash && entry.Length == utf8.Length && entry.Value != null && entry.Word0 == word0 && entry.Word1 == word1 && entry.Word2 == word2
            && (entry.Longer == null || ByteScan.Equal(utf8, entry.Longer));

        // Four times the slots; the entries move with their strings (and tags), those used last in a set first, a few
        // lost where three now meet in one set.
        private void Grow()
        {
            var old = _entries;
            _entries = new Entry[Math.Min(MaxCapacity, old.Length * 4)];
            _mask = _entries.Length - 1;
            for (int way = 0; way < 2; way++)
            {
                for (int i = way; i < old.Length; i += 2)
                {
                    if (old[i].Value == null) continue;
                    int set = old[i].Hash & _mask & ~1;
                    if (_entries[set].Value == null) _entries[set] = old[i];
                    else if (_entries[set + 1].Value == null) _entries[set + 1] = old[i];
                }
            }
        }

        private static unsafe string Decode(ReadOnlySpan<byte> utf8)
        {
            fixed (byte* p = utf8)
            {
                return Encoding.UTF8.GetString(p, utf8.Length);
            }
        }

        // Length and three 8-byte words (the first, the last, and one from the middle of longer values), read whole:
        // log values that differ (device ids, SDK versions) differ there, and a collision costs only a replaced entry.
        // Cheaper than hashing a 150-byte resource id, or its bytes one by one.
        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        private static int Hash(ReadOnlySpan<byte> bytes)
        {
            ulong hash = (ulong)bytes.Length;
            if (bytes.Length >= 8)
            {
                hash = hash * 31 + MemoryMarshal.Read<ulong>(bytes);
                hash = Mix(hash) + MemoryMarshal.Read<ulong>(bytes.Slice(bytes.Length - 8));
                if (bytes.Length > 16) hash = Mix(hash) + MemoryMarshal.Read<ulong>(bytes.Slice(bytes.Length / 2 - 4));
            }
            else
            {
                foreach (byte b in bytes) hash = (hash << 8) | b;
            }

            return (int)Mix(hash);

            // Every input bit moves every output bit (MurmurHash3's finaliser): the slot is the hash's low bits, and the
            // bytes that tell device ids apart (their last digits) sit in a word's high bits.
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            static ulong Mix(ulong h)
            {
                h = (h ^ (h >> 33)) * 0xFF51AFD7ED558CCDUL;
                h = (h ^ (h >> 33)) * 0xC4CEB9FE1A85EC53UL;
                return h ^ (h >> 33);
            }
        }

        // The first InlineBytes bytes as words, zero after the end: a value that short (device ids, protocols, levels) is
        // compared within its entry, with no trip to another object in memory (a cache miss per record on a large hub).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Words(ReadOnlySpan<byte> utf8, out ulong word0, out ulong word1, out ulong word2)
        {
            // Whole words where the value has them; a partial last word is read as the value's last 8 bytes, shifted
            // so that the bytes before it (already in the word before) fall out and zeros come in.
            int length = utf8.Length;
            word1 = 0;
            word2 = 0;
            if (length >= 8)
            {
                word0 = MemoryMarshal.Read<ulong>(utf8);
                if (length >= 16)
                {
                    word1 = MemoryMarshal.Read<ulong>(utf8.Slice(8));
                    if (length >= InlineBytes) word2 = MemoryMarshal.Read<ulong>(utf8.Slice(16));
                    else if (length > 16) word2 = MemoryMarshal.Read<ulong>(utf8.Slice(length - 8)) >> ((24 - length) * 8);
                }
                else if (length > 8)
                {
                    word1 = MemoryMarshal.Read<ulong>(utf8.Slice(length - 8)) >> ((16 - length) * 8);
                }
            }
            else
            {
                word0 = 0;
                for (int i = length - 1; i >= 0; i--) word0 = (word0 << 8) | utf8[i];
            }
        }

        private struct Entry
        {
            public int Hash;
            public int Length;
            public ulong Word0, Word1, Word2; // the first InlineBytes bytes (Words)
            public byte[]? Longer; // the whole value, when it is longer than InlineBytes
            public string? Value; // null: the slot is free
            public object? TagOwner; // who set TagNumber: a consumer trusts the number only when this is itself
            public int TagNumber;
        }
    }
}
