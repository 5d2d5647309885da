using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    /// <summary>
    /// A device's entries as the detectors read them: a stretch of an array, which is the timeline's own or the one a
    /// whole batch of devices was sorted into (so that a large read makes one array, not one per device). A view: it is
    /// valid until the timeline changes, and never written through.
    /// </summary>
    internal readonly struct TimelineEntries
    {
        private readonly TimelineEntry[] _items;
        private readonly int _start;

        public TimelineEntries(TimelineEntry[] items, int start, int count)
        {
            if (start < 0 || count < 0 || start > items.Length - count) throw new ArgumentOutOfRangeException(nameof(count));
            _items = items;
            _start = start;
            Count = count;
        }

        public static TimelineEntries Empty => new TimelineEntries(Array.Empty<TimelineEntry>(), 0, 0);

        public int Count { get; }

        public TimelineEntry this[int index]
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get
            {
                if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
                return _items[_start + index];
            }
        }

        public Enumerator GetEnumerator() => new Enumerator(this);

        public List<TimelineEntry> ToList()
        {
            var list = new List<TimelineEntry>(Count);
            foreach (var entry in this) list.Add(entry);
            return list;
        }

        /// <summary>A struct enumerator: foreach over a device's entries allocates nothing.</summary>
        public struct Enumerator
        {
            private readonly TimelineEntry[] _items;
            private readonly int _end;
            private int _index;

            internal Enumerator(TimelineEntries entries)
            {
                _items = entries._items ?? Array.Empty<TimelineEntry>();
                _index = entries._start - 1;
                _end = entries._start + entries.Count;
            }

            public TimelineEntry Current => _items[_index];

            public bool MoveNext() => ++_index < _end;
        }
    }
}
