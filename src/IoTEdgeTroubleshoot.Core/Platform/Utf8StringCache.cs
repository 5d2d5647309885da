using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// Turns UTF-8 bytes into strings, handing back the same string for the same bytes.
    /// Log records repeat a few values endlessly (hub id, level, protocol, SDK, module names): reusing them saves most of
    /// the allocations of a read. A two-way table of fixed size: a value has two slots side by side (a set), the one used
    /// last in front, and a third value in a set replaces the one used longer ago, so one-off values (addresses and
    /// messages in a full read) pass through without growing it. (Device ids, the values a large hub has hundreds of
    /// thousands of, go through the analysis' <see cref="Hub.DeviceKeyTable"/> instead.) Not thread-safe: one per reader.
    /// </summary>
    public sealed class Utf8StringCache
    {
        private const int MaxCachedLength = 256;
        internal const int InlineBytes = 24;

        private readonly Entry[] _entries;
        private readonly int _mask;

        /// <param name="capacityPowerOfTwo">Slots (two per set): 4,096 (about 200 KB) hold a read's repeating values many times over.</param>
        public Utf8StringCache(int capacityPowerOfTwo = 1 << 12)
        {
            if (capacityPowerOfTwo < 2 || (capacityPowerOfTwo & (capacityPowerOfTwo - 1)) != 0) throw new ArgumentException("Capacity must be a power of two, at least 2 (one set of two slots).", nameof(capacityPowerOfTwo));
            _entries = new Entry[capacityPowerOfTwo];
            _mask = capacityPowerOfTwo - 1;
        }

        /// <summary>How many entries the table has.</summary>
        public int Capacity => _entries.Length;

        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        public string Get(ReadOnlySpan<byte> utf8)
        {
            if (utf8.Length == 0) return string.Empty;
            if (utf8.Length > MaxCachedLength) return Decode(utf8);
            int hash = Hash(utf8);
            Words(utf8, out ulong word0, out ulong word1, out ulong word2);
            int set = hash & _mask & ~1;
            if (Matches(ref _entries[set], utf8, hash, word0, word1, word2)) return _entries[set].Value!;

            if (Matches(ref _entries[set + 1], utf8, hash, word0, word1, word2))
            {
                // The set's other way: it moves to the front, so that the entry to go next is the one used longer ago.
                (_entries[set], _entries[set + 1]) = (_entries[set + 1], _entries[set]);
                return _entries[set].Value!;
            }

            string value = Decode(utf8);
            _entries[set + 1] = _entries[set]; // the one used longer ago (if any) leaves
            _entries[set] = new Entry
            {
                Hash = hash, Length = utf8.Length, Word0 = word0, Word1 = word1, Word2 = word2, Value = value,
                Longer = utf8.Length > InlineBytes ? utf8.ToArray() : null,
            };
            return value;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Matches(ref Entry entry, ReadOnlySpan<byte> utf8, int hash, ulong word0, ulong word1, ulong word2) =>
            entry.Hash == hash && entry.Length == utf8.Length && entry.Value != null && entry.Word0 == word0 && entry.Word1 == word1 && entry.Word2 == word2
            && (entry.Longer == null || ByteScan.Equal(utf8, entry.Longer));

        /// <summary>
        /// The text of <paramref name="utf8"/>. ASCII (device ids, protocols, SDK versions nearly always are) is widened
        /// here, byte by byte into a new string: through Encoding.UTF8 each of a large hub's 160,000 device ids took
        /// five framework methods, which turned hot during the read and were compiled twice more (with counting
        /// probes, then without) on a core the read needs. Anything else is decoded by Encoding.UTF8, as before.
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // once per device of the read, and per new protocol or SDK text
        internal static unsafe string Decode(ReadOnlySpan<byte> utf8)
        {
            if (utf8.Length == 0) return string.Empty;
            string text = new string('\0', utf8.Length);
            fixed (char* chars = text)
            {
                for (int i = 0; i < utf8.Length; i++)
                {
                    byte b = utf8[i];
                    if (b >= 0x80) return DecodeUtf8(utf8); // not ASCII: the string made so far is dropped
                    chars[i] = (char)b;
                }
            }

            return text;
        }

        private static unsafe string DecodeUtf8(ReadOnlySpan<byte> utf8)
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
        internal static void Words(ReadOnlySpan<byte> utf8, out ulong word0, out ulong word1, out ulong word2)
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
        }
    }
}
