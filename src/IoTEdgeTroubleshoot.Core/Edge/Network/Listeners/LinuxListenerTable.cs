using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;

namespace IoTEdgeTroubleshoot.Edge.Network.Listeners
{
    /// <summary>
    /// Linux: the listening sockets of /proc/net/tcp and tcp6 (state 0A), each with its socket inode, and the
    /// processes whose /proc/&lt;pid&gt;/fd links name that inode ("socket:[12345]"). Without root, other users'
    /// processes cannot be looked into: their sockets are listed without a process.
    /// </summary>
    public sealed class LinuxListenerTable : IListenerTable
    {
        private const string Listen = "0A";
        private readonly string _proc;

        public LinuxListenerTable(string proc = "/proc") => _proc = proc;

        public IReadOnlyList<TcpListenerEntry> Listeners()
        {
            var sockets = new List<(string Address, int Port, long Inode)>();
            foreach (var name in new[] { "tcp", "tcp6" })
            {
                string path = Path.Combine(_proc, "net", name);
                if (File.Exists(path)) sockets.AddRange(ParseProcNetTcp(File.ReadAllLines(path)));
            }

            var owners = OwnersOf(new HashSet<long>(sockets.Select(s => s.Inode)));
            return sockets.Select(s =>
            {
                owners.TryGetValue(s.Inode, out int pid);
                return pid == 0
                    ? new TcpListenerEntry(s.Address, s.Port)
                    : new TcpListenerEntry(s.Address, s.Port, pid, ProcessName(pid)) { ServiceName = ServiceOf(pid) };
            }).ToArray();
        }

        /// <summary>The listening sockets of /proc/net/tcp or tcp6 text: address, port, inode.</summary>
        internal static IEnumerable<(string Address, int Port, long Inode)> ParseProcNetTcp(IEnumerable<string> lines)
        {
            foreach (var line in lines)
            {
                // "  1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000  0 12345 1 ..."
                var fields = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || !fields[0].EndsWith(":", StringComparison.Ordinal) || fields[3] != Listen) continue;
                int colon = fields[1].IndexOf(':');
                if (colon < 0
                    || !int.TryParse(fields[1].Substring(colon + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int port)
                    || !long.TryParse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture, out long inode)) continue;
                var address = ParseAddress(fields[1].Substring(0, colon));
                if (address != null) yield return (address.ToString(), port, inode);
            }
        }

        /// <summary>
        /// The kernel prints an address as 32-bit words, each the word in memory read as a number in host order:
        /// the word's bytes in memory, which are the address's bytes, come back from the number the same way.
        /// </summary>
        internal static IPAddress? ParseAddress(string hex)
        {
            if (hex.Length != 8 && hex.Length != 32) return null;
            var bytes = new byte[hex.Length / 2];
            for (int word = 0; word < hex.Length / 8; word++)
            {
                if (!uint.TryParse(hex.Substring(word * 8, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value)) return null;
                Buffer.BlockCopy(BitConverter.GetBytes(value), 0, bytes, word * 4, 4);
            }

            return new IPAddress(bytes);
        }

        /// <summary>Socket inode → process id, from every /proc/&lt;pid&gt;/fd this user may read.</summary>
        private Dictionary<long, int> OwnersOf(HashSet<long> inodes)
        {
            var owners = new Dictionary<long, int>();
            if (inodes.Count == 0) return owners;
            foreach (var dir in Directory.EnumerateDirectories(_proc))
            {
                if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
                IEnumerable<string> fds;
                try
                {
                    fds = Directory.GetFiles(Path.Combine(dir, "fd"));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    continue; // another user's process, or one that just ended
                }

                foreach (var fd in fds)
                {
                    long? inode = SocketInode(ReadLink(fd));
                    if (inode != null && inodes.Contains(inode.Value) && !owners.ContainsKey(inode.Value)) owners[inode.Value] = pid;
                }
            }

            return owners;
        }

        /// <summary>"socket:[12345]" → 12345.</summary>
        internal static long? SocketInode(string? link) =>
            link != null && link.StartsWith("socket:[", StringComparison.Ordinal) && link.EndsWith("]", StringComparison.Ordinal)
            && long.TryParse(link.Substring(8, link.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out long inode) ? inode : (long?)null;

        private string? ProcessName(int pid)
        {
            try
            {
                return File.ReadAllText(Path.Combine(_proc, pid.ToString(CultureInfo.InvariantCulture), "comm")).Trim();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>The systemd service of a process, from its cgroup ("0::/system.slice/nginx.service").</summary>
        private string? ServiceOf(int pid)
        {
            try
            {
                return ServiceFromCgroup(File.ReadAllLines(Path.Combine(_proc, pid.ToString(CultureInfo.InvariantCulture), "cgroup")));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }

        internal static string? ServiceFromCgroup(IEnumerable<string> lines) => lines
            .Select(line => line.Substring(line.LastIndexOf(':') + 1))
            .Select(path => path.Split('/').LastOrDefault(part => part.EndsWith(".service", StringComparison.Ordinal)))
            .FirstOrDefault(service => service != null && !service.StartsWith("user@", StringComparison.Ordinal));

        private static string? ReadLink(string path)
        {
            var buffer = new byte[256];
            long length = readlink(path, buffer, (UIntPtr)buffer.Length);
            return length <= 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)Math.Min(length, buffer.Length));
        }

        [DllImport("libc", SetLastError = true)]
        private static extern long readlink(string path, byte[] buffer, UIntPtr size);
    }
}
