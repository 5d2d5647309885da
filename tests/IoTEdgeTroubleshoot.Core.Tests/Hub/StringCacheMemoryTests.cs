using System;
using System.Text;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    /// <summary>
    /// Measures memory the whole process holds (GC.GetTotalMemory), so it runs with no other test beside it: a test
    /// running in parallel (a hostile cloud answer's huge row) once added 25 MB to what it measured.
    /// </summary>
    [Collection(nameof(ProcessMemoryMeasurements))]
    public class StringCacheMemoryTests
    {
        // The string cache's growth stops at MaxCapacity, and what it keeps then stays as documented.
        [Fact]
        public void TheStringCache_StaysWithinTheMemoryItPromises()
        {
            // Values seen once each (masked IP addresses, error messages in a full read; device ids on a large hub).
            long before = GC.GetTotalMemory(forceFullCollection: true);
            var cache = new Utf8StringCache();
            var bytes = new byte[24];
            for (int i = 0; i < 3_000_000; i++)
            {
                Encoding.ASCII.GetBytes("device-" + i.ToString("D17"), 0, 24, bytes, 0);
                cache.GetCached(bytes, out _);
            }

            long retained = GC.GetTotalMemory(forceFullCollection: true) - before;
            GC.KeepAlive(cache);
            Assert.Equal(Utf8StringCache.MaxCapacity, cache.Capacity);
            Assert.True(retained <= 64L * 1024 * 1024, $"retained {retained / (1024 * 1024)} MB"); // documented: 16 MB of table and about 30 MB of values
        }
    }

    /// <summary>Tests that measure the whole process's memory: run after the others, alone.</summary>
    [CollectionDefinition(nameof(ProcessMemoryMeasurements), DisableParallelization = true)]
    public class ProcessMemoryMeasurements
    {
    }
}
