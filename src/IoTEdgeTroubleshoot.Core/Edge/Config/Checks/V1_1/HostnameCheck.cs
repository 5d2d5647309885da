using System;
using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// The hostname as the daemon takes it (HostnameRules): errors for what fails (empty, a placeholder,
    /// over 64 characters, the guide's "invalid hostname"), warnings for what `iotedge check` warns about
    /// (RFC 1035). Missing, it is the daemon's default, localhost. Another name than the machine's is a warning,
    /// compared without case.
    /// </summary>
    internal sealed class HostnameCheck : IConfigCheck
    {
        public string Id => "config-hostname";

        public string Description => "hostname is valid and matches this machine";

        public bool NeedsParsedDocument => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context) => HostnameFindings.Run(this, context, context.Document!.FindEntry("hostname"));
    }

    /// <summary>What both generations' hostname checks report, from the same rules.</summary>
    internal static class HostnameFindings
    {
        public static IEnumerable<IoTEdgeCheckResult> Run(IConfigCheck check, ConfigCheckContext context, ConfigEntry? entry)
        {
            var generation = context.Generation;
            string fix = CheckResults.SetHostnameCommand(context);
            if (entry == null)
            {
                yield return generation == EdgeGeneration.V1_1
                    ? check.Result(context, CheckStatus.Warning, "hostname is not set, so the daemon uses its default, 'localhost', which modules and downstream devices cannot use to reach this device.",
                        remedy: "Set hostname to the machine's DNS name.", remedyCommand: fix)
                    : check.Result(context, CheckStatus.Pass, $"hostname is not set: 'iotedge config apply' uses this machine's name ('{context.MachineName}').");
                yield break;
            }

            var node = entry.Value;
            string? hostname = SettingValues.AsString(node, generation);
            if (hostname == null)
            {
                yield return check.Result(context, CheckStatus.Error, $"hostname is {SettingValues.Describe(node)}; it must be one name in quotes.", node,
                    remedy: "Write it as hostname = \"<dns name>\" on one line.", remedyCommand: fix);
                yield break;
            }

            var verdict = HostnameRules.Check(hostname, generation);
            if (verdict.Error != null)
            {
                yield return check.Result(context, CheckStatus.Error, $"hostname '{hostname}' is invalid: {verdict.Error}", node,
                    remedy: "Set hostname to the machine's DNS name (on an Azure VM, configure a DNS name for it and use that); it must be at most 64 characters.",
                    remedyCommand: fix);
                yield break;
            }

            if (verdict.Warning != null)
            {
                yield return check.Result(context, CheckStatus.Warning, $"hostname '{hostname}': {verdict.Warning}", node,
                    remedy: "Prefer a DNS name of letters, digits and hyphens whose labels start with a letter.", remedyCommand: fix);
                yield break;
            }

            if (!string.Equals(hostname, context.MachineName, StringComparison.OrdinalIgnoreCase)
                && !hostname.StartsWith(context.MachineName + ".", StringComparison.OrdinalIgnoreCase)
                && !System.Net.IPAddress.TryParse(hostname, out _))
            {
                yield return check.Result(context, CheckStatus.Warning, $"hostname '{hostname}' is not this machine's name ('{context.MachineName}').", node,
                    remedy: "Modules and downstream devices reach the edge hub by this name: make it a name that resolves to this machine (its name, or a domain name that starts with it).",
                    remedyCommand: HostnameRules.Check(context.MachineName, generation).Error == null ? fix : null);
                yield break;
            }

            yield return check.Result(context, CheckStatus.Pass, $"hostname '{hostname}' is valid.", node);
        }
    }
}
