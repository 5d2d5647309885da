using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues.Issues
{
    /// <summary>The guide's "Edge agent module continually reports 'empty config file' and no modules start on the device".</summary>
    public sealed class EdgeAgentEmptyConfig : SignatureIssue
    {
        private static readonly Regex Pattern = new Regex(
            @"Empty edge agent config was received|empty config file",
            SignatureOptions);

        private static readonly string[] Words = { "empty edge agent config", "empty config file" };

        public override string Id => "edgeagent-empty-config";

        public override string Title => "edgeAgent keeps receiving an empty configuration (DNS in the module network)";

        public override string RootCause => "IoT Edge modules start in their own container network by default, and the device may have trouble resolving names (DNS) inside that network: edgeAgent cannot get its configuration from IoT Hub.";

        public override string Resolution => "Set a DNS server reachable from the device: for the container engine (the \"dns\" key of daemon.json: /etc/docker/daemon.json, or C:\\ProgramData\\iotedge-moby\\config\\daemon.json on Windows; then restart the engine), or in the createOptions (HostConfig.Dns) of edgeAgent and edgeHub in the deployment.";

        public override string? RemedyCommand => "Set-IoTEdgeDns";

        /// <summary>The guide's symptom is that it keeps coming: once or twice at start-up is normal.</summary>
        public override int MinimumOccurrences => 3;

        public override IReadOnlyList<string> Needles => Words;

        protected override Regex Signature => Pattern;
    }
}
