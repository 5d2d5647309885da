using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>parent_hostname, as `iotedge check` names it: on a nested (child) device, the parent's name or address.</summary>
    internal sealed class ParentHostnameCheck : IConfigCheck
    {
        public string Id => "parent_hostname";

        public string Description => "parent_hostname is a valid name for a nested device's parent";

        public bool NeedsParsedDocument => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var doc = context.Document!;
            var entry = doc.FindEntry("parent_hostname") ?? doc.FindEntry("local_gateway_hostname");
            if (entry == null)
            {
                yield return this.Result(context, CheckStatus.Pass, "parent_hostname is not set: this device connects to IoT Hub itself (not nested).");
                yield break;
            }

            string? name = SettingValues.AsString(entry.Value, EdgeGeneration.V1_2);
            var verdict = name == null ? null : HostnameRules.Check(name, EdgeGeneration.V1_2);
            if (name == null || verdict!.Error != null)
            {
                yield return this.Result(context, CheckStatus.Error, name == null ? $"{entry.Key} is {SettingValues.Describe(entry.Value)}; it must be a name in quotes." : $"{entry.Key} '{name}' is invalid: {verdict!.Error}", entry.Value,
                    remedy: "Set it to the parent device's hostname (its config.toml hostname) or IP address.");
            }
            else if (string.Equals(name, doc.ScalarValue("hostname"), System.StringComparison.OrdinalIgnoreCase))
            {
                yield return this.Result(context, CheckStatus.Error, $"{entry.Key} '{name}' is this device's own hostname; it must be the parent's.", entry.Value);
            }
            else if (verdict.Warning != null)
            {
                yield return this.Result(context, CheckStatus.Warning, $"{entry.Key} '{name}': {verdict.Warning}", entry.Value);
            }
            else
            {
                yield return this.Result(context, CheckStatus.Pass, $"{entry.Key} '{name}' is valid (a nested device).", entry.Value);
            }
        }
    }
}
