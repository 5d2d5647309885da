using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.Deployment
{
    /// <summary>This machine's physical memory: /proc/meminfo on Linux, GlobalMemoryStatusEx on Windows.</summary>
    public static class MachineMemory
    {
        private static readonly Regex MemTotal = new Regex(@"^MemTotal:\s+(?<kb>\d+)\s+kB", RegexOptions.Multiline | RegexOptions.CultureInvariant);

        /// <summary>Megabytes, or null where it cannot be told.</summary>
        public static long? TotalMegabytes()
        {
            try
            {
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    var status = new MemoryStatusEx { Length = (uint)Marshal.SizeOf(typeof(MemoryStatusEx)) };
                    return GlobalMemoryStatusEx(ref status) ? (long)(status.TotalPhysical / (1024 * 1024)) : (long?)null;
                }

                return File.Exists("/proc/meminfo") ? FromMeminfo(File.ReadAllText("/proc/meminfo")) : null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is EntryPointNotFoundException || ex is DllNotFoundException)
            {
                return null;
            }
        }

        internal static long? FromMeminfo(string text)
        {
            var match = MemTotal.Match(text);
            return match.Success ? long.Parse(match.Groups["kb"].Value, System.Globalization.CultureInfo.InvariantCulture) / 1024 : (long?)null;
        }

        [DllImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        private static extern bool GlobalMemoryStatusEx(ref MemoryStatusEx buffer);

        [StructLayout(LayoutKind.Sequential)]
        private struct MemoryStatusEx
        {
            public uint Length;
            public uint MemoryLoad;
            public ulong TotalPhysical;
            public ulong AvailablePhysical;
            public ulong TotalPageFile;
            public ulong AvailablePageFile;
            public ulong TotalVirtual;
            public ulong AvailableVirtual;
            public ulong AvailableExtendedVirtual;
        }
    }
}
