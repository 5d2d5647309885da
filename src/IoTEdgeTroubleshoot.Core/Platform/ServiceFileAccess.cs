using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace IoTEdgeTroubleshoot.Platform
{
    public enum FileAccessVerdict
    {
        /// <summary>The account can read the file.</summary>
        Readable,

        /// <summary>The account cannot: a folder on the way or the file itself denies it.</summary>
        Denied,

        /// <summary>Not known here: no such account on this machine, or a platform without Unix modes.</summary>
        Unknown,
    }

    /// <summary>Whether a service account (aziotks, aziotcs) can read a file, as the kernel would decide.</summary>
    public interface IServiceFileAccess
    {
        FileAccessVerdict CanRead(string path, string account, out string? reason);
    }

    public static class ServiceFileAccess
    {
        public static IServiceFileAccess ForThisPlatform() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? new LinuxServiceFileAccess("/etc/passwd", "/etc/group") : (IServiceFileAccess)new UnknownAccess();

        private sealed class UnknownAccess : IServiceFileAccess
        {
            public FileAccessVerdict CanRead(string path, string account, out string? reason)
            {
                reason = null;
                return FileAccessVerdict.Unknown;
            }
        }
    }

    /// <summary>
    /// Unix permission bits, read with statx: the account needs x on every folder from / down and r on the
    /// file, as owner, through its primary or a supplementary group, or as anyone. Accounts and groups come
    /// from /etc/passwd and /etc/group (the aziot packages create them there).
    /// </summary>
    internal sealed class LinuxServiceFileAccess : IServiceFileAccess
    {
        private readonly string _passwd;
        private readonly string _group;

        public LinuxServiceFileAccess(string passwd, string group)
        {
            _passwd = passwd;
            _group = group;
        }

        public FileAccessVerdict CanRead(string path, string account, out string? reason)
        {
            reason = null;
            var user = FindAccount(account);
            if (user == null) return FileAccessVerdict.Unknown;
            var (uid, gid) = user.Value;
            if (uid == 0) return FileAccessVerdict.Readable;
            var groups = new HashSet<uint>(GroupsOf(account)) { gid };

            string full = Path.GetFullPath(path);
            var chain = new List<string>();
            for (string? folder = Path.GetDirectoryName(full); !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder)) chain.Add(folder!);
            chain.Reverse();
            foreach (var folder in chain)
            {
                if (!Allows(folder, uid, groups, 1))
                {
                    reason = $"{account} cannot enter the folder '{folder}'";
                    return FileAccessVerdict.Denied;
                }
            }

            if (!Allows(full, uid, groups, 4))
            {
                reason = $"{account} has no read permission on it";
                return FileAccessVerdict.Denied;
            }

            return FileAccessVerdict.Readable;
        }

        // bit: 4 = read, 1 = execute (enter a folder).
        private static bool Allows(string path, uint uid, HashSet<uint> groups, uint bit)
        {
            var status = UnixStat.ForThisSystem.Of(path);
            if (status.Uid == uid) return (status.Mode & (bit << 6)) != 0;
            if (groups.Contains(status.Gid)) return (status.Mode & (bit << 3)) != 0;
            return (status.Mode & bit) != 0;
        }

        private (uint Uid, uint Gid)? FindAccount(string account)
        {
            foreach (var fields in Lines(_passwd))
            {
                if (fields.Length > 3 && fields[0] == account && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint uid)
                    && uint.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out uint gid))
                {
                    return (uid, gid);
                }
            }

            return null;
        }

        private IEnumerable<uint> GroupsOf(string account)
        {
            foreach (var fields in Lines(_group))
            {
                if (fields.Length > 3 && fields[3].Split(',').Contains(account) && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint gid)) yield return gid;
            }
        }

        private static IEnumerable<string[]> Lines(string file)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(file);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                yield break;
            }

            foreach (var line in lines) yield return line.Split(':');
        }
    }
}
