using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>hostname, as `aziotctl check` names it: optional (the machine's name is used), an IP address or a name; RFC 1035 and length are warnings.</summary>
    internal sealed class HostnameCheck12 : IConfigCheck
    {
        public string Id => "hostname";

        public string Description => "config.toml specifies a valid hostname";

        public bool NeedsParsedDocument => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context) => HostnameFindings.Run(this, context, context.Document!.FindEntry("hostname"));
    }
}
