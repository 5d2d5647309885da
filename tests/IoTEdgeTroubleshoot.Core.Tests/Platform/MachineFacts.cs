using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    /// <summary>What a test needs from the machine, beyond Linux.</summary>
    [Flags]
    public enum Needs
    {
        Linux = 0,
        Root = 1,

        /// <summary>setpriv and the user nobody, to run a process as another, unprivileged user.</summary>
        Nobody = 2 | Root,

        /// <summary>mount -t tmpfs, for a small file system that fills up.</summary>
        Tmpfs = 4 | Root,

        /// <summary>chattr +i on the temp folder's file system, for a file even root cannot replace.</summary>
        Immutable = 8 | Root,

        /// <summary>flock(1), to hold a lock from another process.</summary>
        FlockTool = 16,
    }

    /// <summary>
    /// A fact that runs only where the machine allows it, and is reported as skipped, with the reason,
    /// everywhere else (xunit 2 has no skip from inside a test: the reason is found when tests are listed).
    /// </summary>
    public sealed class MachineFactAttribute : FactAttribute
    {
        public MachineFactAttribute(Needs needs = Needs.Linux) => Skip = Machine.WhyNot(needs);
    }

    /// <inheritdoc cref="MachineFactAttribute"/>
    public sealed class MachineTheoryAttribute : TheoryAttribute
    {
        public MachineTheoryAttribute(Needs needs = Needs.Linux) => Skip = Machine.WhyNot(needs);
    }

    public static class Machine
    {
        public const int Nobody = 65534;

        private static readonly Lazy<string?> RootProblem = new Lazy<string?>(() => geteuid() == 0 ? null : "needs root (the tests run as an unprivileged user)");
        private static readonly Lazy<string?> NobodyProblem = new Lazy<string?>(() =>
            Run("setpriv", $"--reuid={Nobody} --regid={Nobody} --clear-groups -- /bin/true") == 0 ? null : "needs setpriv and a working switch to uid 65534 (nobody)");
        private static readonly Lazy<string?> TmpfsProblem = new Lazy<string?>(ProbeTmpfs);
        private static readonly Lazy<string?> ImmutableProblem = new Lazy<string?>(ProbeImmutable);
        private static readonly Lazy<string?> FlockProblem = new Lazy<string?>(() => Run("flock", "--version") == 0 ? null : "needs flock(1) (util-linux)");

        public static string? WhyNot(Needs needs)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return "needs Linux";
            if (needs.HasFlag(Needs.Root) && RootProblem.Value != null) return RootProblem.Value;
            if (needs.HasFlag(Needs.Nobody) && NobodyProblem.Value != null) return NobodyProblem.Value;
            if (needs.HasFlag(Needs.Tmpfs) && TmpfsProblem.Value != null) return TmpfsProblem.Value;
            if (needs.HasFlag(Needs.Immutable) && ImmutableProblem.Value != null) return ImmutableProblem.Value;
            if (needs.HasFlag(Needs.FlockTool) && FlockProblem.Value != null) return FlockProblem.Value;
            return null;
        }

        /// <summary>Runs a program with arguments (split on spaces), waits, and returns its exit code (-1 when it cannot start).</summary>
        public static int Run(string file, string arguments)
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
                process.StandardOutput.ReadToEnd();
                process.StandardError.ReadToEnd();
                process.WaitForExit();
                return process.ExitCode;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return -1;
            }
        }

        private static string? ProbeTmpfs()
        {
            string folder = Path.Combine(Path.GetTempPath(), "iet-probe-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                if (Run("mount", $"-t tmpfs -o size=64k tmpfs {folder}") != 0) return "needs mount -t tmpfs (a container without CAP_SYS_ADMIN cannot)";
                Run("umount", folder);
                return null;
            }
            finally
            {
                Directory.Delete(folder);
            }
        }

        private static string? ProbeImmutable()
        {
            string file = Path.Combine(Path.GetTempPath(), "iet-probe-" + Guid.NewGuid().ToString("N"));
            File.WriteAllText(file, "x");
            try
            {
                if (Run("chattr", $"+i {file}") != 0) return "needs chattr +i on the temp folder's file system";
                Run("chattr", $"-i {file}");
                return null;
            }
            finally
            {
                File.Delete(file);
            }
        }

        [DllImport("libc")]
        private static extern uint geteuid();
    }
}
