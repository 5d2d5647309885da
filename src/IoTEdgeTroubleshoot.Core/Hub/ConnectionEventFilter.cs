using System;
using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>Which events a reader keeps. Every criterion left empty keeps everything.</summary>
    public sealed class ConnectionEventFilter
    {
        /// <summary>Only Level == "Error" (the guide's query).</summary>
        public bool ErrorsOnly { get; set; }

        /// <summary>Inclusive lower bound.</summary>
        public DateTimeOffset? StartTime { get; set; }

        /// <summary>Exclusive upper bound.</summary>
        public DateTimeOffset? EndTime { get; set; }

        /// <summary>A device id predicate (the cmdlet builds it from wildcard patterns).</summary>
        public Func<string, bool>? DeviceIdMatches { get; set; }

        public ICollection<string>? ResultTypes { get; set; }

        public bool Accepts(IoTHubConnectionEvent e)
        {
            if (ErrorsOnly && !e.IsError) return false;
            if (StartTime.HasValue && e.TimeGenerated < StartTime.Value) return false;
            if (EndTime.HasValue && e.TimeGenerated >= EndTime.Value) return false;
            if (ResultTypes != null && ResultTypes.Count > 0 && !ResultTypes.Contains(e.ResultType)) return false;
            if (DeviceIdMatches != null && !DeviceIdMatches(e.DeviceId)) return false;
            return true;
        }

        /// <summary>Cheap pre-check on the raw level, so filtered records need not be parsed further.</summary>
        internal bool AcceptsLevel(string level) =>
            !ErrorsOnly || string.Equals(level, "Error", StringComparison.OrdinalIgnoreCase);

        internal bool AcceptsTime(DateTimeOffset time) =>
            (!StartTime.HasValue || time >= StartTime.Value) && (!EndTime.HasValue || time < EndTime.Value);
    }
}
