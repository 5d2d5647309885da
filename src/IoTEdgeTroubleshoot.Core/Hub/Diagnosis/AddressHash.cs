using System;
using System.Runtime.CompilerServices;
using System.Text;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    /// <summary>
    /// A masked IP address as a 64-bit hash of its UTF-8 bytes. The analysis only counts how many
    /// different addresses a device used, and a large hub's log holds almost one address per record:
    /// hashing the bytes where they lie avoids a string per record. The same value comes from the
    /// bytes (fast path) and from a piped event's string, so both paths give the same diagnoses.
    /// </summary>
    internal static class AddressHash
    {
        private const ulong Offset = 14695981039346656037UL;
        private const ulong Prime = 1099511628211UL;

        /// <summary>0 for no address; never 0 for one.</summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        public static ulong Of(ReadOnlySpan<byte> utf8)
        {
            if (utf8.Length == 0) return 0;
            ulong hash = Offset;
            foreach (byte b in utf8) hash = (hash ^ b) * Prime;
            return hash == 0 ? 1 : hash;
        }

        public static ulong Of(string? address)
        {
            if (string.IsNullOrEmpty(address)) return 0;
            foreach (char c in address!)
            {
                if (c >= 0x80) return Of(Encoding.UTF8.GetBytes(address)); // rare: not an ASCII address
            }

            ulong hash = Offset;
            foreach (char c in address) hash = (hash ^ c) * Prime; // ASCII: the char is its UTF-8 byte
            return hash == 0 ? 1 : hash;
        }
    }
}
