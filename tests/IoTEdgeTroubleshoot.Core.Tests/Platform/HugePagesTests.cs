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
    /// HugePages on this machine's kernel: where transparent huge pages are on request only ("madvise", as here), fresh
    /// memory advised is backed by 2 MB pages once written, and memory not advised is not; an array's 2 MB pages are
    /// advised. Elsewhere (Windows, huge pages always or never) there is nothing to tell apart and the test says so in
    /// its output.
    /// </summary>
    [Collection(nameof(ProcessMemoryMeasurements))] // alone: other tests' memory comes and goes in the same mappings
    public class HugePagesTests
    {
        [Fact]
        public void AdvisedMemory_IsBackedBy2MBPages_MemoryNotAdvisedIsNot()
        {
            const string Setting = "/sys/kernel/mm/transparent_hugepage/enabled";
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || !File.Exists(Setting) || !File.ReadAllText(Setting).Contains("[madvise]"))
            {
                Console.WriteLine("Huge pages are not on request on this machine: nothing to compare.");
                return;
            }

            // Memory straight from the system (anonymous mappings of their own, never touched), not heap arrays: a heap
            // array may land in memory an earlier test had written (already backed by 4 KB pages, which advice does not
            // change) or had advised.
            const int Size = 33 << 20;
            IntPtr plain = Marshal.AllocHGlobal(Size);
            IntPtr fresh = Marshal.AllocHGlobal(Size);
            try
            {
                ulong start = ((ulong)fresh.ToInt64() + (2 << 20) - 1) & ~((2UL << 20) - 1);
                Assert.True(HugePages.AdviseRange(start, 16 << 20)); // eight whole 2 MB pages
                for (int offset = 0; offset < Size; offset += 4096)
                {
                    Marshal.WriteByte(plain, offset, 1); // a write on every 4 KB page
                    Marshal.WriteByte(fresh, offset, 1);
                }

                Assert.Equal(0, HugeKilobytesAround((ulong)plain.ToInt64() + Size / 2));
                Assert.InRange(HugeKilobytesAround(start + (8 << 20)), 8 * 1024, 16 * 1024); // most of them, if not all

                // An array: the 2 MB pages inside it are advised (whether they become 2 MB pages depends on whether the
                // collector hands out fresh memory, shown above).
                var advised = new long[4 << 20];
                HugePages.Advise(advised);
                Assert.Contains(" hg", FlagsAround(MiddleOf(advised)));
            }
            finally
            {
                Marshal.FreeHGlobal(plain);
                Marshal.FreeHGlobal(fresh);
            }
        }

        private static ulong MiddleOf(long[] array)
        {
            var pin = GCHandle.Alloc(array, GCHandleType.Pinned);
            try
            {
                return (ulong)pin.AddrOfPinnedObject().ToInt64() + (ulong)array.Length * sizeof(long) / 2;
            }
            finally
            {
                pin.Free();
            }
        }

        // AnonHugePages of the mapping (in /proc/self/smaps) that holds this address.
        private static long HugeKilobytesAround(ulong address) =>
            long.Parse(FieldAround(address, "AnonHugePages:").Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

        // VmFlags of that mapping ("hg": advised for 2 MB pages).
        private static string FlagsAround(ulong address) => " " + FieldAround(address, "VmFlags:").Substring("VmFlags:".Length).Trim() + " ";

        private static string FieldAround(ulong address, string field)
        {
            var lines = File.ReadAllLines("/proc/self/smaps");
            for (int i = 0; i < lines.Length; i++)
            {
                if (!IsMappingLine(lines[i], out ulong start, out ulong end) || address < start || address >= end) continue;
                for (int k = i + 1; k < lines.Length && !IsMappingLine(lines[k], out _, out _); k++)
                {
                    if (lines[k].StartsWith(field, StringComparison.Ordinal)) return lines[k];
                }
            }

            throw new InvalidOperationException($"No {field} for the address's mapping in /proc/self/smaps.");
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
