using System;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks
{
    /// <summary>
    /// Every number the device checks decide by, in one place, each with why it has its value. Where
    /// `iotedge check` / `aziotctl check` has the same check, the value is theirs.
    /// </summary>
    public static class DeviceCheckThresholds
    {
        // Certificates
        /// <summary>
        /// A certificate that expires within this is a Warning: aziotctl check and iotedge check warn 7 days
        /// before not-after ("will expire soon"); expired or not yet valid is an Error in both.
        /// </summary>
        public static readonly TimeSpan CertificateRenewalWindow = TimeSpan.FromDays(7);

        // Clock
        /// <summary>An offset from the time server of this or more is a Warning, as aziotctl's host-local-time check has it.</summary>
        public static readonly TimeSpan ClockOffsetWarning = TimeSpan.FromSeconds(10);

        /// <summary>
        /// Beyond aziotctl, which only warns: an offset of this or more is an Error, since the SAS tokens the
        /// device and its modules make live about an hour (the SDKs' default), so each one is already expired
        /// (clock behind) in IoT Hub's eyes, and certificates issued now are "not yet valid" elsewhere.
        /// </summary>
        public static readonly TimeSpan ClockOffsetError = TimeSpan.FromHours(1);

        /// <summary>The SNTP port when the time server is given without one (RFC 4330).</summary>
        public const int SntpPort = 123;

        // Disk space
        /// <summary>
        /// Free space below this share of the volume is a Warning: edgeHub keeps messages on this disk
        /// while offline (store and forward) and image pulls need the image's size free, so the margin goes
        /// quickly once it starts to go (see the disk-full known issue).
        /// </summary>
        public const double DiskFreeWarningShare = 0.10;

        /// <summary>Free space below this many bytes is a Warning whatever the share: an edgeHub or edgeAgent image update alone takes a few hundred MB.</summary>
        public const long DiskFreeWarningBytes = 1024L * 1024 * 1024;

        /// <summary>Free space below this share of the volume is an Error: RocksDB (edgeHub's store) fails its writes and compactions when the disk fills, and messages are lost.</summary>
        public const double DiskFreeErrorShare = 0.02;

        /// <summary>Free space below this many bytes is an Error whatever the share: less than one image layer and a day of busy logs.</summary>
        public const long DiskFreeErrorBytes = 256L * 1024 * 1024;
    }
}
