using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues.Issues
{
    /// <summary>Beyond the guide: the disk is full (edgeHub's store, container logs, images).</summary>
    public sealed class DiskFull : SignatureIssue
    {
        private static readonly Regex Pattern = new Regex(
            @"No space left on device|\bENOSPC\b|There is not enough space on the disk|\bdisk (?:is )?full\b",
            SignatureOptions);

        private static readonly string[] Words = { "no space left", "enospc", "not enough space", "disk full", "disk is full" };

        public override string Id => "disk-full";

        public override string Title => "The device's disk is full (\"No space left on device\")";

        public override string RootCause => "edgeHub stores messages (RocksDB) while the device is offline, and container logs and images grow without limit unless capped; when the disk fills, edgeHub cannot store messages and modules fail.";

        public override string Resolution => "Free space (docker image prune, old logs), cap container logs (log-opts max-size and max-file in daemon.json), put edgeHub's storage on a volume of its own, and shorten storeAndForwardConfiguration.timeToLiveSecs if messages pile up offline.";

        public override string HelpUri => "https://learn.microsoft.com/azure/iot-edge/production-checklist";

        public override IReadOnlyList<string> Needles => Words;

        protected override Regex Signature => Pattern;
    }
}
