using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>homedir (the file's, else the daemon's default): a path; relative or not yet there is a warning (the daemon creates it).</summary>
    internal sealed class HomedirCheck : IConfigCheck
    {
        public string Id => "config-homedir";

        public string Description => "homedir is an absolute path";

        public bool NeedsParsedDocument => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var doc = context.Document!;
            var node = doc.Find("homedir");
            string? value = node == null ? V11Defaults.For(doc, "homedir") : SettingValues.AsString(node, EdgeGeneration.V1_1);
            if (value == null)
            {
                yield return this.Result(context, CheckStatus.Error, $"homedir is {SettingValues.Describe(node!)}; it must be one path.", node,
                    remedy: "Write it as one path: homedir: \"/var/lib/iotedge\" (Linux) or \"C:\\ProgramData\\iotedge\" (Windows).");
                yield break;
            }

            string source = node == null ? " (the daemon's default)" : string.Empty;
            bool absolute = value.StartsWith("/", System.StringComparison.Ordinal) || (value.Length > 2 && value[1] == ':' && (value[2] == '\\' || value[2] == '/'));
            if (!absolute)
            {
                yield return this.Result(context, CheckStatus.Warning, $"homedir '{value}' is not an absolute path: the daemon would resolve it from the folder it starts in.", node,
                    remedy: "Use the default: /var/lib/iotedge on Linux, C:\\ProgramData\\iotedge on Windows.");
            }
            else if (!context.DirectoryExists(value))
            {
                yield return this.Result(context, CheckStatus.Warning, $"homedir '{value}'{source} does not exist yet; the daemon creates it when it starts.", node);
            }
            else
            {
                yield return this.Result(context, CheckStatus.Pass, $"homedir '{value}'{source} exists.", node);
            }
        }
    }
}
