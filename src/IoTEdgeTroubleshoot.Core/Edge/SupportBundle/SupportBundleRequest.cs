using System;
using System.Collections.Generic;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.SupportBundle
{
    /// <summary>What Export-IoTEdgeSupportBundle collects on this device, and where it writes it.</summary>
    public sealed class SupportBundleRequest
    {
        public SupportBundleRequest(string path, string configPath, EdgeGeneration generation, DateTimeOffset since, Func<CancellationToken, IReadOnlyList<IoTEdgeCheckResult>> runChecks)
        {
            Path = path;
            ConfigPath = configPath;
            Generation = generation;
            Since = since;
            RunChecks = runChecks;
        }

        /// <summary>The zip file to write (full path).</summary>
        public string Path { get; }

        /// <summary>config.toml (1.2+) or config.yaml (1.0/1.1); config.d/*.toml beside a config.toml comes along.</summary>
        public string ConfigPath { get; }

        public EdgeGeneration Generation { get; }

        /// <summary>The start of the daemon and module logs.</summary>
        public DateTimeOffset Since { get; }

        /// <summary>
        /// Runs the checks whose results go into check-results.json (the config checks, or Test-IoTEdge's runner);
        /// the results' messages are masked again when written.
        /// </summary>
        public Func<CancellationToken, IReadOnlyList<IoTEdgeCheckResult>> RunChecks { get; }

        /// <summary>Replace a file already at <see cref="Path"/>.</summary>
        public bool Force { get; set; }

        /// <summary>Runs journalctl, iotedge and docker (a scripted runner in tests).</summary>
        public IProcessRunner Processes { get; set; } = new ProcessRunner();

        /// <summary>The Windows Application log (the iotedged events), where the daemon logs there; null elsewhere.</summary>
        public IWindowsEventLog? WindowsEventLog { get; set; }

        public bool IsWindows { get; set; } = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);

        /// <summary>Now, in UTC (the summary's times and the zip entries' dates).</summary>
        public Func<DateTimeOffset> UtcNow { get; set; } = () => DateTimeOffset.UtcNow;

        /// <summary>The machine's name, for the summary.</summary>
        public string HostName { get; set; } = Environment.MachineName;
    }

    /// <summary>A part of the bundle that could not be collected, and why.</summary>
    public sealed class SkippedBundlePart
    {
        public SkippedBundlePart(string part, string reason)
        {
            Part = part;
            Reason = reason;
        }

        public string Part { get; }

        public string Reason { get; }

        public override string ToString() => $"{Part}: {Reason}";
    }

    /// <summary>The support bundle written: where, how big, what it holds and what it could not collect.</summary>
    public sealed class IoTEdgeSupportBundle
    {
        public IoTEdgeSupportBundle(string path, long length, DateTimeOffset createdUtc, DateTimeOffset since, IReadOnlyList<string> parts, IReadOnlyList<string> entries, IReadOnlyList<SkippedBundlePart> skipped)
        {
            Path = path;
            Length = length;
            CreationTimeUtc = createdUtc.UtcDateTime;
            Since = since.UtcDateTime;
            Parts = parts;
            Entries = entries;
            Skipped = skipped;
        }

        /// <summary>The zip file (binds to -Path of Get-IoTEdgeDaemonLog and Get-IoTEdgeModuleLog, which read its logs).</summary>
        public string Path { get; }

        public string Name => System.IO.Path.GetFileName(Path);

        /// <summary>The size in bytes.</summary>
        public long Length { get; }

        public DateTime CreationTimeUtc { get; }

        /// <summary>The start of the logs in the bundle, in UTC.</summary>
        public DateTime Since { get; }

        /// <summary>The parts collected ("check results", "daemon logs" ...).</summary>
        public IReadOnlyList<string> Parts { get; }

        /// <summary>The zip entries, in the order written.</summary>
        public IReadOnlyList<string> Entries { get; }

        /// <summary>The parts that could not be collected, each with its reason (also in summary.txt).</summary>
        public IReadOnlyList<SkippedBundlePart> Skipped { get; }

        public override string ToString() => Path;
    }
}
