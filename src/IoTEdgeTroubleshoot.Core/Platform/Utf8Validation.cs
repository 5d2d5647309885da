using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// Checks on raw bytes before anything decodes them. System.Text.Json's reader does not check
    /// that string values are UTF-8 (only GetString does, by throwing), and the byte scanners never
    /// decode what they skip: checking the whole record here is what makes every path agree.
    /// </summary>
    internal static class Utf8Validation
    {
        /// <summary>
        /// True when every byte is printable ASCII (0x20 to 0x7F): no control character, nothing to
        /// validate as UTF-8. Vectorized: a hub record is about a kilobyte of exactly that.
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        public static bool IsPrintableAscii(ReadOnlySpan<byte> bytes)
        {
            int i = 0;
            if (Vector.IsHardwareAccelerated && bytes.Length >= Vector<byte>.Count)
            {
                // Unsigned: b - 0x20 < 0x60 exactly for 0x20 <= b <= 0x7F (smaller bytes wrap round to large ones).
                var low = new Vector<byte>(0x20);
                var width = new Vector<byte>(0x60);
                var vectors = MemoryMarshal.Cast<byte, Vector<byte>>(bytes);
                for (int v = 0; v < vectors.Length; v++)
                {
                    if (Vector.GreaterThanOrEqualAny(vectors[v] - low, width)) return false;
                }

                i = vectors.Length * Vector<byte>.Count;
            }

            for (; i < bytes.Length; i++)
            {
                if ((uint)(bytes[i] - 0x20) >= 0x60) return false;
            }

            return true;
        }

        /// <summary>True when no byte has the high bit set (so the bytes are UTF-8 whatever they are).</summary>
        public static bool IsAscii(ReadOnlySpan<byte> bytes)
        {
            int i = 0;
            if (Vector.IsHardwareAccelerated && bytes.Length >= Vector<byte>.Count)
            {
                var high = new Vector<byte>(0x80);
                var vectors = MemoryMarshal.Cast<byte, Vector<byte>>(bytes);
                for (int v = 0; v < vectors.Length; v++)
                {
                    if (Vector.GreaterThanOrEqualAny(vectors[v], high)) return false;
                }

                i = vectors.Length * Vector<byte>.Count;
            }

            for (; i < bytes.Length; i++)
            {
                if (bytes[i] >= 0x80) return false;
            }

            return true;
        }

        /// <summary>
        /// Where the bytes stop being well-formed UTF-8 (RFC 3629: no overlong forms, no encoded
        /// surrogates, nothing above U+10FFFF), or -1 when they are.
        /// </summary>
        public static int IndexOfInvalid(ReadOnlySpan<byte> bytes)
        {
            if (IsAscii(bytes)) return -1;
            int i = 0;
            while (i < bytes.Length)
            {
                byte b = bytes[i];
                if (b < 0x80)
                {
                    i++;
                    continue;
                }

                // The lead byte fixes the length and the range allowed for the second byte.
                int length;
                byte secondMin = 0x80, secondMax = 0xBF;
                if (b >= 0xC2 && b <= 0xDF) length = 2;
                else if (b >= 0xE0 && b <= 0xEF)
                {
                    length = 3;
                    if (b == 0xE0) secondMin = 0xA0;      // overlong
                    else if (b == 0xED) secondMax = 0x9F; // U+D800..U+DFFF
                }
                else if (b >= 0xF0 && b <= 0xF4)
                {
                    length = 4;
                    if (b == 0xF0) secondMin = 0x90;      // overlong
                    else if (b == 0xF4) secondMax = 0x8F; // above U+10FFFF
                }
                else
                {
                    return i;
                }

                if (i + length > bytes.Length) return i;
                byte second = bytes[i + 1];
                if (second < secondMin || second > secondMax) return i;
                for (int k = 2; k < length; k++)
                {
                    if ((bytes[i + k] & 0xC0) != 0x80) return i;
                }

                i += length;
            }

            return -1;
        }
    }
}
