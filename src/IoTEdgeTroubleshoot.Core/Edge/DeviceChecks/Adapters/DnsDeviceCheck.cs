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
            var results = DnsChecks.Run(dns, cancellationToken).ToList();
            foreach (var result in results)
            {
                // Test-IoTEdgeDns says Error for a daemon.json this user may not read; among every check, a file that
                // needs root is Skipped with the reason, as the other checks have it.
                if (result.CheckId == DnsChecks.EngineConfigId && result.Status == CheckStatus.Error && result.Path != null
                    && DaemonDnsSetting.Read(result.Path).Failure is System.UnauthorizedAccessException)
                {
                    result.Status = CheckStatus.Skipped;
                    result.Message = $"Skipped: {Checks.DeviceCheckResults.WhyUnreadable(result.Path, new System.UnauthorizedAccessException())}.";
                    result.Remedy = null;
                }
            }

            return results;
        }
    }
}
