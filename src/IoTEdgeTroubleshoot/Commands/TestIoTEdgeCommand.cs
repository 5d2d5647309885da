using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Completion;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Daemon;
using IoTEdgeTroubleshoot.Edge.DeviceChecks;
using IoTEdgeTroubleshoot.Edge.Dns;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// Every check of this module on the local device, at once: config, deployment, services, host ports, known issues
    /// in the last hour of logs, DNS and the connections upstream. Each result names the command that fixes it;
    /// -Quiet answers $true/$false, -AsIotEdgeCheckJson writes what 'iotedge check --output json' writes.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "IoTEdge", DefaultParameterSetName = ObjectsSet)]
    [OutputType(typeof(IoTEdgeCheckResult), ParameterSetName = new[] { ObjectsSet })]
    [OutputType(typeof(bool), ParameterSetName = new[] { QuietSet })]
    [OutputType(typeof(string), ParameterSetName = new[] { JsonSet })]
    public sealed class TestIoTEdgeCommand : TroubleshootCmdlet
    {
        private const string ObjectsSet = "Objects";
        private const string QuietSet = "Quiet";
        private const string JsonSet = "Json";

        /// <summary>The name Test-IoTEdge's table view is selected by (format.ps1xml).</summary>
        public const string ResultTypeName = "IoTEdgeTroubleshoot.TestIoTEdgeResult";

        /// <summary>Only these checks (ids of checks or of their results; wildcards allowed).</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceCheckIdCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Include { get; set; }

        /// <summary>Not these checks (ids of checks or of their results; wildcards allowed).</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceCheckIdCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Exclude { get; set; }

        /// <summary>Only the checks of these groups.</summary>
        [Parameter]
        public DeviceCheckCategory[]? Category { get; set; }

        /// <summary>$true when no check found an error, else $false: for scheduled scripts.</summary>
        [Parameter(Mandatory = true, ParameterSetName = QuietSet)]
        public SwitchParameter Quiet { get; set; }

        /// <summary>One JSON string in the shape of 'iotedge check --output json'.</summary>
        [Parameter(Mandatory = true, ParameterSetName = JsonSet)]
        public SwitchParameter AsIotEdgeCheckJson { get; set; }

        /// <summary>The IoT Edge version the device runs; without it, the config file's name or what is installed says.</summary>
        [Parameter]
        [ValidateEdgeGeneration]
        [ArgumentCompleter(typeof(EdgeGenerationCompleter))]
        public string? Generation { get; set; }

        /// <summary>The device's config.toml or config.yaml; without it, the installed generation's.</summary>
        [Parameter]
        [Alias("Path")]
        [ValidateNotNullOrEmpty]
        public string? ConfigPath { get; set; }

        /// <summary>The container engine's daemon.json; without it, /etc/docker/daemon.json or the two Windows paths.</summary>
        [Parameter]
        [Alias("DaemonConfigPath")]
        [ValidateNotNullOrEmpty]
        public string[]? ContainerEngineConfigPath { get; set; }

        /// <summary>A deployment manifest to check too (the edge-deployment checks are Skipped without one).</summary>
        [Parameter]
        [Alias("ManifestPath")]
        [ValidateNotNullOrEmpty]
        public string? DeploymentPath { get; set; }

        /// <summary>The IoT hub to probe and resolve; a DPS device's config does not name it.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? HubHostName { get; set; }

        /// <summary>The ports probed toward the hub or parent; 8883, 5671 and 443 by default.</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        [ValidateCount(1, 64)]
        public int[]? Port { get; set; }

        /// <summary>The SNTP server the clock check asks, host[:port].</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? NtpServer { get; set; }

        /// <summary>How long one probe or tool call may take, in seconds.</summary>
        [Parameter]
        [Alias("Timeout")]
        [ValidateRange(1, 300)]
        public int TimeoutSeconds { get; set; } = 10;

        protected override void EndProcessing()
        {
            // A hub given as a URL (copied from the portal) is its host; anything else that is no host name is refused before any check runs.
            string? hub = null;
            if (HubHostName != null) Invoke(() => hub = Edge.Network.Probing.ProbeTarget.HubHostFromUserInput(HubHostName));
            var context = new DeviceCheckContext { Timeout = TimeSpan.FromSeconds(TimeoutSeconds), HubHostName = hub };
            if (NtpServer != null) context.TimeServer = NtpServer;
            if (Port != null) context.UpstreamPorts = Port.Distinct().ToArray();
            string? configPath = ConfigPath == null ? null : ResolveSinglePath(ConfigPath);
            if (ContainerEngineConfigPath != null) context.DaemonJsonPaths = ContainerEngineConfigPath.Select(ResolveSinglePath).ToArray();
            else context.DaemonJsonPaths = DaemonConfigLocations.Candidates(context.IsWindows);
            if (DeploymentPath != null) context.DeploymentPath = ResolveSinglePath(DeploymentPath);

            Invoke(() =>
            {
                context.Generation = Generation != null ? EdgeGenerations.FromVersion(Generation)
                    : (configPath == null ? null : GenerationDetector.FromName(configPath)) ?? new DaemonStatusReader(context.WithToolTimeLimit().Processes, Reporter, context.IsWindows).Installed(CancellationToken);
                context.ConfigPath = configPath ?? EdgeInstallation.DefaultPathFor(context.Generation);
                WriteVerbose($"Checking IoT Edge {context.Generation.Name()} with '{context.ConfigPath}'.");

                var selection = new DeviceCheckSelection(Include, Exclude, Category);
                foreach (var pattern in DeviceCheckSelection.Unmatched(Include, DeviceCheckCatalog.AllIds).Concat(DeviceCheckSelection.Unmatched(Exclude, DeviceCheckCatalog.AllIds)))
                {
                    WriteWarning($"No check or result id matches '{pattern}'. The ids are listed under DEVICE CHECK IDS in about_IoTEdgeTroubleshoot (tab completion offers them).");
                }

                var clock = System.Diagnostics.Stopwatch.StartNew();
                var finished = new ConcurrentQueue<DeviceCheckProgress>();
                var running = DeviceCheckRunner.RunAsync(DeviceCheckCatalog.All, context, selection, finished.Enqueue, CancellationToken);
                // Objects stream in catalog order while later checks run; -Quiet and the JSON need every result first.
                bool streaming = !Quiet && !AsIotEdgeCheckJson;
                ShowProgress(running, finished, streaming);
                var results = Await(running);
                WriteVerbose($"{results.Count} results from {DeviceCheckCatalog.All.Count(selection.Selects)} checks in {clock.Elapsed.TotalSeconds:0.0} s.");
                if (!streaming) Write(results, context);
            });
            base.EndProcessing();
        }

        private void Write(System.Collections.Generic.IReadOnlyList<DeviceCheckOutcome> outcomes, DeviceCheckContext context)
        {
            if (Quiet)
            {
                WriteObject(outcomes.All(o => o.Result.Status != CheckStatus.Error));
                return;
            }

            if (AsIotEdgeCheckJson)
            {
                var host = IotEdgeCheckHost.Here(context.UtcNow(), context.IsWindows);
                host.Generation = context.Generation.Name();
                WriteObject(IotEdgeCheckJson.Write(outcomes.Select(o => o.Result).ToList(), host));
                return;
            }

            foreach (var outcome in outcomes) WriteResult(outcome);
        }

        private void WriteResult(DeviceCheckOutcome outcome)
        {
            // One view for results of several .NET types; ConvertTo-Json writes an enum as a number, so Category
            // and Result (the status in iotedge check's words) are added as text.
            var shown = new PSObject(outcome.Result);
            shown.TypeNames.Insert(0, ResultTypeName);
            shown.Properties.Add(new PSNoteProperty("Category", outcome.Check.Category.ToString()));
            shown.Properties.Add(new PSNoteProperty("Result", IotEdgeCheckJson.ResultOf(outcome.Result.Status)));
            WriteObject(shown);
        }

        // Core runs the checks on other threads; this thread shows which have finished, and writes the results they let
        // out when streaming (Ctrl+C ends the wait through the token).
        private void ShowProgress(System.Threading.Tasks.Task running, ConcurrentQueue<DeviceCheckProgress> finished, bool streaming)
        {
            var progress = new ProgressRecord(1, "Test-IoTEdge", "Running the device checks");
            while (true)
            {
                bool done = ((IAsyncResult)running).AsyncWaitHandle.WaitOne(100);
                while (finished.TryDequeue(out var step))
                {
                    progress.StatusDescription = $"{step.Completed} of {step.Total} checks done (last: {step.CheckId})";
                    progress.PercentComplete = step.Total == 0 ? 100 : 100 * step.Completed / step.Total;
                    WriteProgress(progress);
                    if (streaming)
                    {
                        foreach (var outcome in step.Ready) WriteResult(outcome);
                    }
                }

                if (done) break;
            }

            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }
}
