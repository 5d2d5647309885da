using System;
using System.Linq;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Network;
using IoTEdgeTroubleshoot.Edge.Network.Listeners;
using IoTEdgeTroubleshoot.Edge.Network.Probing;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The guide's firewall and port table, tested from the device: each port to the hub (or the nested
    /// device's parent, and DPS) resolved, connected and TLS-validated, all at once; or with -Local, which
    /// process already holds a port edgeHub publishes on the host.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "IoTEdgeFirewall", DefaultParameterSetName = RemoteSet)]
    [OutputType(typeof(IoTEdgeNetworkCheckResult), ParameterSetName = new[] { RemoteSet })]
    [OutputType(typeof(IoTEdgePortCheckResult), ParameterSetName = new[] { LocalSet })]
    public sealed class TestIoTEdgeFirewallCommand : TroubleshootCmdlet
    {
        private const string RemoteSet = "Remote";
        private const string LocalSet = "Local";

        /// <summary>The hub (or any host) to probe; without it, the one the device's config names.</summary>
        [Parameter(Position = 0, ParameterSetName = RemoteSet, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        public string? HubHostName { get; set; }

        /// <summary>The ports; 8883, 5671 and 443 by default.</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        [ValidateCount(1, 64)]
        public int[]? Port { get; set; }

        /// <summary>How long one probe may take, all stages together.</summary>
        [Parameter(ParameterSetName = RemoteSet)]
        [ValidateRange(1, 300)]
        public int TimeoutSeconds { get; set; } = (int)ProbeSettings.DefaultTimeout.TotalSeconds;

        /// <summary>The device's config.toml or config.yaml; without it, the installed runtime's (unless -HubHostName is given).</summary>
        [Parameter(ParameterSetName = RemoteSet)]
        [Alias("Path")] // the name the other IoT Edge commands give the config
        [ValidateNotNullOrEmpty]
        public string? ConfigPath { get; set; }

        /// <summary>The IoT Edge version the config is for, when its name and content do not say.</summary>
        [Parameter(ParameterSetName = RemoteSet)]
        [ValidateSet("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6")]
        public string? Generation { get; set; }

        /// <summary>Which process already listens on the ports edgeHub publishes on this host.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LocalSet)]
        public SwitchParameter Local { get; set; }

        protected override void ProcessRecord()
        {
            var ports = Port ?? PortGuide.DefaultPorts.ToArray();
            if (Local)
            {
                Invoke(() =>
                {
                    foreach (var result in PortOwnerCheck.Run(ports, ListenerTables.ForThisPlatform())) WriteObject(result);
                });
                return;
            }

            string? hub = null;
            if (HubHostName != null) Invoke(() => hub = ProbeTarget.HubHostFromUserInput(HubHostName));
            EdgeGeneration? generation = Generation == null ? (EdgeGeneration?)null : EdgeGenerations.FromVersion(Generation);
            string? configPath = hub == null || ConfigPath != null ? ResolveSinglePath(ConfigPath ?? EdgeInstallation.DefaultPath(generation)) : null;
            Invoke(() =>
            {
                var settings = configPath == null ? null : EdgeNetworkSettings.Load(configPath, generation);
                if (configPath != null) WriteVerbose($"Read where the device connects from '{configPath}'.");
                var request = new FirewallRequest { HubHostName = hub, Ports = ports, Settings = settings };
                request.Probe.Timeout = TimeSpan.FromSeconds(TimeoutSeconds);
                var run = FirewallTest.Prepare(request, Reporter);
                var probing = FirewallTest.RunAsync(run, CancellationToken);
                WaitShowingProgress(probing, run.Probes.Count(p => p.SkipReason == null), request.Probe.Timeout);
                foreach (var result in Await(probing)) WriteObject(result);
            });
        }

        // The probes run on other threads; this one says how long they may still take (Ctrl+C ends the wait through the token).
        private void WaitShowingProgress(System.Threading.Tasks.Task probing, int probes, TimeSpan limit)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var progress = new ProgressRecord(1, "Test-IoTEdgeFirewall", $"Probing {probes} connection(s), at most {limit.TotalSeconds:0.#} s");
            while (!((IAsyncResult)probing).AsyncWaitHandle.WaitOne(250))
            {
                progress.PercentComplete = (int)Math.Min(99, 100 * clock.Elapsed.TotalMilliseconds / limit.TotalMilliseconds);
                WriteProgress(progress);
            }

            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }
}
