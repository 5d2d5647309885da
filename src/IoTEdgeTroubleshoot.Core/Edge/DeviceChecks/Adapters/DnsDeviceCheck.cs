using System.Collections.Generic;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Dns;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Adapters
{
    /// <summary>Test-IoTEdgeDns: the container engine's DNS servers in daemon.json, and whether this host resolves the hub.</summary>
    public sealed class DnsDeviceCheck : BlockingDeviceCheck
    {
        public override string Id => "edge-dns";

        public override string Description => "the container engine has DNS servers and the hub's name resolves (Test-IoTEdgeDns)";

        public override DeviceCheckCategory Category => DeviceCheckCategory.Connectivity;

        public override IReadOnlyList<string> ResultIds { get; } = new[] { DnsChecks.EngineConfigId, DnsChecks.HubResolvesId };

        protected override IEnumerable<IoTEdgeCheckResult> Run(DeviceCheckContext context, CancellationToken cancellationToken)
        {
            var paths = context.DaemonJsonPaths.Count > 0 ? context.DaemonJsonPaths : DaemonConfigLocations.Candidates(context.IsWindows);
            var dns = new DnsCheckContext
            {
                DaemonConfigPaths = paths,
                DaemonConfigPathsGiven = paths.Count == 1, // two Windows candidates: the one that is missing says nothing
                DeviceConfigPath = context.ConfigPath,
                HubHostName = context.HubHostName,
                ResolveTimeout = context.Timeout,
            };
            return DnsChecks.Run(dns, cancellationToken).ToList();
        }
    }
}
