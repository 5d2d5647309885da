using System;
using System.Collections.Generic;
using YamlDotNet.RepresentationModel;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// The hostname the daemon accepts: not empty, at most 64 characters, RFC 1035 labels (the guide's
    /// "invalid hostname" failure). A difference from the machine's own name is only a warning: compared
    /// without case, which `iotedge check` on 1.1 does not do.
    /// </summary>
    internal sealed class HostnameCheck : IConfigCheck
    {
        public string Id => "config-hostname";

        public string Description => "hostname is valid and matches this machine";

        public bool NeedsValidYaml => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var found = context.Document!.Find("hostname");
            if (found is not YamlScalarNode node)
            {
                yield return found == null
                    ? this.Result(context, CheckStatus.Skipped, "No hostname setting to check (config-sections reports it).")
                    : this.Result(context, CheckStatus.Error, "hostname is not a plain value.", found,
                        remedy: "Write it as hostname: \"<dns name>\" on one line.",
                        remedyCommand: $"Set-IoTEdgeHostname -Path {CheckResults.Quote(context.Path)} -HostName {ShortestValid(context.MachineName)}");
                yield break;
            }

            string hostname = node.Value ?? string.Empty;
            string? problem = HostnameRules.Validate(hostname);
            string fix = $"Set-IoTEdgeHostname -Path {CheckResults.Quote(context.Path)} -HostName {ShortestValid(context.MachineName)}";
            if (problem != null)
            {
                yield return this.Result(context, CheckStatus.Error, $"hostname '{hostname}' is invalid: {problem}", node,
                    remedy: "Set hostname to the machine's DNS name (on an Azure VM, configure a DNS name for it and use that); it must be at most 64 characters.",
                    remedyCommand: fix);
                yield break;
            }

            if (!string.Equals(hostname, context.MachineName, StringComparison.OrdinalIgnoreCase)
                && !hostname.StartsWith(context.MachineName + ".", StringComparison.OrdinalIgnoreCase))
            {
                yield return this.Result(context, CheckStatus.Warning, $"hostname '{hostname}' is not this machine's name ('{context.MachineName}').", node,
                    remedy: "Modules and downstream devices reach the edge hub by this name: make it a name that resolves to this machine.",
                    remedyCommand: HostnameRules.Validate(context.MachineName) == null ? fix : null);
                yield break;
            }

            yield return this.Result(context, CheckStatus.Pass, $"hostname '{hostname}' is valid.", node);
        }

        private static string ShortestValid(string machineName) =>
            HostnameRules.Validate(machineName) == null ? machineName.ToLowerInvariant() : "<dns name>";
    }

    /// <summary>The daemon's and RFC 1035's rules for a host name.</summary>
    public static class HostnameRules
    {
        public const int MaxLength = 64;

        /// <summary>Null when the name is valid; otherwise what is wrong with it.</summary>
        public static string? Validate(string? hostname)
        {
            if (string.IsNullOrWhiteSpace(hostname)) return "it is empty.";
            if (hostname!.Length > MaxLength) return $"it has {hostname.Length} characters; the daemon accepts at most {MaxLength}.";
            foreach (var label in hostname.Split('.'))
            {
                if (label.Length == 0) return "it has an empty label (two dots, or a dot at an end).";
                if (label.Length > 63) return $"the label '{label}' is longer than 63 characters.";
                if (!IsLetter(label[0])) return $"the label '{label}' does not start with a letter.";
                if (!IsLetterOrDigit(label[label.Length - 1])) return $"the label '{label}' does not end with a letter or digit.";
                foreach (char c in label)
                {
                    if (!IsLetterOrDigit(c) && c != '-') return $"the label '{label}' has '{c}'; only letters, digits and hyphens are allowed.";
                }
            }

            return null;
        }

        private static bool IsLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

        private static bool IsLetterOrDigit(char c) => IsLetter(c) || (c >= '0' && c <= '9');
    }
}
