using System.Collections.Generic;
using System.IO;
using YamlDotNet.RepresentationModel;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>homedir is an absolute path; a folder that does not exist yet is fine (the daemon creates it).</summary>
    internal sealed class HomedirCheck : IConfigCheck
    {
        public string Id => "config-homedir";

        public string Description => "homedir is an absolute path";

        public bool NeedsValidYaml => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var found = context.Document!.Find("homedir");
            if (found is not YamlScalarNode node)
            {
                yield return found == null
                    ? this.Result(context, CheckStatus.Skipped, "No homedir setting to check (config-sections reports it).")
                    : this.Result(context, CheckStatus.Error, "homedir is not a plain value.", found,
                        remedy: "Write it as one path: homedir: \"/var/lib/iotedge\" (Linux) or \"C:\\ProgramData\\iotedge\" (Windows).");
                yield break;
            }

            string value = node.Value ?? string.Empty;
            bool absolute = value.StartsWith("/", System.StringComparison.Ordinal) || (value.Length > 2 && value[1] == ':' && (value[2] == '\\' || value[2] == '/'));
            if (!absolute)
            {
                yield return this.Result(context, CheckStatus.Error, $"homedir '{value}' is not an absolute path.", node,
                    remedy: "Use the default: /var/lib/iotedge on Linux, C:\\ProgramData\\iotedge on Windows.");
            }
            else if (!context.DirectoryExists(value))
            {
                yield return this.Result(context, CheckStatus.Warning, $"homedir '{value}' does not exist yet; the daemon creates it when it starts.", node);
            }
            else
            {
                yield return this.Result(context, CheckStatus.Pass, $"homedir '{value}' exists.", node);
            }
        }
    }
}
