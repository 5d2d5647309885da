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
        // The string cache never grows: values seen once each (masked IP addresses and error messages in a full read)
        // leave at most its table and a string per slot.
        [Fact]
        public void TheStringCache_StaysWithinTheMemoryItPromises()
        {
            long before = GC.GetTotalMemory(forceFullCollection: true);
            var cache = new Utf8StringCache();
            var bytes = new byte[24];
            for (int i = 0; i < 3_000_000; i++)
            {
                Encoding.ASCII.GetBytes("device-" + i.ToString("D17"), 0, 24, bytes, 0);
                cache.Get(bytes);
            }

            long retained = GC.GetTotalMemory(forceFullCollection: true) - before;
            GC.KeepAlive(cache);
            Assert.Equal(1 << 12, cache.Capacity);
            Assert.True(retained <= 2L * 1024 * 1024, $"retained {retained / 1024} KB"); // 4,096 entries of 56 bytes and their strings: under 0.5 MB
        }
    }

    /// <summary>Tests that measure the whole process's memory: run after the others, alone.</summary>
    [CollectionDefinition(nameof(ProcessMemoryMeasurements), DisableParallelization = true)]
    public class ProcessMemoryMeasurements
    {
    }
}
