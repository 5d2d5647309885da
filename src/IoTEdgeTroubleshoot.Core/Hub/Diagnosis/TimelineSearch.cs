using System.Runtime.CompilerServices;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    /// <summary>Searches in a device's entries, which <see cref="DeviceTimeline.Entries"/> gives in time order.</summary>
    internal static class TimelineSearch
    {
        /// <summary>The index of the first entry later than <paramref name="ticks"/> (the count when none is).</summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs for every device and refusal: skip the slow first tier
        public static int FirstLaterThan(TimelineEntries entries, long ticks)
        {
            int low = 0, high = entries.Count;
            while (low < high)
            {
                int mid = (low + high) >> 1;
                if (entries[mid].Ticks <= ticks) low = mid + 1;
                else high = mid;
            }

            return low;
        }
    }
}
