using System;
using System.Runtime.InteropServices;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// Asks Linux to back a large, freshly allocated array with 2 MB pages (madvise MADV_HUGEPAGE) before it is
    /// written. The first write to each 4 KB page of fresh memory is a page fault, and on a virtual machine a fault
    /// costs microseconds (measured on the benchmark machine: 13.6 µs a page, 0.3 µs a page with 2 MB pages): the
    /// disconnect analysis writes tens of megabytes of such memory once (its event buffers and the array all
    /// timelines share), which cost a quarter of its processor time in faults. Only the 2 MB-aligned stretches
    /// inside the array are advised; memory the collector hands out again is already backed and unaffected.
    /// Elsewhere (Windows, macOS, a kernel with transparent huge pages off, no libc) it does nothing.
    /// </summary>
    internal static class HugePages
    {
        private const ulong HugePageBytes = 2 << 20;
        private const int MadviseHugePage = 14; // MADV_HUGEPAGE
        private const int NotAllMapped = 12; // ENOMEM

        private static bool s_unavailable = !RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        /// <summary>Advises the 2 MB pages that lie wholly inside <paramref name="array"/>; arrays under 4 MB hold too few to matter.</summary>
        public static unsafe void Advise<T>(T[] array)
            where T : unmanaged
        {
            if (s_unavailable) return;
            ulong bytes = (ulong)array.Length * (ulong)sizeof(T);
            if (bytes < 2 * HugePageBytes) return;
            fixed (T* first = array)
            {
                ulong start = ((ulong)first + HugePageBytes - 1) & ~(HugePageBytes - 1);
                ulong end = ((ulong)first + bytes) & ~(HugePageBytes - 1);
                if (end > start) AdviseRange(start, end - start);
            }
        }

        /// <summary>
        /// Advises <paramref name="length"/> bytes of address space from <paramref name="start"/> (page-aligned), mapped
        /// or only reserved; false when the system refused or has no such call. Part of the stretch unmapped meanwhile
        /// (a thread that ended and took its stack) still leaves the rest advised: Linux then says ENOMEM, which counts
        /// as done.
        /// </summary>
        public static bool AdviseRange(ulong start, ulong length)
        {
            if (s_unavailable) return false;
            try
            {
                // Advice only: a refusal changes nothing.
                return madvise((IntPtr)(long)start, (UIntPtr)length, MadviseHugePage) == 0 || Marshal.GetLastWin32Error() == NotAllMapped;
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                s_unavailable = true;
                return false;
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int madvise(IntPtr address, UIntPtr length, int advice);
    }
}
