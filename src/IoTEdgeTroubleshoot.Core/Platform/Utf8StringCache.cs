using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// Turns UTF-8 bytes into strings, handing back the same string for the same bytes.
    /// Log records repeat a few values endlessly (hub id, level, protocol, SDK, device ids):
    /// reusing them saves most of the allocations of a large read. A fixed-size, direct-mapped
    /// table: a collision just replaces the entry, so memory never grows. Not thread-safe: one per reader.
    /// </summary>
    public sealed class Utf8StringCache
    {
        private const int MaxCachedLength = 256;
        private readonly Entry[] _entries;
        private readonly int _mask;

        public Utf8StringCache(int capacityPowerOfTwo = 1 << 16)
        {
            if ((capacityPowerOfTwo & (capacityPowerOfTwo - 1)) != 0) throw new ArgumentException("Capacity must be a power of two.", nameof(capacityPowerOfTwo));
            _entries = new Entry[capacityPowerOfTwo];
            _mask = capacityPowerOfTwo - 1;
        }

        public string Get(ReadOnlySpan<byte> utf8) => utf8.Length == 0 ? string.Empty : GetCached(utf8).Value;

        /// <summary>
        /// The string for <paramref name="utf8"/> (not empty) with its cache entry's <see cref="CachedString.Tag"/>,
        /// where a consumer may note what it has found for this value (the device's timeline), so that the next
        /// record with the same bytes needs no lookup of its own. A replaced entry comes back as a new object, tag unset.
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        public CachedString GetCached(ReadOnlySpan<byte> utf8)
        {
            if (utf8.Length > MaxCachedLength) return new CachedString(Decode(utf8));
            int hash = Hash(utf8);
            ref Entry entry = ref _entries[hash & _mask];
            if (entry.Hash == hash && entry.Bytes != null && utf8.SequenceEqual(entry.Bytes)) return entry.Cached!;
            var cached = new CachedString(Decode(utf8));
            entry = new Entry { Hash = hash, Bytes = utf8.ToArray(), Cached = cached };
            return cached;
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
            ulong hash = (ulong)bytes.Length * 0x9E3779B97F4A7C15UL;
            if (bytes.Length >= 8)
            {
                hash = (hash ^ MemoryMarshal.Read<ulong>(bytes)) * 0xFF51AFD7ED558CCDUL;
                hash = (hash ^ MemoryMarshal.Read<ulong>(bytes.Slice(bytes.Length - 8))) * 0xC4CEB9FE1A85EC53UL;
                if (bytes.Length > 16) hash = (hash ^ MemoryMarshal.Read<ulong>(bytes.Slice(bytes.Length / 2 - 4))) * 0xFF51AFD7ED558CCDUL;
            }
            else
            {
                foreach (byte b in bytes) hash = (hash ^ b) * 0x100000001B3UL;
            }

            hash ^= hash >> 29;
            return (int)hash ^ (int)(hash >> 32);
        }

        private struct Entry
        {
            public int Hash;
            public byte[]? Bytes;
            public CachedString? Cached;
        }
    }

    /// <summary>A cached string and a tag its consumer may set (who set it, and a number of its own).</summary>
    public sealed class CachedString
    {
        internal CachedString(string value) => Value = value;

        public string Value { get; }

        /// <summary>Who set <see cref="TagNumber"/>: a consumer trusts the number only when this is itself.</summary>
        public object? TagOwner { get; set; }

        public int TagNumber { get; set; }
    }
}
