using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using IoTEdgeTroubleshoot.Edge.Logs;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues.Issues
{
    /// <summary>The guide's "stability issues on resource-constrained devices": edgeHub runs out of memory.</summary>
    public sealed class EdgeHubOutOfMemory : SignatureIssue
    {
        private static readonly Regex Pattern = new Regex(
            @"OutOfMemoryException|\bout of memory\b|OOMKilled|Cannot allocate memory|insufficient memory",
            SignatureOptions);

        private static readonly string[] Words = { "outofmemory", "out of memory", "oomkilled", "cannot allocate memory", "insufficient memory" };

        public override string Id => "edgehub-out-of-memory";

        public override string Title => "edgeHub ran out of memory (a constrained device)";

        public override string RootCause => "edgeHub is optimised for performance by default and tries to allocate large amounts of memory. That does not suit constrained devices (a Raspberry Pi, especially as a gateway): downstream devices cannot connect, or telemetry stops after a few hours.";

        public override string Resolution => "Set the environment variable OptimizeForPerformance to false for edgeHub: in the portal (Set modules, Runtime settings, Edge Hub) or in the deployment manifest (modulesContent.$edgeAgent.properties.desired.systemModules.edgeHub.env), then deploy again.";

        public override string? RemedyCommand => "Set-IoTEdgeHubOptimization";

        public override IReadOnlyList<string> Needles => Words;

        protected override Regex Signature => Pattern;

        /// <summary>The guide's resolution is edgeHub's: an out-of-memory of another module is not this issue.</summary>
        protected override bool Accept(IoTEdgeLogEntry entry, Match match) =>
            entry.Source.IndexOf("edgehub", StringComparison.OrdinalIgnoreCase) >= 0 || entry.Message.IndexOf("edgehub", StringComparison.OrdinalIgnoreCase) >= 0 || entry.Message.IndexOf("Edge.Hub", StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
