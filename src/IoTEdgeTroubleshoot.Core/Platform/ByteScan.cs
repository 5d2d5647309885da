using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// The byte searches and comparisons of the per-record path (the line split, the lean JSON scans, the string cache).
    /// The framework's span methods do the same, but on .NET they are calls into System.Private.CoreLib's
    /// precompiled code, which tiered compilation first recompiles with counting probes when it turns hot: on
    /// a million records the probes' counter calls cost more than the searches themselves (measured: about a
    /// tenth of the whole process on the many-devices benchmark). These are compiled into the callers (small
    /// ones) or fully optimised at their first call (the vector loops), so no probe ever runs.
    /// </summary>
    internal static class ByteScan
    {
        /// <summary>True when <paramref name="bytes"/> begins with <paramref name="prefix"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool StartsWith(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> prefix) =>
            bytes.Length >= prefix.Length && Equal(bytes.Slice(0, prefix.Length), prefix);

        /// <summary>True when both hold the same bytes. Eight at a time: keys and values here are short.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Equal(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
        {
            int length = a.Length;
            if (length != b.Length) return false;
            if (length < sizeof(ulong))
            {
                for (int i = 0; i < length; i++)
                {
                    if (a[i] != b[i]) return false;
                }

                return true;
            }

            int last = length - sizeof(ulong);
            for (int i = 0; i < last; i += sizeof(ulong))
            {
                if (MemoryMarshal.Read<ulong>(a.Slice(i)) != MemoryMarshal.Read<ulong>(b.Slice(i))) return false;
            }

            // The last eight bytes, overlapping what the loop compared when the length is no multiple of eight.
            return MemoryMarshal.Read<ulong>(a.Slice(last)) == MemoryMarshal.Read<ulong>(b.Slice(last));
        }

        /// <summary>Where <paramref name="value"/> first occurs, or -1.</summary>
        [MethodImpl(JitHints.AggressiveOptimization)]
        public static int IndexOf(ReadOnlySpan<byte> bytes, byte value)
        {
            int i = 0;
            if (Vector.IsHardwareAccelerated && bytes.Length >= Vector<byte>.Count)
            {
                var wanted = new Vector<byte>(value);
                var vectors = MemoryMarshal.Cast<byte, Vector<byte>>(bytes);
                int v = 0;
                while (v < vectors.Length && !Vector.EqualsAny(vectors[v], wanted)) v++;
                i = v * Vector<byte>.Count; // the first block that holds it (or the tail): the loop below finds where
            }

            for (; i < bytes.Length; i++)
            {
                if (bytes[i] == value) return i;
            }

            return -1;
        }

        /// <summary>Where <paramref name="first"/> or <paramref name="second"/> first occurs, or -1.</summary>
        [MethodImpl(JitHints.AggressiveOptimization)]
        public static int IndexOfEither(ReadOnlySpan<byte> bytes, byte first, byte second)
        {
            int i = 0;
            if (Vector.IsHardwareAccelerated && bytes.Length >= Vector<byte>.Count)
            {
                var one = new Vector<byte>(first);
                var other = new Vector<byte>(second);
                var vectors = MemoryMarshal.Cast<byte, Vector<byte>>(bytes);
                int v = 0;
                while (v < vectors.Length && (Vector.Equals(vectors[v], one) | Vector.Equals(vectors[v], other)) == Vector<byte>.Zero) v++;
                i = v * Vector<byte>.Count;
            }

            for (; i < bytes.Length; i++)
            {
                byte b = bytes[i];
                if (b == first || b == second) return i;
            }

            return -1;
        }
    }
}
