using System.Runtime.InteropServices;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    public class CachePrefetchTests
    {
        [Fact]
        public void OnX86AndX64_ThePrefetchIsFound()
        {
            // The lookup is by name, through reflection: a rename or a wrong signature would silently turn it off.
            bool x86 = RuntimeInformation.ProcessArchitecture == Architecture.X64 || RuntimeInformation.ProcessArchitecture == Architecture.X86;
            Assert.Equal(x86, CachePrefetch.IsAvailable);
        }

        [Fact]
        public void APrefetch_ChangesNoMemory_WhereverTheValueLies()
        {
            // 48-byte values: every other one straddles two cache lines, so both branches run.
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
