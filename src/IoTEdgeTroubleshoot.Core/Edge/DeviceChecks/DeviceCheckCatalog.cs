using System.Collections.Generic;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.DeviceChecks.Adapters;
using IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks
{
    /// <summary>
    /// Every check Test-IoTEdge runs, one line each, in the order their results come (about_IoTEdgeTroubleshoot,
    /// DEVICE CHECK IDS, lists them so). Adding a check is one class and one line here. Checks keep no state.
    /// </summary>
    public static class DeviceCheckCatalog
    {
        public static IReadOnlyList<IDeviceCheck> All { get; } = new IDeviceCheck[]
        {
            new ConfigDeviceCheck(),
            new IdentityCertificateExpiryCheck(),
            new EdgeCaCertificateExpiryCheck(),
            new LocalCaCertificateExpiryCheck(),
            new DeploymentDeviceCheck(),
            new DaemonDeviceCheck(),
            new HostPortsDeviceCheck(),
            StorageMountedFromHostCheck.EdgeAgent,
            StorageMountedFromHostCheck.EdgeHub,
            new ContainerEngineDiskSpaceCheck(),
            new EdgeHubDiskSpaceCheck(),
            new KnownIssuesDeviceCheck(),
            new ContainerLogRotationCheck(),
            new EventLogDeviceCheck(),
            new DnsDeviceCheck(),
            new UpstreamDeviceCheck(),
            new HostLocalTimeCheck(),
        };

        /// <summary>The checks' ids, in catalog order.</summary>
        public static IReadOnlyList<string> Ids { get; } = All.Select(check => check.Id).ToArray();

        /// <summary>Every id -Include and -Exclude may name: the checks' and those their results carry.</summary>
        public static IReadOnlyList<string> AllIds { get; } = All.SelectMany(check => new[] { check.Id }.Concat(DeviceCheckSelection.ResultIdsOf(check))).Distinct().ToArray();
    }
}
