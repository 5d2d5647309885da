using System;
using System.IO;
using System.Runtime.InteropServices;

namespace IoTEdgeTroubleshoot.Isolation
{
    /// <summary>
    /// Which ReadyToRun image of Core (precompiled native code beside its IL) this process can use:
    /// the module ships runtimes/&lt;rid&gt;/IoTEdgeTroubleshoot.Core.dll for linux-x64, linux-arm64 and
    /// win-x64, compiled for .NET 10 (build/ReadyToRun/ReadyToRun.csproj says why). Any other
    /// platform or runtime gets no image and runs the IL at the module root.
    /// Pure decisions with no PowerShell type, so the xunit tests compile it in and test it.
    /// </summary>
    internal static class ReadyToRunImageSelection
    {
        public const string RuntimesFolderName = "runtimes";
        public const string CoreFileName = "IoTEdgeTroubleshoot.Core.dll";

        // The images' ReadyToRun format is .NET 10's (major version 16): .NET 8 and 9 would ignore their
        // native code (so loading them there only costs time), and .NET 10 ignores .NET 8's.
        public const int ImageRuntimeMajorVersion = 10;

        /// <summary>The runtimes/ folder name for a platform, or null when the module ships no image for it.</summary>
        public static string? RuntimeIdentifierFor(OSPlatform os, Architecture architecture)
        {
            if (os == OSPlatform.Linux)
            {
                // Also right for musl (Alpine): native code calls the runtime, not the C library.
                if (architecture == Architecture.X64) return "linux-x64";
                if (architecture == Architecture.Arm64) return "linux-arm64";
                return null;
            }

            if (os == OSPlatform.Windows && architecture == Architecture.X64) return "win-x64";
            return null; // macOS, Windows arm64, x86, 32-bit arm, anything newer: the IL
        }

        /// <summary>
        /// The image to load for this platform and runtime (<paramref name="runtimeVersion"/> is
        /// Environment.Version), or null with <paramref name="reason"/> saying why the IL serves.
        /// Only names here: whether the file is there and sound is <see cref="ReadyToRunImage"/>'s to find out.
        /// </summary>
        public static string? ImagePathFor(string moduleRoot, OSPlatform os, Architecture architecture, Version runtimeVersion, out string reason)
        {
            if (runtimeVersion.Major < ImageRuntimeMajorVersion)
            {
                reason = $".NET {runtimeVersion} cannot use ReadyToRun code compiled for .NET {ImageRuntimeMajorVersion}";
                return null;
            }

            string? rid = RuntimeIdentifierFor(os, architecture);
            if (rid == null)
            {
                reason = $"no ReadyToRun image is shipped for {os} {architecture}";
                return null;
            }

            reason = rid;
            return Path.Combine(moduleRoot, RuntimesFolderName, rid, CoreFileName);
        }

        /// <summary>The running process's platform, as <see cref="ImagePathFor"/> takes it.</summary>
        public static OSPlatform CurrentOS()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return OSPlatform.Linux;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return OSPlatform.Windows;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) return OSPlatform.OSX;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.FreeBSD)) return OSPlatform.FreeBSD;
            return OSPlatform.Create(RuntimeInformation.OSDescription);
        }
    }
}
