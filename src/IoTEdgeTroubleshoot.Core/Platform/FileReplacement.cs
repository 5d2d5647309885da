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

        /// <summary>
        /// After the rename: waits (up to <paramref name="timeout"/>) until no program still has the replaced
        /// file open for writing, so that what it holds is final and can be carried over.
        /// </summary>
        void WaitForWriters(Stream replaced, TimeSpan timeout);

        /// <summary>Appends at the end of the file as it is at that moment, however many others append at once (O_APPEND), and flushes.</summary>
        void Append(string path, byte[] bytes, int offset, int count);
    }

    internal static class FileReplacement
    {
        public static IFileReplacement ForThisPlatform() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? new WindowsFileReplacement() : (IFileReplacement)new UnixFileReplacement();
    }

    /// <summary>realpath(3), flock(2) on the folder, and rename(2), which replaces the target atomically.</summary>
    internal sealed class UnixFileReplacement : IFileReplacement
    {
        private const int O_RDONLY = 0, O_WRONLY = 0x1, O_APPEND = 0x400, O_CLOEXEC = 0x80000;
        private const int LOCK_EX = 2, LOCK_NB = 4;
        private const int F_SETSIG = 10, F_SETLEASE = 1024, F_RDLCK = 0, F_UNLCK = 2, SIGURG = 23;
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

        // A read lease is granted only while nobody has the file open for writing (any process, this one included):
        // then nothing more can be written into the replaced file. The lease is released at once; should it be broken
        // in between, the signal is SIGURG, which is ignored, not SIGIO, which would end the process.
        public void WaitForWriters(Stream replaced, TimeSpan timeout)
        {
            if (!(replaced is FileStream file)) return;
            int fd = (int)file.SafeFileHandle.DangerousGetHandle();
            fcntl(fd, F_SETSIG, SIGURG);
            var clock = Stopwatch.StartNew();
            while (fcntl(fd, F_SETLEASE, F_RDLCK) != 0)
            {
                // EAGAIN: a writer still has it open. Anything else: no leases here (NFS, leases disabled): the rounds of
                // reading after the rename are all there is.
                if (Marshal.GetLastWin32Error() != UnixErrors.EAGAIN || clock.Elapsed >= timeout) return;
                Thread.Sleep(1);
            }

            fcntl(fd, F_SETLEASE, F_UNLCK);
        }

        // .NET's FileMode.Append seeks to the end once and writes there: two appenders can overwrite each other.
        public void Append(string path, byte[] bytes, int offset, int count)
        {
            int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
            if (fd < 0) throw UnixErrors.For("open", path);
            using var stream = new FileStream(new SafeFileHandle((IntPtr)fd, ownsHandle: true), FileAccess.Write, bufferSize: 1);
            stream.Write(bytes, offset, count);
            stream.Flush(flushToDisk: true);
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int fcntl(int fd, int cmd, int arg);

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

        public void WaitForWriters(Stream replaced, TimeSpan timeout)
        {
        }

        public void Append(string path, byte[] bytes, int offset, int count)
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            stream.Write(bytes, offset, count);
            stream.Flush(flushToDisk: true);
        }
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
