using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTEdgeTroubleshoot.Edge.Network;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Adapters
{
    /// <summary>
    /// Test-IoTEdgeFirewall's probes (DNS, TCP, proxy, TLS and certificate) to the hub, a nested device's parent and
    /// DPS, all at once. A config that cannot be read is edge-config's finding: the probes are Skipped then.
    /// </summary>
    public sealed class UpstreamDeviceCheck : IDeviceCheck, IDeviceCheckResultIds
    {
        public string Id => "upstream-connectivity";

        public string Description => "the host reaches the hub, DPS or parent on its ports through TLS (Test-IoTEdgeFirewall)";

        public DeviceCheckCategory Category => DeviceCheckCategory.Connectivity;

        public IReadOnlyList<string> ResultIds { get; } = PortGuide.CheckIds.Where(id => !id.StartsWith(PortGuide.OtherLocalCheckId, StringComparison.Ordinal)).ToArray();

        public async Task<IReadOnlyList<IoTEdgeCheckResult>> RunAsync(DeviceCheckContext context, CancellationToken cancellationToken)
        {
            EdgeNetworkSettings? settings = null;
            if (context.HubHostName == null || System.IO.File.Exists(context.ConfigPath))
            {
                try
                {
                    settings = EdgeNetworkSettings.Load(context.ConfigPath, context.Generation);
                }
                catch (TroubleshootException ex) when (context.HubHostName == null)
                {
                    return new[] { Skipped($"Skipped: the config does not say where to connect ({ex.Message})") };
                }
                catch (TroubleshootException)
                {
                    settings = null; // -HubHostName is enough
                }
            }

            var request = new FirewallRequest { HubHostName = context.HubHostName, Ports = context.UpstreamPorts, Settings = settings };
            request.Probe.Timeout = context.Timeout;
            FirewallRun run;
            try
            {
                run = FirewallTest.Prepare(request, NullReporter.Instance);
            }
            catch (TroubleshootException ex) when (ex.ErrorId == ErrorIds.FirewallHubUnknown)
            {
                return new[] { Skipped($"Skipped: {ex.Message}") };
            }

            return await FirewallTest.RunAsync(run, cancellationToken).ConfigureAwait(false);
        }

        private IoTEdgeCheckResult Skipped(string message) => new IoTEdgeCheckResult { CheckId = Id, Description = Description, Status = CheckStatus.Skipped, Message = message };
    }
}
