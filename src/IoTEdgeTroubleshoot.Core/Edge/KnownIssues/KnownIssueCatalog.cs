using System.Collections.Generic;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.KnownIssues.Issues;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues
{
    /// <summary>
    /// Every known issue, in one list: first each symptom section of the guide "Common issues and resolutions
    /// for Azure IoT Edge" in its order (its firewall and port rules are the first issue's remedy), then the
    /// failures users report most. Adding an issue is one class in Issues/ and one line here.
    /// </summary>
    public static class KnownIssueCatalog
    {
        /// <summary>New instances for one search (an issue may keep state while it reads).</summary>
        public static IReadOnlyList<KnownIssue> Create() => new KnownIssue[]
        {
            new EdgeAgentNoUpstreamConnection(),
            new EdgeHubPortInUse(),
            new ModuleImageAccessDenied(),
            new InvalidHostname(),
            new EdgeHubOutOfMemory(),
            new EventLogProviderMissing(),
            new ModuleNotFound404(),
            new EdgeAgentEmptyConfig(),
            new EdgeCaExpired(),
            new EdgeHubServerCertificateRenewal(),
            new DiskFull(),
            new ClockSkew(),
            new ProxyMisconfigured(),
            new IdentityServiceUnreachable(),
            new DpsProvisioningFailed(),
            new ModuleImagePullFailed(),
        };

        /// <summary>The ids, in catalog order (the about topic's KNOWN ISSUE IDS lists them so).</summary>
        public static IReadOnlyList<string> IssueIds { get; } = Create().Select(issue => issue.Id).ToArray();
    }
}
