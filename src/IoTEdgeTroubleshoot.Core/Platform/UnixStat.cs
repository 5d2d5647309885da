using System;
using System.IO;
using System.Runtime.InteropServices;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>A file's type and mode bits, owner and group, as Linux reports them.</summary>
    internal readonly struct UnixFileStatus
    {
        public UnixFileStatus(uint mode, uint uid, uint gid)
        {
            Mode = mode;
            Uid = uid;
            Gid = gid;
        }

        /// <summary>Type and mode (st_mode); <see cref="Permissions"/> holds the bits chmod sets.</summary>
        public uint Mode { get; }

        public uint Permissions => Mode & 0xFFF;

        public uint Uid { get; }

        public uint Gid { get; }
    }

    /// <summary>
    /// stat(2) through libc on every Linux the module meets. statx first: one layout on every
    /// architecture, but only in glibc 2.28+ and musl 1.2.5+. Older hosts (IoT Edge on Ubuntu 18.04,
    /// Debian 9, older Alpine) have stat (musl, glibc 2.33+) or only __xstat (glibc before 2.33), whose
    /// struct stat differs by architecture: its offsets are known here for x64, arm64 and arm.
    /// </summary>
    internal sealed class UnixStat
    {
        internal enum Call
        {
            Statx,
            Stat,
            XStat,
        }

        private const int AtFdCwd = -100;
        private const uint StatxMode = 0x0002, StatxUid = 0x0008, StatxGid = 0x0010;
        private const int ENOSYS = 38;

        private static readonly Lazy<UnixStat> Detected = new Lazy<UnixStat>(() => new UnixStat(Choose(Works)));

        internal UnixStat(Call call) => Using = call;

        /// <summary>The best call this libc has, chosen once.</summary>
        public static UnixStat ForThisSystem => Detected.Value;

        public Call Using { get; }

        /// <summary>The first call in order of preference that <paramref name="works"/> (a seam for tests that take statx away).</summary>
        internal static Call Choose(Func<Call, bool> works)
        {
            if (works(Call.Statx)) return Call.Statx;
            if (works(Call.Stat)) return Call.Stat;
            if (works(Call.XStat)) return Call.XStat;
            throw new PlatformNotSupportedException("This system's C library has none of statx, stat and __xstat, so file modes and owners cannot be read.");
        }

        public UnixFileStatus Of(string path)
        {
            var buffer = new byte[256]; // struct statx is 256 bytes; every struct stat is smaller
            switch (Using)
            {
                case Call.Statx:
                    if (statx(AtFdCwd, path, 0, StatxMode | StatxUid | StatxGid, buffer) != 0) throw UnixErrors.For("statx", path);

                    // stx_mask u32, stx_blksize u32, stx_attributes u64, stx_nlink u32, stx_uid u32, stx_gid u32, stx_mode u16
                    return new UnixFileStatus(BitConverter.ToUInt16(buffer, 28), BitConverter.ToUInt32(buffer, 20), BitConverter.ToUInt32(buffer, 24));
                case Call.Stat:
                    if (stat(path, buffer) != 0) throw UnixErrors.For("stat", path);
                    return Read(buffer);
                default:
                    if (__xstat(StatLayout.Current.Version, path, buffer) != 0) throw UnixErrors.For("__xstat", path);
                    return Read(buffer);
            }
        }

        private static UnixFileStatus Read(byte[] buffer)
        {
            var layout = StatLayout.Current;
            return new UnixFileStatus(BitConverter.ToUInt32(buffer, layout.Mode), BitConverter.ToUInt32(buffer, layout.Uid), BitConverter.ToUInt32(buffer, layout.Gid));
        }

        // A call works when libc exports it and the kernel answers it (statx needs Linux 4.11).
        private static bool Works(Call call)
        {
            try
            {
                if (call != Call.Statx && !StatLayout.IsKnown) return false;
                new UnixStat(call).Of("/");
                return true;
            }
            catch (EntryPointNotFoundException)
            {
                return false;
            }
            catch (IOException ex) when (ex.HResult == ENOSYS)
            {
                return false;
            }
        }

        /// <summary>Where st_mode, st_uid and st_gid sit in this architecture's struct stat, and its _STAT_VER for __xstat.</summary>
        private sealed class StatLayout
        {
            private StatLayout(int mode, int uid, int gid, int version)
            {
                Mode = mode;
                Uid = uid;
                Gid = gid;
                Version = version;
            }

            public static bool IsKnown => ForArchitecture() != null;

            public static StatLayout Current => ForArchitecture()
                ?? throw new PlatformNotSupportedException($"statx is missing and the layout of struct stat on {RuntimeInformation.ProcessArchitecture} is not known to this module.");

            public int Mode { get; }

            public int Uid { get; }

            public int Gid { get; }

            public int Version { get; }

            private static StatLayout? ForArchitecture() => RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => new StatLayout(24, 28, 32, 1),   // st_dev u64, st_ino u64, st_nlink u64, st_mode u32, ...
                Architecture.Arm64 => new StatLayout(16, 24, 28, 0), // the generic layout: st_dev, st_ino, st_mode u32, st_nlink u32, ...
                Architecture.Arm => new StatLayout(16, 24, 28, 3),   // st_dev u64, padding, st_ino u32, st_mode u32, st_nlink u32, ...
                _ => null,
            };
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int statx(int dirfd, string pathname, int flags, uint mask, byte[] statxbuf);

        [DllImport("libc", SetLastError = true)]
        private static extern int stat(string pathname, byte[] statbuf);

        [DllImport("libc", SetLastError = true)]
        private static extern int __xstat(int version, string pathname, byte[] statbuf);
    }

    /// <summary>errno values (the same on every Linux architecture .NET runs on) and the IOException for a failed libc call.</summary>
    internal static class UnixErrors
    {
        public const int EPERM = 1, ENOENT = 2, EINTR = 4, EAGAIN = 11, EACCES = 13, EEXIST = 17, ENOSPC = 28, EROFS = 30, EDQUOT = 122;

        /// <summary>An IOException whose HResult is the errno, as .NET's own I/O exceptions carry it on Unix.</summary>
        public static IOException For(string call, string path) => For(call, path, Marshal.GetLastWin32Error());

        public static IOException For(string call, string path, int errno) =>
            new IOException($"{call} failed on '{path}': {Describe(errno)}.", errno);

        public static string Describe(int errno) => errno switch
        {
            EPERM => "operation not permitted (EPERM)",
            ENOENT => "no such file or directory (ENOENT)",
            EACCES => "permission denied (EACCES)",
            EEXIST => "the file already exists (EEXIST)",
            ENOSPC => "no space left on device (ENOSPC)",
            EROFS => "read-only file system (EROFS)",
            EDQUOT => "disk quota exceeded (EDQUOT)",
            _ => $"errno {errno}",
        };
    }
}
