using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// Where a path really is, every link (symbolic link, junction) followed: what tells two paths to
    /// one folder apart from two folders, so a folder walk can visit each real folder once and never
    /// loop. netstandard2.0 has no API for it (FileSystemInfo.ResolveLinkTarget is .NET 6+, and is not
    /// in Windows PowerShell's .NET Framework): realpath(3) on Unix, GetFinalPathNameByHandle on Windows.
    /// </summary>
    internal static class RealPath
    {
        private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>How real paths compare on this system.</summary>
        public static StringComparer Comparer { get; } = IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

        /// <summary>The path with every link resolved; null when it does not exist or cannot be resolved.</summary>
        public static string? Of(string path)
        {
            try
            {
                return IsWindows ? OfWindows(path) : OfUnix(path);
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return null;
            }
        }

        private static string? OfUnix(string path)
        {
            // UTF-8 and NUL-terminated, as the C library takes paths (netstandard2.0 has no UTF-8 string marshalling).
            byte[] utf8 = Encoding.UTF8.GetBytes(path + "\0");
            IntPtr resolved = Unix.realpath(utf8, IntPtr.Zero);
            if (resolved == IntPtr.Zero) return null;
            try
            {
                return PtrToUtf8(resolved);
            }
            finally
            {
                Unix.free(resolved);
            }
        }

        private static unsafe string PtrToUtf8(IntPtr text)
        {
            byte* p = (byte*)text;
            int length = 0;
            while (p[length] != 0) length++;
            return Encoding.UTF8.GetString(p, length);
        }

        private static string? OfWindows(string path)
        {
            const uint OpenExisting = 3;
            const uint BackupSemantics = 0x02000000; // needed to open a folder
            const uint ShareAll = 7;
            using SafeFileHandle handle = Windows.CreateFileW(path, 0, ShareAll, IntPtr.Zero, OpenExisting, BackupSemantics, IntPtr.Zero);
            if (handle.IsInvalid) return null;
            var buffer = new StringBuilder(512);
            uint length = Windows.GetFinalPathNameByHandleW(handle, buffer, (uint)buffer.Capacity, 0);
            if (length >= buffer.Capacity)
            {
                buffer = new StringBuilder((int)length + 1);
                length = Windows.GetFinalPathNameByHandleW(handle, buffer, (uint)buffer.Capacity, 0);
            }

            if (length == 0 || length >= buffer.Capacity) return null;
            string final = buffer.ToString(0, (int)length);
            // \\?\C:\logs → C:\logs; \\?\UNC\server\share → \\server\share
            if (final.StartsWith(@"\\?\UNC\", StringComparison.OrdinalIgnoreCase)) return @"\\" + final.Substring(8);
            if (final.StartsWith(@"\\?\", StringComparison.Ordinal)) return final.Substring(4);
            return final;
        }

        private static class Unix
        {
            [DllImport("libc", SetLastError = true)]
            public static extern IntPtr realpath(byte[] path, IntPtr resolved);

            [DllImport("libc")]
            public static extern void free(IntPtr pointer);
        }

        private static class Windows
        {
            [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            public static extern SafeFileHandle CreateFileW(string name, uint access, uint share, IntPtr security, uint creation, uint flags, IntPtr template);

            [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            public static extern uint GetFinalPathNameByHandleW(SafeFileHandle handle, StringBuilder path, uint length, uint flags);
        }
    }
}
