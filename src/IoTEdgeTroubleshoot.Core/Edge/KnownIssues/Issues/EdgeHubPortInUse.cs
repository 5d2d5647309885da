using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues.Issues
{
    /// <summary>The guide's "IoT Edge hub fails to start": the container engine cannot publish a host port of edgeHub (443, 5671 or 8883) because another process listens on it.</summary>
    public sealed class EdgeHubPortInUse : SignatureIssue
    {
        private static readonly Regex Pattern = new Regex(
            @"Bind for [^\s:]{0,100}:(?<detail>\d{1,5}) failed: port is already allocated|listen tcp[46]? [^\s]{0,100}?:(?<detail>\d{1,5}): bind: address already in use|:(?<detail>\d{1,5})[^\n]{0,120}Only one usage of each socket address",
            SignatureOptions);

        private static readonly string[] Words = { "already allocated", "address already in use", "only one usage of each socket address" };

        public override string Id => "edgehub-port-in-use";

        public override string Title => "A host port of edgeHub is already in use";

        public override string RootCause => "Another process on the host is bound to the port. edgeHub maps 443 (HTTPS and AMQP/MQTT over WebSocket), 5671 (AMQP) and 8883 (MQTT) to the host in gateway scenarios; when a port is taken, the container engine cannot publish it and edgeHub does not start.";

        public override string Resolution => "Find the process that listens on the port and stop it, or move it to another port (it is often a web server on 443); or remove that port binding from edgeHub's createOptions if no downstream device needs it. Then restart edgeHub.";

        public override string? RemedyCommand => "Test-IoTEdgeFirewall -Local";

        public override IReadOnlyList<string> Needles => Words;

        protected override Regex Signature => Pattern;

        public override string TitleFor(string detail) => detail.Length == 0 ? Title : $"Host port {detail} is already in use: edgeHub cannot publish it";
    }
}
