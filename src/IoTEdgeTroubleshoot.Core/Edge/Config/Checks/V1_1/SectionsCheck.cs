using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// The top level as the 1.0/1.1 daemon reads it: sections are mappings; a section left out is taken from
    /// the daemon's defaults (not an error); a key it does not know is ignored without a word, so a typo
    /// is a warning.
    /// </summary>
    internal sealed class SectionsCheck : IConfigCheck
    {
        public string Id => "config-sections";

        public string Description => "config.yaml's sections are ones the daemon reads, each a mapping";

        public bool NeedsParsedDocument => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var root = context.Document!.Root!;
            int problems = 0;
            foreach (var entry in root.Entries)
            {
                if (!V11Defaults.TopLevel.Contains(entry.Key))
                {
                    problems++;
                    string? meant = SettingValues.Closest(entry.Key, V11Defaults.TopLevel);
                    yield return this.Result(context, CheckStatus.Warning, $"The daemon does not read '{entry.Key}' and ignores it{(meant != null ? $"; did you mean '{meant}'?" : ".")}", entry,
                        remedy: meant != null ? $"Rename it to '{meant}'." : "Remove it, or move it into the section it belongs to.");
                }
                else if (V11Defaults.Sections.Contains(entry.Key) && entry.Value.Type != ConfigValueType.Mapping && entry.Value.Type != ConfigValueType.Null)
                {
                    problems++;
                    yield return this.Result(context, CheckStatus.Error, $"{entry.Key} is {SettingValues.Describe(entry.Value)}; the daemon needs a mapping of settings there.", entry.Value,
                        remedy: $"Write '{entry.Key}:' alone on its line, then its settings below it, indented by two spaces (the default config.yaml shows them).");
                }
                else if (V11Defaults.Sections.Contains(entry.Key) && entry.Value.Type == ConfigValueType.Null && entry.Key != "certificates")
                {
                    problems++;
                    yield return this.Result(context, CheckStatus.Error, $"{entry.Key} is empty ('{entry.Key}:' with nothing under it), which replaces the daemon's default with nothing.", entry,
                        remedy: $"Indent its settings under it by two spaces, or delete the '{entry.Key}:' line to use the defaults.");
                }
            }

            if (problems > 0) yield break;
            var defaulted = new[] { "agent", "hostname", "connect", "listen", "homedir", "moby_runtime" }.Where(s => root[s] == null).ToList();
            yield return this.Result(context, CheckStatus.Pass, defaulted.Count == 0
                ? "Every section is one the daemon reads."
                : $"Every section is one the daemon reads; {string.Join(", ", defaulted)} {(defaulted.Count == 1 ? "is" : "are")} not in the file and come{(defaulted.Count == 1 ? "s" : string.Empty)} from the daemon's defaults.");
        }
    }
}
