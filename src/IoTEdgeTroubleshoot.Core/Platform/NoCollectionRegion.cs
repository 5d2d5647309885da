using System;
using System.Runtime;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// A stretch of work during which the garbage collector does not run, as long as it allocates no more than the
    /// budget (GC.TryStartNoGCRegion). For work whose allocations are nearly all kept to its end, such as a large
    /// disconnect analysis (its read keeps event buffers, device timelines and device-id strings until the
    /// diagnoses are made): a collection in the middle of
    /// it stops every thread to find almost nothing to free (measured: a tenth of the read's time on the
    /// many-devices benchmark). Past the budget the runtime ends the region itself and collects as usual, so memory
    /// stays bounded. Where a region cannot start (one is already on, the budget is more than the runtime allows, the
    /// heap has no room for it even after a full collection) the work runs as it would have. Dispose ends the region if
    /// it is still on.
    /// </summary>
    internal sealed class NoCollectionRegion : IDisposable
    {
        private bool _started;

        // Collections so far when the region began: any later one means the region is over (the budget ran out, and a
        // region another runspace starts begins with one), so Dispose never ends a region that is not this one.
        private readonly int _collectionsAtStart;

        private NoCollectionRegion(bool started)
        {
            _started = started;
            _collectionsAtStart = GC.CollectionCount(0);
        }

        /// <summary>
        /// Starts a region for up to <paramref name="budgetBytes"/> of allocations: without a full collection when the heap
        /// has room for them, else after one.
        /// </summary>
        public static NoCollectionRegion Start(long budgetBytes)
        {
            // Asking while a region is on (another runspace's) would end that one: leave it be.
            if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return new NoCollectionRegion(false);
            try
            {
                // First without the full blocking collection the runtime would otherwise start with (14 ms of pause,
                // 25 ms in all, measured in a fresh pwsh with the module imported; 12 ms without it). A heap that has no
                // room for the budget without one (a long session's, a collector in segments) gets it, as before.
                bool started = GC.TryStartNoGCRegion(budgetBytes, disallowFullBlockingGC: true) || GC.TryStartNoGCRegion(budgetBytes);
                return new NoCollectionRegion(started);
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is ArgumentOutOfRangeException)
            {
                return new NoCollectionRegion(false); // the budget is more than the runtime allows here (or a region began meanwhile)
            }
        }

        /// <summary>Whether this region is still on (false once the work allocated past the budget).</summary>
        public bool IsOn => _started && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion && GC.CollectionCount(0) == _collectionsAtStart;

        public void Dispose()
        {
            if (!IsOn)
            {
                _started = false;
                return;
            }

            _started = false;
            try
            {
                GC.EndNoGCRegion();
            }
            catch (InvalidOperationException)
            {
                // The runtime ended it in the meantime (the budget ran out, or someone collected): nothing to end.
            }
        }
    }
}
