using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using IoTEdgeTroubleshoot.Platform;
using IoTEdgeTroubleshoot.Tests.Hub;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    /// <summary>
    /// HugePages on this machine's kernel: where transparent huge pages are on request only ("madvise", as here), an
    /// advised array is backed by 2 MB pages once written, and an array not advised is not. Elsewhere (Windows, huge
    /// pages always or never) there is nothing to tell apart and the test says so in its output.
    /// </summary>
    [Collection(nameof(ProcessMemoryMeasurements))] // alone: other tests' memory comes and goes in the same mappings
    public class HugePagesTests
    {
        [Fact]
        public void AnAdvisedArray_IsBackedBy2MBPages_OneNotAdvisedIsNot()
        {
            const string Setting = "/sys/kernel/mm/transparent_hugepage/enabled";
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || !File.Exists(Setting) || !File.ReadAllText(Setting).Contains("[madvise]"))
            {
                Console.WriteLine("Huge pages are not on request on this machine: nothing to compare.");
                return;
            }

            var plain = new long[4 << 20]; // 32 MB each, fresh from the system
            var advised = new long[4 << 20];
            HugePages.Advise(advised);
            for (int i = 0; i < advised.Length; i += 512)
            {
                plain[i] = i; // a write on every 4 KB page
                advised[i] = i;
            }

            Assert.Equal(0, HugeKilobytesAround(plain));
            Assert.InRange(HugeKilobytesAround(advised), 16 * 1024, 32 * 1024); // most of its 2 MB pages (not the partial ends)
            GC.KeepAlive(plain);
        }

        // AnonHugePages of the mapping (in /proc/self/smaps) that holds the middle of the array.
        private static long HugeKilobytesAround(long[] array)
        {
            var pin = GCHandle.Alloc(array, GCHandleType.Pinned);
            ulong address = (ulong)pin.AddrOfPinnedObject().ToInt64() + (ulong)array.Length * sizeof(long) / 2;
            pin.Free();
            var lines = File.ReadAllLines("/proc/self/smaps");
            for (int i = 0; i < lines.Length; i++)
            {
                if (!IsMappingLine(lines[i], out ulong start, out ulong end) || address < start || address >= end) continue;
                for (int k = i + 1; k < lines.Length && !IsMappingLine(lines[k], out _, out _); k++)
                {
                    if (lines[k].StartsWith("AnonHugePages:")) return long.Parse(lines[k].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
                }
            }

            throw new InvalidOperationException("The array's mapping is not in /proc/self/smaps.");
        }

        // "start-end perms offset device inode [path]"
        private static bool IsMappingLine(string line, out ulong start, out ulong end)
        {
            start = end = 0;
            var range = line.Split(' ')[0].Split('-');
            return range.Length == 2
                && ulong.TryParse(range[0], System.Globalization.NumberStyles.HexNumber, null, out start)
                && ulong.TryParse(range[1], System.Globalization.NumberStyles.HexNumber, null, out end);
        }
    }
}
