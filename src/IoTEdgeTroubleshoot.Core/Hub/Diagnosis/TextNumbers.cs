using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    /// <summary>
    /// Numbers the protocols and SDK versions of a <see cref="PendingEvents"/> buffer: equal texts get the same
    /// number (1, 2, ...; 0 is no text), whether or not they are the same object. An open-addressing table of its
    /// own rather than a Dictionary: a reader's values come from its string cache, one object per value, so the
    /// object is compared first and the text only when the objects differ; and a Dictionary keyed by string with
    /// a ushort value is an instantiation the framework does not precompile, which ran in the slowest JIT tier
    /// for much of a large read (see ByteScan).
    /// </summary>
    internal sealed class TextNumbers
    {
        private const int InitialSlots = 64;
        private readonly List<string?> _texts = new List<string?> { null };
        private string?[] _slots = new string?[InitialSlots];
        private ushort[] _numbers = new ushort[InitialSlots];

        /// <summary>How many numbers are given, counting 0 for no text.</summary>
        public int Count => _texts.Count;

        /// <summary>The text numbered <paramref name="number"/> (null for 0).</summary>
        public string? this[int number] => _texts[number];

        /// <summary>
        /// The number of <paramref name="text"/> (0 for null), a new one when the text is new. The caller keeps the
        /// count below 65,536 (<see cref="Count"/>).
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)]
        public ushort NumberOf(string? text)
        {
            if (text == null) return 0;
            int mask = _slots.Length - 1;
            int slot = Hash(text) & mask;
            while (true)
            {
                string? held = _slots[slot];
                if (held == null) break;
                if (ReferenceEquals(held, text) || string.Equals(held, text)) return _numbers[slot];
                slot = (slot + 1) & mask;
            }

            ushort number = (ushort)_texts.Count;
            _texts.Add(text);
            _slots[slot] = text;
            _numbers[slot] = number;
            if (_texts.Count * 2 > _slots.Length) Grow(); // at most half full: probes stay short
            return number;
        }

        /// <summary>Forgets every text; the table keeps its size unless it grew large.</summary>
        public void Clear()
        {
            _texts.RemoveRange(1, _texts.Count - 1);
            if (_slots.Length > 4096)
            {
                _slots = new string?[InitialSlots];
                _numbers = new ushort[InitialSlots];
            }
            else
            {
                Array.Clear(_slots, 0, _slots.Length);
            }
        }

        private void Grow()
        {
            _slots = new string?[_slots.Length * 2];
            _numbers = new ushort[_slots.Length];
            int mask = _slots.Length - 1;
            for (int number = 1; number < _texts.Count; number++)
            {
                string text = _texts[number]!;
                int slot = Hash(text) & mask;
                while (_slots[slot] != null) slot = (slot + 1) & mask;
                _slots[slot] = text;
                _numbers[slot] = (ushort)number;
            }
        }

        // The whole text, four characters at a time, each step folding the high bits down (a product's low bits see
        // only the low bits of what was multiplied), so texts that differ anywhere land apart.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Hash(string text)
        {
            const ulong Multiplier = 0x9E3779B97F4A7C15UL;
            ulong hash = (ulong)text.Length;
            var chars = text.AsSpan();
            var words = MemoryMarshal.Cast<char, ulong>(chars);
            foreach (ulong word in words)
            {
                hash = (hash ^ word) * Multiplier;
                hash ^= hash >> 29;
            }

            for (int i = words.Length * 4; i < chars.Length; i++)
            {
                hash = (hash ^ chars[i]) * Multiplier;
                hash ^= hash >> 29;
            }

            hash *= Multiplier;
            return (int)(hash >> 32);
        }
    }
}
