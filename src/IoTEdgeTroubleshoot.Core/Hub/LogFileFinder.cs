using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>
    /// The log files a path names: a file as is, a folder's log files (<see cref="ConnectionLogReader.LogFileExtensions"/>)
    /// recursively, in a stable order. Links to folders are followed, but each real folder is searched once,
    /// so a link back up the tree (a loop) or a second way to the same folder is skipped with a warning, not
    /// followed forever. A folder that cannot be listed is a <see cref="ErrorIds.LogFolderUnreadable"/> problem,
    /// and the others are still searched. Cancellation is checked at every folder.
    /// </summary>
    public static class LogFileFinder
    {
        /// <summary>
        /// How deep below the folder given a search goes. A storage export is about a dozen folders deep; only a
        /// loop that no link shows (a bind mount of a folder inside itself) goes on for ever, and this ends it.
        /// </summary>
        public const int MaxDepth = 64;

        public static IReadOnlyList<string> Find(string path, IReporter reporter, CancellationToken cancellationToken)
        {
            if (!Directory.Exists(path)) return new[] { path };

            var files = new List<string>();
            var searched = new HashSet<string>(RealPath.Comparer);
            string root = Path.GetFullPath(path);
            string realRoot = RealPath.Of(root) ?? root;
            searched.Add(realRoot);
            var pending = new Stack<(string Path, string Real, int Depth)>();
            pending.Push((root, realRoot, 0));
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (folder, real, depth) = pending.Pop();
                FileInfo[] folderFiles;
                DirectoryInfo[] subfolders;
                try
                {
                    var info = new DirectoryInfo(folder);
                    folderFiles = info.GetFiles();
                    subfolders = info.GetDirectories();
                }
                catch (Exception ex) when (ex is UnauthorizedAccessException || ex is IOException || ex is System.Security.SecurityException)
                {
                    reporter.Problem(FolderFailure(folder, ex));
                    continue;
                }

                files.AddRange(folderFiles
                    .Where(f => ConnectionLogReader.LogFileExtensions.Contains(f.Extension, StringComparer.OrdinalIgnoreCase))
                    .Select(f => f.FullName));

                if (depth == MaxDepth && subfolders.Length > 0)
                {
                    reporter.Warning($"'{folder}' is {MaxDepth} folders below '{path}', deeper than a log export goes: the folders in it were not searched (does a mount loop back?).");
                    continue;
                }

                foreach (var sub in subfolders)
                {
                    // A folder reached through a link is where the link leads; any other is where its parent is.
                    bool isLink = (sub.Attributes & FileAttributes.ReparsePoint) != 0;
                    string? subReal = isLink ? RealPath.Of(sub.FullName) : Path.Combine(real, sub.Name);
                    if (subReal == null)
                    {
                        reporter.Warning($"'{sub.FullName}' is a link, and where it leads cannot be told (a broken link?): it was not searched.");
                        continue;
                    }

                    if (!searched.Add(subReal))
                    {
                        bool loop = IsWithin(real, subReal);
                        reporter.Warning(loop
                            ? $"'{sub.FullName}' links back to '{subReal}', a folder that holds it (a loop): it was not searched again."
                            : $"'{sub.FullName}' leads to '{subReal}', which is searched already: it was not searched twice, so its files are read once.");
                        continue;
                    }

                    pending.Push((sub.FullName, subReal, depth + 1));
                }
            }

            files.Sort(StringComparer.Ordinal);
            return files;
        }

        /// <summary>What to tell the user when a folder cannot be listed.</summary>
        internal static Problem FolderFailure(string folder, Exception ex) => ex is UnauthorizedAccessException || ex is System.Security.SecurityException
            ? new Problem(ErrorIds.LogFolderUnreadable, ProblemKind.PermissionDenied, folder,
                $"Cannot search the folder '{folder}': access is denied, so its log files were not read. Run as a user who can list it (elevated, or in its group), or pass a folder you can read.", ex)
            : new Problem(ErrorIds.LogFolderUnreadable, ProblemKind.ReadError, folder,
                $"Cannot search the folder '{folder}': {ex.Message} Its log files were not read.", ex);

        /// <summary>
        /// For a path that seems not to exist (or a wildcard that matches nothing): the folder on its way that may
        /// not be searched, as a <see cref="ErrorIds.LogFolderUnreadable"/> problem, when that is why; null when
        /// nothing is in the way and the path is simply not there. (Without the right to search a folder, what is in
        /// it looks missing: File.Exists says false.)
        /// </summary>
        /// <param name="path">The path, or for a wildcard the part before it.</param>
        /// <param name="shown">The path as the user gave it, for the message (default: <paramref name="path"/>).</param>
        public static Problem? FolderInTheWay(string path, string? shown = null)
        {
            string? folder;
            try
            {
                folder = Path.GetDirectoryName(Path.GetFullPath(path));
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException || ex is System.Security.SecurityException)
            {
                return null;
            }

            for (; folder != null; folder = Path.GetDirectoryName(folder))
            {
                if (!Directory.Exists(folder)) continue;
                try
                {
                    using var entries = Directory.EnumerateFileSystemEntries(folder).GetEnumerator();
                    entries.MoveNext();
                    return null; // the nearest folder there is can be searched: the path is simply not there
                }
                catch (Exception ex) when (ex is UnauthorizedAccessException || ex is System.Security.SecurityException)
                {
                    return new Problem(ErrorIds.LogFolderUnreadable, ProblemKind.PermissionDenied, folder,
                        $"Cannot reach '{shown ?? path}': access to the folder '{folder}' is denied, so what it holds cannot be seen. Run as a user who can search it (elevated, or in its group), or copy the logs somewhere readable.", ex);
                }
                catch (IOException)
                {
                    return null;
                }
            }

            return null;
        }

        /// <summary>
        /// Why the file a path leads to (links followed) must not be opened, or null for a regular file: a named pipe
        /// opens only when something writes into it, and a device such as /dev/zero never ends. On Linux the file's
        /// type says it (stat); elsewhere on Unix such files report no size, as an empty file does, which holds
        /// nothing anyway. Windows has no such files among a folder's.
        /// </summary>
        internal static string? NotRegular(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return null;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                try
                {
                    return (UnixStat.ForThisSystem.Of(path).Mode & 0xF000) switch
                    {
                        0x1000 => "is a named pipe (FIFO), not a regular file",
                        0x2000 => "is a character device, not a regular file",
                        0x6000 => "is a block device, not a regular file",
                        0xC000 => "is a socket, not a regular file",
                        _ => null,
                    };
                }
                catch (Exception ex) when (ex is IOException || ex is PlatformNotSupportedException || ex is UnauthorizedAccessException)
                {
                    return null; // opening it says what is wrong
                }
            }

            return LengthOf(path) == 0 ? "is empty, or is not a regular file (a named pipe, a socket or a device)" : null;
        }

        /// <summary>
        /// The size of the file the path leads to, links followed (a link's own size is that of its text), or -1
        /// when it cannot be told. Zero for a named pipe, a socket or a device, which report no size.
        /// </summary>
        internal static long LengthOf(string path)
        {
            try
            {
                var info = new FileInfo(path);
                if ((info.Attributes & FileAttributes.ReparsePoint) != 0 && RealPath.Of(path) is string target) info = new FileInfo(target);
                return info.Length;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is System.Security.SecurityException || ex is ArgumentException || ex is NotSupportedException)
            {
                return -1;
            }
        }

        private static bool IsWithin(string folder, string ancestor)
        {
            string prefix = ancestor.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? ancestor : ancestor + Path.DirectorySeparatorChar;
            return RealPath.Comparer.Equals(folder, ancestor) || folder.StartsWith(prefix, RealPath.Comparer == StringComparer.Ordinal ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
        }
    }
}
