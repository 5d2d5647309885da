using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks
{
    /// <summary>The groups Test-IoTEdge -Category selects from.</summary>
    public enum DeviceCheckCategory
    {
        Configuration,
        Connectivity,
        Runtime,
        Logs,
    }

    /// <summary>
    /// One check of the local device that Test-IoTEdge runs: an id (the `iotedge check` / `aziotctl check` id
    /// where one exists), its category, and its results. A check that cannot run here (not elevated, no
    /// docker, the other operating system) returns a Skipped result with the reason; it never throws for that.
    /// </summary>
    public interface IDeviceCheck
    {
        string Id { get; }

        string Description { get; }

        DeviceCheckCategory Category { get; }

        /// <summary>Runs the check; checks that wait on I/O are run in parallel with each other.</summary>
        Task<IReadOnlyList<IoTEdgeCheckResult>> RunAsync(DeviceCheckContext context, CancellationToken cancellationToken);
    }

    /// <summary>What the device checks look at: the device's files, its tools and its clock (each injectable for tests).</summary>
    public sealed class DeviceCheckContext
    {
        /// <summary>The runtime generation the device runs (from -Generation or what is installed).</summary>
        public EdgeGeneration Generation { get; set; } = EdgeGeneration.V1_2;

        /// <summary>/etc/aziot/config.toml (1.2+) or /etc/iotedge/config.yaml (1.1), or the Windows paths.</summary>
        public string ConfigPath { get; set; } = string.Empty;

        /// <summary>The container engine's daemon.json candidates, first existing one wins.</summary>
        public IReadOnlyList<string> DaemonJsonPaths { get; set; } = Array.Empty<string>();

        /// <summary>A deployment manifest to check, when the user gave one.</summary>
        public string? DeploymentPath { get; set; }

        /// <summary>Runs docker, iotedge, systemctl and journalctl (a scripted runner in tests).</summary>
        public IProcessRunner Processes { get; set; } = new ProcessRunner();

        /// <summary>Now, in UTC.</summary>
        public Func<DateTimeOffset> UtcNow { get; set; } = () => DateTimeOffset.UtcNow;

        /// <summary>The SNTP server the clock check asks, host[:port] (iotedge check's default is pool.ntp.org:123).</summary>
        public string TimeServer { get; set; } = "pool.ntp.org:123";

        /// <summary>How long one network probe or tool call may take.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

        public bool IsWindows { get; set; } = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);

        /// <summary>The hub to probe and resolve (-HubHostName): a DPS device's config does not name it; null to read it from the config.</summary>
        public string? HubHostName { get; set; }

        /// <summary>The ports probed toward the hub (or a nested device's parent): 8883, 5671 and 443 unless -Port says others.</summary>
        public IReadOnlyList<int> UpstreamPorts { get; set; } = Network.PortGuide.DefaultPorts;

        /// <summary>A copy whose tool calls take at most <see cref="Timeout"/> each, for the checks and Test-IoTEdge's own tool calls (not for the bundle's log collection).</summary>
        public DeviceCheckContext WithToolTimeLimit()
        {
            var copy = (DeviceCheckContext)MemberwiseClone();
            if (!(Processes is TimeLimitedProcessRunner)) copy.Processes = new TimeLimitedProcessRunner(Processes, Timeout);
            return copy;
        }
    }
}
