using System.IO;
using System.Runtime.InteropServices;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    /// <summary>Whether a service account can read a file, decided from the permission bits of the file and the folders above it.</summary>
    public class ServiceFileAccessTests
    {
        [Fact]
        public void AnAccountReadsByItsOwnGroupOrOtherBits_AndNeedsEveryFolderOpen()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return;
            using var dir = new TempFolder();
            string passwd = dir.Write("passwd", "root:x:0:0:root:/root:/bin/sh\naziotks:x:64000:64000::/var/lib/aziot:/sbin/nologin\n");
            string group = dir.Write("group", "root:x:0:\naziotks:x:64000:\n");
            string keys = Path.Combine(dir.Path, "keys");
            Directory.CreateDirectory(keys);
            string key = Path.Combine(keys, "device-id.key.pem");
            File.WriteAllText(key, "-----BEGIN PRIVATE KEY-----\n");
            var access = new LinuxServiceFileAccess(passwd, group);
            File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(keys, (UnixFileMode)0b111_101_101);

            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Assert.Equal(FileAccessVerdict.Denied, access.CanRead(key, "aziotks", out string? why));
            Assert.Contains("no read permission", why);

            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            Assert.Equal(FileAccessVerdict.Readable, access.CanRead(key, "aziotks", out _));

            File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Assert.Equal(FileAccessVerdict.Denied, access.CanRead(key, "aziotks", out why));
            Assert.Contains("cannot enter the folder", why);

            Assert.Equal(FileAccessVerdict.Readable, access.CanRead(key, "root", out _));
            Assert.Equal(FileAccessVerdict.Unknown, access.CanRead(key, "aziotcs", out _));
        }
    }
}
