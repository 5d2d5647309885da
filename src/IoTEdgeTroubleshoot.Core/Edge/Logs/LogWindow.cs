using System;
using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Edge.Logs
{
    /// <summary>
    /// -StartTime/-Since (inclusive), -EndTime/-Until (exclusive) and -Tail over entries read from files, as
    /// journalctl and iotedge logs apply them to live logs. An entry without a time is outside any time window.
    /// With -Tail only the last entries are kept (so at most that many are held), handed on at <see cref="Complete"/>.
    /// </summary>
    public sealed class LogWindow
    {
        private readonly DateTimeOffset? _start;
        private readonly DateTimeOffset? _end;
        private readonly int? _tail;
        private readonly Action<IoTEdgeLogEntry> _emit;
        private readonly Queue<IoTEdgeLogEntry> _last = new Queue<IoTEdgeLogEntry>();

        public LogWindow(DateTimeOffset? start, DateTimeOffset? end, int? tail, Action<IoTEdgeLogEntry> emit)
        {
            _start = start;
            _end = end;
            _tail = tail;
            _emit = emit;
        }

        public void Add(IoTEdgeLogEntry entry)
        {
            if (_start != null || _end != null)
            {
                if (entry.TimeCreated is not DateTimeOffset time) return;
                if (_start != null && time < _start.Value) return;
                if (_end != null && time >= _end.Value) return;
            }

            if (_tail == null)
            {
                _emit(entry);
                return;
            }

            _last.Enqueue(entry);
            if (_last.Count > _tail.Value) _last.Dequeue();
        }

        /// <summary>Hands on the kept last entries (with -Tail); call at the end of each file.</summary>
        public void Complete()
        {
            while (_last.Count > 0) _emit(_last.Dequeue());
        }
    }
}
