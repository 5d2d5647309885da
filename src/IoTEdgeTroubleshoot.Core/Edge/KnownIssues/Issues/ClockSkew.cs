using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues.Issues
{
    /// <summary>Beyond the guide: the device clock is wrong, so certificates and tokens look not yet valid or expired.</summary>
    public sealed class ClockSkew : SignatureIssue
    {
        private static readonly Regex Pattern = new Regex(
            @"\bnot yet valid\b|\bnot valid yet\b|current time [^\n]{0,60} is (?:before|after) |\bclock skew\b|time (?:is )?out of sync|token is not valid before|\biat\b[^\n]{0,30}in the future",
            SignatureOptions);

        private static readonly string[] Words = { "not yet valid", "not valid yet", "current time", "clock skew", "out of sync", "not valid before", "in the future" };

        public override string Id => "clock-skew";

        public override string Title => "The device clock is off: certificates or tokens are not yet valid, or already expired";

        public override string RootCause => "Certificates and SAS tokens are valid from and until a time: with the device clock far off (no NTP, a device without a battery-backed clock after a power cut), a fresh certificate is \"not yet valid\" and a token is expired as soon as it is made.";

        public override string Resolution => "Synchronise the clock (timedatectl status; enable NTP with timedatectl set-ntp true, or chrony; on Windows w32tm /resync), then restart IoT Edge so it makes new certificates and tokens.";

        public override IReadOnlyList<string> Needles => Words;

        protected override Regex Signature => Pattern;
    }
}
