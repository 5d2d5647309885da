using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>Mode and owner of a file, and new files that carry them from their first instant.</summary>
    public interface IFilePermissions
    {
        /// <summary>
        /// Creates <paramref name="path"/>, which must not exist yet, open for writing. From the moment it
        /// exists it is readable by nobody who cannot read <paramref name="likeFile"/>, and before it is
        /// returned it has that file's mode and owner, so what is then written into it (keys) never shows
        /// to anyone else, not even for an instant.
        /// </summary>
        Stream CreateLike(string likeFile, string path);

        /// <summary>The file's mode bits (Unix), or null where that means nothing.</summary>
        int? ModeOf(string path);
    }

    public static class FilePermissions
    {
        /// <summary>What this platform offers: Linux mode and owner; on Windows a new file inherits its folder's ACL (File.Replace then keeps the original's).</summary>
        public static IFilePermissions ForThisPlatform() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? new LinuxFilePermissions(UnixStat.ForThisSystem) : (IFilePermissions)new WindowsFilePermissions();

        private sealed class WindowsFilePermissions : IFilePermissions
        {
            public Stream CreateLike(string likeFile, string path) => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);

            public int? ModeOf(string path) => null;
        }
    }

    /// <summary>
    /// Linux through libc (netstandard2.0 has no API for modes and owners): the file is created by
    /// open(2) with O_EXCL and at most the owner's bits of the original's mode, then given the
    /// original's owner and exact mode through its descriptor, and only then handed out for writing.
    /// </summary>
    internal sealed class LinuxFilePermissions : IFilePermissions
    {
        // The same on every architecture .NET supports on Linux (asm-generic, x86, arm).
        private const int O_WRONLY = 0x1, O_CREAT = 0x40, O_EXCL = 0x80, O_CLOEXEC = 0x80000;
        private const uint OwnerReadWrite = 0x180; // 0600

        private readonly UnixStat _stat;

        public LinuxFilePermissions(UnixStat stat) => _stat = stat;

        public Stream CreateLike(string likeFile, string path)
        {
            var like = _stat.Of(likeFile);

            // O_EXCL: never an existing file, nor a link someone planted under this name.
            int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, like.Permissions & OwnerReadWrite);
            if (fd < 0) throw UnixErrors.For("open", path);
            var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
            try
            {
                // Only root may give a file away; anyone may keep their own. Skip when it is already right.
                var created = _stat.Of(path);
                if ((created.Uid != like.Uid || created.Gid != like.Gid) && fchown(fd, like.Uid, like.Gid) != 0) throw UnixErrors.For("fchown", path);

                // After fchown, which clears set-id bits.
                if (fchmod(fd, like.Permissions) != 0) throw UnixErrors.For("fchmod", path);
                return new FileStream(handle, FileAccess.Write, bufferSize: 1);
            }
            catch
            {
                handle.Dispose();
                unlink(path);
                throw;
            }
        }

        public int? ModeOf(string path) => (int)_stat.Of(path).Permissions;

        [DllImport("libc", SetLastError = true)]
        private static extern int open(string pathname, int flags, uint mode);

        [DllImport("libc", SetLastError = true)]
        private static extern int fchmod(int fd, uint mode);

        [DllImport("libc", SetLastError = true)]
        private static extern int fchown(int fd, uint owner, uint group);

        [DllImport("libc", SetLastError = true)]
        private static extern int unlink(string pathname);
    }
}
