using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>auto_reprovisioning_mode: "Dynamic" (the default), "AlwaysOnStartup" or "OnErrorOnly", a string written exactly so.</summary>
    internal sealed class AutoReprovisioningCheck : IConfigCheck
    {
        private static readonly string[] Modes = { "Dynamic", "AlwaysOnStartup", "OnErrorOnly" };

        public string Id => "config-auto-reprovisioning";

        public string Description => "auto_reprovisioning_mode is one the runtime knows";

        public bool NeedsParsedDocument => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var node = context.Document!.Find("auto_reprovisioning_mode");
            if (node == null)
            {
                yield return this.Result(context, CheckStatus.Pass, "auto_reprovisioning_mode is not set: Dynamic (reprovision when the device may have moved to another hub).");
                yield break;
            }

            string? value = SettingValues.AsString(node, EdgeGeneration.V1_2);
            if (value == null || !Modes.Contains(value))
            {
                string? meant = value == null ? null : Modes.FirstOrDefault(m => m.Equals(value, StringComparison.OrdinalIgnoreCase));
                yield return this.Result(context, CheckStatus.Error, $"auto_reprovisioning_mode is {SettingValues.Describe(node)}; it must be \"Dynamic\", \"AlwaysOnStartup\" or \"OnErrorOnly\", in quotes and written exactly so{(meant != null ? $" (\"{meant}\")" : string.Empty)}.", node,
                    remedy: $"Write auto_reprovisioning_mode = \"{meant ?? "Dynamic"}\".");
                yield break;
            }

            yield return this.Result(context, CheckStatus.Pass, $"auto_reprovisioning_mode is {value}.", node);
        }
    }
}
