using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using Microsoft.Win32.SafeHandles;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>The steps of an atomic replacement that differ between Linux and Windows (and that tests replace to inject faults).</summary>
    internal interface IFileReplacement
    {
        /// <summary>The file a path finally names, through every symbolic link: that file is edited and the links stay.</summary>
        string ResolveLinks(string path);

        /// <summary>
        /// An advisory lock on the folder, held for the whole edit, so two runs of these commands (two
        /// scheduled scripts) never interleave. Null when another holder keeps it past <paramref name="timeout"/>.
        /// </summary>
        IDisposable? LockFolder(string folder, TimeSpan timeout);

        /// <summary>The file opened for reading, to compare with what was read before; on Linux it keeps reading the replaced file after the rename.</summary>
        Stream OpenForCheck(string path);

        /// <summary>Puts <paramref name="temp"/> in place of <paramref name="target"/> in one step.</summary>
        void Replace(string temp, string target);
    }

    internal static class FileReplacement
    {
        public static IFileReplacement ForThisPlatform() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? new WindowsFileReplacement() : (IFileReplacement)new UnixFileReplacement();
    }

    /// <summary>realpath(3), flock(2) on the folder, and rename(2), which replaces the target atomically.</summary>
    internal sealed class UnixFileReplacement : IFileReplacement
    {
        private const int O_RDONLY = 0, O_CLOEXEC = 0x80000;
        private const int LOCK_EX = 2, LOCK_NB = 4;
        private const int PathMax = 4096;

        public string ResolveLinks(string path)
        {
            var buffer = new byte[PathMax + 1];
            if (realpath(path, buffer) == IntPtr.Zero) return path; // missing: the read before already said so
            int length = Array.IndexOf(buffer, (byte)0);
            return Encoding.UTF8.GetString(buffer, 0, length < 0 ? buffer.Length : length);
        }

        public IDisposable? LockFolder(string folder, TimeSpan timeout)
        {
            int fd = open(folder, O_RDONLY | O_CLOEXEC);
            if (fd < 0) return NoLock.Instance; // a folder we may write but not read: the check before the rename still guards
            var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
            var clock = Stopwatch.StartNew();
            while (flock(fd, LOCK_EX | LOCK_NB) != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (errno != UnixErrors.EAGAIN && errno != UnixErrors.EINTR)
                {
                    // No lock support there (some network file systems): go on with the checks alone.
                    handle.Dispose();
                    return NoLock.Instance;
                }

                if (clock.Elapsed >= timeout)
                {
                    handle.Dispose();
                    return null;
                }

                Thread.Sleep(20);
            }

            return handle; // closing the descriptor releases the lock
        }

        public Stream OpenForCheck(string path) => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        public void Replace(string temp, string target)
        {
            if (rename(temp, target) != 0) throw UnixErrors.For("rename", target);

            // The rename survives a power loss once the folder is on disk too; failing that changes nothing already done.
            int fd = open(Path.GetDirectoryName(target) ?? ".", O_RDONLY | O_CLOEXEC);
            if (fd < 0) return;
            fsync(fd);
            close(fd);
        }

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr realpath(string path, byte[] resolved);

        [DllImport("libc", SetLastError = true)]
        private static extern int open(string pathname, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern int flock(int fd, int operation);

        [DllImport("libc", SetLastError = true)]
        private static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        private static extern int close(int fd);

        [DllImport("libc", SetLastError = true)]
        private static extern int rename(string oldpath, string newpath);
    }

    /// <summary>
    /// Windows: File.Replace keeps the original's ACL and attributes. Not run by this project's tests
    /// (they run on Linux): links are not followed and there is no folder lock; the check just before
    /// the replace still guards against other writers.
    /// </summary>
    internal sealed class WindowsFileReplacement : IFileReplacement
    {
        public string ResolveLinks(string path) => path;

        public IDisposable? LockFolder(string folder, TimeSpan timeout) => NoLock.Instance;

        // A copy: File.Replace needs the file closed, and the replaced file cannot be read after it.
        public Stream OpenForCheck(string path) => new MemoryStream(File.ReadAllBytes(path), writable: false);

        public void Replace(string temp, string target) => File.Replace(temp, target, null);
    }

    /// <summary>Where there is no lock to take: the check before the replacement is the only guard.</summary>
    internal sealed class NoLock : IDisposable
    {
        public static readonly NoLock Instance = new NoLock();

        public void Dispose()
        {
        }
    }
}
