using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks
{
    /// <summary>The space of the volume a folder is on.</summary>
    internal sealed class DiskSpace
    {
        public DiskSpace(string volume, long free, long total)
        {
            Volume = volume;
            Free = free;
            Total = total;
        }

        /// <summary>Where the volume is mounted ("/", "/var/lib/docker", "C:\").</summary>
        public string Volume { get; }

        /// <summary>Free to root, which the container engine and its containers' storage run as.</summary>
        public long Free { get; }

        public long Total { get; }

        public double FreeShare => Total <= 0 ? 0 : (double)Free / Total;

        /// <summary>Error, Warning or Pass by <see cref="DeviceCheckThresholds"/>.</summary>
        public CheckStatus Verdict =>
            Free < DeviceCheckThresholds.DiskFreeErrorBytes || FreeShare < DeviceCheckThresholds.DiskFreeErrorShare ? CheckStatus.Error
            : Free < DeviceCheckThresholds.DiskFreeWarningBytes || FreeShare < DeviceCheckThresholds.DiskFreeWarningShare ? CheckStatus.Warning
            : CheckStatus.Pass;

        public string Describe() => string.Format(CultureInfo.InvariantCulture, "{0} free of {1} ({2:0.#}%) on the volume mounted at '{3}'", Size(Free), Size(Total), FreeShare * 100, Volume);

        internal static string Size(long bytes) => bytes >= 1L << 30
            ? string.Format(CultureInfo.InvariantCulture, "{0:0.#} GB", bytes / (double)(1L << 30))
            : string.Format(CultureInfo.InvariantCulture, "{0:0.#} MB", bytes / (double)(1L << 20));

        /// <summary>
        /// The space of the volume <paramref name="path"/> is on, measured at its nearest existing folder (the
        /// engine's root may not exist yet); null when no part of the path exists.
        /// </summary>
        public static DiskSpace? Measure(string path)
        {
            string? existing = path;
            while (existing != null && !Directory.Exists(existing)) existing = Path.GetDirectoryName(existing);
            if (existing == null) return null;
            var drive = new DriveInfo(existing); // on Unix the space of the file system that holds this folder
            return new DiskSpace(MountOf(existing) ?? drive.RootDirectory.FullName, drive.TotalFreeSpace, drive.TotalSize);
        }

        /// <summary>The longest mount point that holds the path, for messages; null when the mounts cannot be listed.</summary>
        private static string? MountOf(string path)
        {
            try
            {
                string full = Path.GetFullPath(path);
                var comparison = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                return DriveInfo.GetDrives()
                    .Select(d => d.Name)
                    .Where(name => full.Equals(name.TrimEnd('/', '\\'), comparison) || full.StartsWith(name.EndsWith("/", StringComparison.Ordinal) || name.EndsWith("\\", StringComparison.Ordinal) ? name : name + Path.DirectorySeparatorChar, comparison))
                    .OrderByDescending(name => name.Length)
                    .FirstOrDefault();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
