using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>The file is well-formed YAML: a mapping of settings.</summary>
    internal sealed class YamlSyntaxCheck : IConfigCheck
    {
        public string Id => "config-yaml";

        public string Description => "config.yaml is well-formed YAML";

        public bool NeedsValidYaml => false;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var error = context.Document!.SyntaxError;
            if (error == null)
            {
                yield return this.Result(context, CheckStatus.Pass, "The file parses as YAML.");
                yield break;
            }

            var result = this.Result(context, CheckStatus.Error, $"Line {error.Line}, column {error.Column}: {error.Message}",
                remedy: "Fix the YAML at that position: indentation with spaces, matching quotes, 'key: value' pairs.");
            result.Line = error.Line;
            result.Column = error.Column;
            yield return result;
        }
    }
}
