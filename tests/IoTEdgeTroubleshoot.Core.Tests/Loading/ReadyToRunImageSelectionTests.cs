using System;
using System.IO;
using System.Runtime.InteropServices;
using IoTEdgeTroubleshoot.Isolation;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Loading
{
    public class ReadyToRunImageSelectionTests
    {
        private static readonly string Root = Path.Combine(Path.GetTempPath(), "Modules", "IoTEdgeTroubleshoot", "0.1.0");
        private static readonly Version Net10 = new Version(10, 0, 12);

        public static TheoryData<string, Architecture, string> Shipped => new()
        {
            { "LINUX", Architecture.X64, "linux-x64" },
            { "LINUX", Architecture.Arm64, "linux-arm64" },
            { "WINDOWS", Architecture.X64, "win-x64" },
        };

        public static TheoryData<string, Architecture> NotShipped => new()
        {
            { "LINUX", Architecture.X86 },
            { "LINUX", Architecture.Arm }, // 32-bit Raspberry Pi OS
            { "LINUX", Architecture.S390x },
            { "WINDOWS", Architecture.Arm64 },
            { "WINDOWS", Architecture.X86 },
            { "OSX", Architecture.Arm64 },
            { "OSX", Architecture.X64 },
            { "FREEBSD", Architecture.X64 },
            { "Plan 9 from Bell Labs", Architecture.X64 }, // an OS the runtime has no name for
        };

        [Theory]
        [MemberData(nameof(Shipped))]
        public void Picks_the_image_of_a_shipped_platform(string os, Architecture architecture, string rid)
        {
            Assert.Equal(rid, ReadyToRunImageSelection.RuntimeIdentifierFor(OSPlatform.Create(os), architecture));

            string? path = ReadyToRunImageSelection.ImagePathFor(Root, OSPlatform.Create(os), architecture, Net10, out string reason);

            Assert.Equal(Path.Combine(Root, "runtimes", rid, "IoTEdgeTroubleshoot.Core.dll"), path);
            Assert.Equal(rid, reason);
        }

        [Theory]
        [MemberData(nameof(NotShipped))]
        public void Leaves_any_other_platform_to_the_IL(string os, Architecture architecture)
        {
            Assert.Null(ReadyToRunImageSelection.RuntimeIdentifierFor(OSPlatform.Create(os), architecture));

            string? path = ReadyToRunImageSelection.ImagePathFor(Root, OSPlatform.Create(os), architecture, Net10, out string reason);

            Assert.Null(path);
            Assert.Equal($"no ReadyToRun image is shipped for {os} {architecture}", reason);
        }

        [Theory]
        [InlineData(8, 0, 22)] // PowerShell 7.4
        [InlineData(9, 0, 11)] // PowerShell 7.5
        public void Leaves_an_older_runtime_to_the_IL_as_it_could_not_use_the_native_code(int major, int minor, int build)
        {
            var runtime = new Version(major, minor, build);

            string? path = ReadyToRunImageSelection.ImagePathFor(Root, OSPlatform.Linux, Architecture.X64, runtime, out string reason);

            Assert.Null(path);
            Assert.Equal($".NET {runtime} cannot use ReadyToRun code compiled for .NET 10", reason);
        }

        [Fact]
        public void Offers_the_image_to_a_newer_runtime_which_decides_itself_whether_it_can_use_the_code()
        {
            string? path = ReadyToRunImageSelection.ImagePathFor(Root, OSPlatform.Windows, Architecture.X64, new Version(11, 0, 0), out _);

            Assert.Equal(Path.Combine(Root, "runtimes", "win-x64", "IoTEdgeTroubleshoot.Core.dll"), path);
        }

        [Fact]
        public void Names_this_machine_as_the_runtime_does()
        {
            OSPlatform current = ReadyToRunImageSelection.CurrentOS();

            Assert.True(RuntimeInformation.IsOSPlatform(current), $"{current} is not this machine's OS");
        }
    }
}
