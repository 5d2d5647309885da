using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    public class CachePrefetchTests
    {
        [Fact]
        public void WhereTheProcessorHasIt_ThePrefetchIsFound()
        {
            // The lookup is by name, through reflection: a rename or a wrong signature would silently turn it off.
            Assert.Equal(System.Runtime.Intrinsics.X86.Sse.IsSupported, CachePrefetch.IsAvailable);
        }

        [Fact]
        public void APrefetch_ChangesNoMemory_WhereverTheValueLies()
        {
            // 48-byte values: whatever the array's alignment, some lie in one cache line and some straddle two, so both
            // branches run. (A prefetch that wrote, or faulted, would show here.)
            var values = new Wide[64];
            for (int i = 0; i < values.Length; i++) values[i] = new Wide { A = i, B = -i, C = i * 3L, D = i * 5L, E = i * 7L, F = i * 11L };
            for (int i = 0; i < values.Length; i++) CachePrefetch.Lines(ref values[i]);
            for (int i = 0; i < values.Length; i++)
            {
                Assert.Equal(new Wide { A = i, B = -i, C = i * 3L, D = i * 5L, E = i * 7L, F = i * 11L }, values[i]);
            }
        }

        private struct Wide
        {
            public long A, B, C, D, E, F;
        }
    }
}
