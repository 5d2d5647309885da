using System;
using System.Runtime.CompilerServices;
using IoTEdgeTroubleshoot.Platform;
using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>
    /// Which events a reader keeps: records of the Connections category (or of none named) that
    /// meet every criterion given; a criterion left empty keeps everything.
    /// </summary>
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

        /// <summary>
        /// Not a criterion: how to read CSV dates whose day and month could be swapped (-DateOrder). It rides
        /// here because every reader, the analysis' too, is given the filter. Null: learned from the file.
        /// </summary>
        public DateOrder? DateOrder { get; set; }

        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        public bool Accepts(IoTHubConnectionEvent e)
        {
            // An Event Hubs capture or a wider query may hold other categories (Routes, DeviceTelemetry, ...).
            if (e.Category.Length > 0 && !string.Equals(e.Category, "Connections", StringComparison.OrdinalIgnoreCase)) return false;
            if (ErrorsOnly && !e.IsError) return false;
            if (StartTime.HasValue && e.TimeGenerated < StartTime.Value) return false;
            if (EndTime.HasValue && e.TimeGenerated >= EndTime.Value) return false;
            if (ResultTypes != null && ResultTypes.Count > 0 && !ResultTypes.Contains(e.ResultType)) return false;
            if (DeviceIdMatches != null && !DeviceIdMatches(e.DeviceId)) return false;
            return true;
        }

    }
}
