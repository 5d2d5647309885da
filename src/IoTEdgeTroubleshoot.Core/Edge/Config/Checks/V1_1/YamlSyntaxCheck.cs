using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>The file is well-formed YAML, a mapping of settings; a key written twice is a warning (the daemon keeps the last).</summary>
    internal sealed class YamlSyntaxCheck : IConfigCheck
    {
        public string Id => "config-yaml";

        public string Description => "config.yaml is well-formed YAML";

        public bool NeedsParsedDocument => false;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var error = context.Document!.SyntaxError;
            if (error != null)
            {
                yield return this.Result(context, CheckStatus.Error, $"Line {error.Line}, column {error.Column}: {error.Message}", new ConfigPlace(error.Line, error.Column),
                    remedy: "Fix the YAML at that position: indentation with spaces, matching quotes, 'key: value' pairs.");
                yield break;
            }

            var duplicates = (context.Document as YamlConfigDocument)?.DuplicateKeys ?? new List<ConfigEntry>();
            foreach (var duplicate in duplicates)
            {
                yield return this.Result(context, CheckStatus.Warning, $"'{duplicate.Key}' is written twice in the same section; the daemon uses this later one and ignores the earlier.", duplicate,
                    remedy: "Delete the line you do not mean.");
            }

            if (duplicates.Count == 0) yield return this.Result(context, CheckStatus.Pass, "The file parses as YAML.");
        }
    }
}
