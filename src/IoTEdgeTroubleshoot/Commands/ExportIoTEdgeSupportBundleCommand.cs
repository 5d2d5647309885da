using System;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using IoTEdgeTroubleshoot.Completion;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Config.Checks;
using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Edge.SupportBundle;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// Writes an IoT Edge support bundle of this device: one zip with the check results, the daemon's and the
    /// modules' logs since -Since, the config with its secrets masked, the module containers' settings, the
    /// versions and a summary. Parts that cannot be collected here are warned about and listed, never fatal.
    /// </summary>
    [Cmdlet(VerbsData.Export, "IoTEdgeSupportBundle", DefaultParameterSetName = LocalSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(IoTEdgeSupportBundle))]
    public sealed class ExportIoTEdgeSupportBundleCommand : TroubleshootCmdlet
    {
        private const string LocalSet = "Local";

        /// <summary>The zip to write; by default ./iotedge-support-&lt;host&gt;-&lt;UTC time&gt;.zip.</summary>
        [Parameter(Position = 0, ParameterSetName = LocalSet)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>The start of the logs: a date, or how long ago ("1h", "1d 6h", a TimeSpan); by default 1 day.</summary>
        [Parameter(ParameterSetName = LocalSet)]
        [LogTimeTransformation]
        public DateTime? Since { get; set; }

        /// <summary>The config file; by default the installed runtime's (config.toml, else config.yaml).</summary>
        [Parameter(ParameterSetName = LocalSet)]
        [ValidateNotNullOrEmpty]
        public string? ConfigPath { get; set; }

        /// <summary>The IoT Edge version whose services and config to read; by default the one installed.</summary>
        [Parameter(ParameterSetName = LocalSet)]
        [ValidateEdgeGeneration]
        [ArgumentCompleter(typeof(EdgeGenerationCompleter))]
        public string? Generation { get; set; }

        /// <summary>Replace a file already at -Path.</summary>
        [Parameter(ParameterSetName = LocalSet)]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            // The parameter sets each call one self-contained Core operation.
            if (ParameterSetName == LocalSet) ExportLocal();
        }

        private void ExportLocal()
        {
            var now = DateTimeOffset.UtcNow;
            EdgeGeneration? requested = Generation == null ? (EdgeGeneration?)null : EdgeGenerations.FromVersion(Generation);
            string configPath = ResolveSinglePath(ConfigPath ?? EdgeInstallation.DefaultPath(requested));
            var generation = requested ?? GenerationDetector.FromName(configPath) ?? EdgeInstallation.Detect() ?? EdgeGeneration.V1_2;
            string path = ResolveSinglePath(Path ?? SupportBundleBuilder.DefaultFileName(Environment.MachineName, now));
            var since = Since == null ? LogDuration.Before(now, TimeSpan.FromDays(1))
                : Since.Value.Kind == DateTimeKind.Utc ? new DateTimeOffset(Since.Value) : new DateTimeOffset(Since.Value.ToUniversalTime());

            // The checks whose results go into check-results.json (Test-IoTEdge's runner replaces the config checks here).
            var request = new SupportBundleRequest(path, configPath, generation, since, token => ConfigChecks.Run(new ConfigCheckContext(configPath, requested), token).ToList())
            {
                Force = Force.IsPresent,
                WindowsEventLog = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? new GetWinEventLog(this) : null,
            };

            Invoke(() =>
            {
                SupportBundleBuilder.CheckTarget(request);
                if (!ShouldProcess(path, "Write an IoT Edge support bundle with: " + string.Join("; ", SupportBundleBuilder.Plan(request)))) return;
                WriteVerbose($"Collecting an IoT Edge {generation.Name()} support bundle (config '{configPath}', logs since {since.UtcDateTime:u}) into '{path}'.");
                WriteObject(SupportBundleBuilder.Build(request, Reporter, CancellationToken));
            });
        }
    }
}
