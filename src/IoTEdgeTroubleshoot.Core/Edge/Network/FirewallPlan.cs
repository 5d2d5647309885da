using System.Collections.Generic;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.Network.Probing;

namespace IoTEdgeTroubleshoot.Edge.Network
{
    /// <summary>What the host is to the device.</summary>
    public enum ProbeRole
    {
        IoTHub,
        Dps,
        Parent,
    }

    /// <summary>What Test-IoTEdgeFirewall was asked: the names and ports, or the config they come from.</summary>
    public sealed class FirewallRequest
    {
        /// <summary>-HubHostName: when given, the config is not needed for the hub.</summary>
        public string? HubHostName { get; set; }

        public IReadOnlyList<int> Ports { get; set; } = PortGuide.DefaultPorts;

        /// <summary>The device's config, when it was read (DPS endpoint, parent, proxy, protocol).</summary>
        public EdgeNetworkSettings? Settings { get; set; }

        public ProbeSettings Probe { get; set; } = new ProbeSettings();
    }

    /// <summary>One probe to run (or a check that cannot run, with why), with what its result needs to be judged.</summary>
    public sealed class PlannedProbe
    {
        internal PlannedProbe(string checkId, ProbeRole role, PortGuidance guidance, ProbeTarget target, string? skipReason = null)
        {
            CheckId = checkId;
            Role = role;
            Guidance = guidance;
            Target = target;
            SkipReason = skipReason;
        }

        public string CheckId { get; }

        public ProbeRole Role { get; }

        public PortGuidance Guidance { get; }

        public ProbeTarget Target { get; }

        /// <summary>Null when the probe runs.</summary>
        public string? SkipReason { get; }
    }

    /// <summary>
    /// Which probes a request makes: every port against the hub, or against the parent of a nested device;
    /// the DPS endpoint on 443 when the device provisions through DPS; and, when the agent has an https_proxy,
    /// 443 to the hub and to DPS through it, as the agent connects.
    /// </summary>
    public static class FirewallPlan
    {
        public static IReadOnlyList<PlannedProbe> For(FirewallRequest request, ProxyEndpoint? proxy)
        {
            var settings = request.Settings;
            var ports = request.Ports.Distinct().ToArray();
            var probes = new List<PlannedProbe>();
            string? parent = request.HubHostName == null ? settings?.ParentHostName : null;
            string? hub = request.HubHostName ?? parent ?? settings?.HubHostName;
            var role = parent != null ? ProbeRole.Parent : ProbeRole.IoTHub;

            foreach (int port in ports)
            {
                var guidance = PortGuide.For(port);
                probes.Add(hub != null
                    ? new PlannedProbe(guidance.CheckId, role, guidance, new ProbeTarget(hub, port))
                    : new PlannedProbe(guidance.CheckId, ProbeRole.IoTHub, guidance, new ProbeTarget(string.Empty, port),
                        "The device provisions through DPS, which assigns its hub, so the config does not name it: give -HubHostName <hub>.azure-devices.net (the hub the device is registered in)."));
            }

            bool https = ports.Contains(PortGuide.Https);
            string? dps = parent == null ? settings?.DpsHostName : null;
            var httpsGuidance = PortGuide.For(PortGuide.Https);
            if (https && dps != null) probes.Add(new PlannedProbe(PortGuide.DpsCheckId, ProbeRole.Dps, httpsGuidance, new ProbeTarget(dps, PortGuide.Https)));
            if (https && proxy != null && hub != null) probes.Add(new PlannedProbe(PortGuide.ProxyHubCheckId, role, httpsGuidance, new ProbeTarget(hub, PortGuide.Https, proxy)));
            if (https && proxy != null && dps != null) probes.Add(new PlannedProbe(PortGuide.ProxyDpsCheckId, ProbeRole.Dps, httpsGuidance, new ProbeTarget(dps, PortGuide.Https, proxy)));
            return probes;
        }
    }
}
