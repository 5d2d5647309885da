using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>YAML forbids tabs for indentation, and the guide warns against them: report every one.</summary>
    internal sealed class NoTabsCheck : IConfigCheck
    {
        private const int MaxReported = 50;

        public string Id => "config-no-tabs";

        public string Description => "config.yaml has no tab characters";

        public bool NeedsParsedDocument => false;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            int found = 0;
            foreach (var (line, column) in TabPositions(context.Document!.File.Text))
            {
                if (++found > MaxReported) continue;
                yield return this.Result(context, CheckStatus.Error, $"Tab at line {line}, column {column}.", new ConfigPlace(line, column),
                    remedy: "Replace the tab with spaces: YAML indents with spaces only (two per level in config.yaml).");
            }

            if (found > MaxReported) yield return this.Result(context, CheckStatus.Error, $"{found - MaxReported} more tabs not listed.");
            if (found == 0) yield return this.Result(context, CheckStatus.Pass, "No tabs.");
        }

        /// <summary>The 1-based line and column of every tab in the text.</summary>
        internal static IEnumerable<(int Line, int Column)> TabPositions(string text)
        {
            int line = 1, column = 1;
            foreach (char c in text)
            {
                if (c == '\t') yield return (line, column);
                if (c == '\n')
                {
                    line++;
                    column = 1;
                }
                else
                {
                    column++;
                }
            }
        }
    }
}
