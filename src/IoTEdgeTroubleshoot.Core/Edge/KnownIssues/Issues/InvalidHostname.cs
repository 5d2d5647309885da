using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues.Issues
{
    /// <summary>The guide's "IoT Edge security daemon fails with an invalid hostname".</summary>
    public sealed class InvalidHostname : SignatureIssue
    {
        private static readonly Regex Pattern = new Regex(
            @"invalid hostname|hostname cannot be empty or greater than 64|hostname (?:is )?(?:too long|not valid)|(?:hostname|host name)[^\n]{0,60}(?:exceeds|longer than|greater than) 64",
            SignatureOptions);

        private static readonly string[] Words = { "hostname", "host name" };

        public override string Id => "invalid-hostname";

        public override string Title => "The daemon refuses its hostname (empty or longer than 64 characters)";

        public override string RootCause => "IoT Edge supports hostnames of at most 64 characters. Physical machines rarely have longer names, but virtual machines often do: the names Azure generates for Windows virtual machines in particular are long.";

        public override string Resolution => "Configure a DNS name for the virtual machine (Azure portal, the virtual machine's overview, DNS name, Configure), then set the hostname in the config file to that DNS name (<label>.<region>.cloudapp.azure.com) and apply it.";

        public override string? RemedyCommand => "Set-IoTEdgeHostname";

        public override IReadOnlyList<string> Needles => Words;

        protected override Regex Signature => Pattern;
    }
}
