using System.Collections.Generic;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Network;
using IoTEdgeTroubleshoot.Edge.Network.Listeners;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Adapters
{
    /// <summary>
    /// Test-IoTEdgeFirewall -Local: no other process holds 8883, 5671 or 443, which edgeHub publishes on the host
    /// (iotedge check's edgehub-host-ports, one result per port).
    /// </summary>
    public sealed class HostPortsDeviceCheck : BlockingDeviceCheck
    {
        public override string Id => "edgehub-host-ports";

        public override string Description => "edgeHub can bind its ports on the host (Test-IoTEdgeFirewall -Local)";

        public override DeviceCheckCategory Category => DeviceCheckCategory.Runtime;

        public override IReadOnlyList<string> ResultIds { get; } = PortGuide.DefaultPorts.Select(port => PortGuide.For(port).LocalCheckId).ToArray();

        protected override IEnumerable<IoTEdgeCheckResult> Run(DeviceCheckContext context, CancellationToken cancellationToken) =>
            PortOwnerCheck.Run(PortGuide.DefaultPorts, ListenerTables.ForThisPlatform());
    }
}
