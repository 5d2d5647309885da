using System;
using System.IO;
using System.Runtime.InteropServices;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>Mode and owner of a file, to give a replacement file the same ones.</summary>
    public interface IFilePermissions
    {
        /// <summary>Makes <paramref name="target"/> carry the mode and owner of <paramref name="source"/>.</summary>
        void CopyTo(string source, string target);

        /// <summary>The file's mode bits (Unix), or null where that means nothing.</summary>
        int? ModeOf(string path);
    }

    public static class FilePermissions
    {
        /// <summary>What this platform offers: Linux mode and owner; nothing on Windows (File.Replace keeps the ACL there).</summary>
        public static IFilePermissions ForThisPlatform() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? new LinuxFilePermissions() : (IFilePermissions)new NoFilePermissions();

        private sealed class NoFilePermissions : IFilePermissions
        {
            public void CopyTo(string source, string target) { }

            public int? ModeOf(string path) => null;
        }
    }

    /// <summary>
    /// Linux through libc: statx (whose layout is the same on every architecture, unlike stat's), chmod
    /// and chown. netstandard2.0 has no API for either.
    /// </summary>
    internal sealed class LinuxFilePermissions : IFilePermissions
    {
        private const int AtFdCwd = -100;
        private const uint StatxMode = 0x0002, StatxUid = 0x0008, StatxGid = 0x0010;

        public void CopyTo(string source, string target)
        {
            var (mode, uid, gid) = Stat(source);
            if (chmod(target, mode & 0xFFF) != 0) throw Error("chmod", target);

            // Only root may give a file away; anyone may keep their own. Skip when it is already right.
            var (_, targetUid, targetGid) = Stat(target);
            if ((targetUid != uid || targetGid != gid) && chown(target, uid, gid) != 0) throw Error("chown", target);
        }

        public int? ModeOf(string path) => (int)(Stat(path).Mode & 0xFFF);

        internal static (uint Mode, uint Uid, uint Gid) Stat(string path)
        {
            var buffer = new byte[256]; // struct statx is 256 bytes
            if (statx(AtFdCwd, path, 0, StatxMode | StatxUid | StatxGid, buffer) != 0) throw Error("statx", path);
            uint uid = BitConverter.ToUInt32(buffer, 20); // stx_mask u32, stx_blksize u32, stx_attributes u64, stx_nlink u32, then stx_uid
            uint gid = BitConverter.ToUInt32(buffer, 24);
            uint mode = BitConverter.ToUInt16(buffer, 28);
            return (mode, uid, gid);
        }

        private static IOException Error(string call, string path) =>
            new IOException($"{call} failed on '{path}' (errno {Marshal.GetLastWin32Error()}).");

        [DllImport("libc", SetLastError = true)]
        private static extern int statx(int dirfd, string pathname, int flags, uint mask, byte[] statxbuf);

        [DllImport("libc", SetLastError = true)]
        private static extern int chmod(string pathname, uint mode);

        [DllImport("libc", SetLastError = true)]
        private static extern int chown(string pathname, uint owner, uint group);
    }
}
