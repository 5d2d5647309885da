using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>The sections the 1.0/1.1 daemon needs are there.</summary>
    internal sealed class RequiredSectionsCheck : IConfigCheck
    {
        private static readonly string[] Sections = { "provisioning", "agent", "hostname", "connect", "listen", "homedir", "moby_runtime" };

        public string Id => "config-sections";

        public string Description => "config.yaml has every required section";

        public bool NeedsValidYaml => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            int missing = 0;
            foreach (var section in Sections)
            {
                if (context.Document!.Find(section) != null) continue;
                missing++;
                yield return this.Result(context, CheckStatus.Error, $"The '{section}' section is missing (or commented out).",
                    remedy: $"Add the '{section}' section back; the default config.yaml of your IoT Edge version shows its form.");
            }

            if (missing == 0) yield return this.Result(context, CheckStatus.Pass, "All required sections are present.");
        }
    }
}
