using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// check-agent-image, as `iotedge check` names it, for what the file says: without [agent] the runtime's
    /// built-in agent is used; with it, name, type and [agent.config] image are needed (nothing is merged in),
    /// the image is a name, and an agent older than 1.2 does not work with a 1.2+ runtime (nor in nested Edge).
    /// </summary>
    internal sealed class AgentImageCheck : IConfigCheck
    {
        private static readonly Regex Version = new Regex(@"azureiotedge-agent:(?<major>\d+)\.(?<minor>\d+)", RegexOptions.CultureInvariant);

        public string Id => "check-agent-image";

        public string Description => "the edge agent image is valid";

        public bool NeedsParsedDocument => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var doc = context.Document!;
            var agent = doc.FindEntry("agent");
            if (agent == null)
            {
                yield return this.Result(context, CheckStatus.Pass, "No [agent] section: the runtime's built-in edge agent, of its own version, is used.");
                yield break;
            }

            if (agent.Value.Type != ConfigValueType.Mapping)
            {
                yield return this.Result(context, CheckStatus.Skipped, "Skipped: agent is not a table (aziot-edged-config-well-formed reports it).");
                yield break;
            }

            var reader = new SettingReader(this, context, EdgeGeneration.V1_2);
            var problems = reader.Required("agent", "name").Concat(reader.Required("agent", "type")).Concat(AgentSettings.Image(this, context, null)).ToList();
            string? image = doc.ScalarValue("agent", "config", "image");
            var version = image == null ? Match.Empty : Version.Match(image);
            if (problems.Count == 0 && version.Success && int.Parse(version.Groups["major"].Value, System.Globalization.CultureInfo.InvariantCulture) == 1
                && int.Parse(version.Groups["minor"].Value, System.Globalization.CultureInfo.InvariantCulture) < 2)
            {
                problems.Add(this.Result(context, CheckStatus.Error, $"agent.config.image is {image}: an edge agent older than 1.2 does not work with an IoT Edge 1.2+ runtime.", doc.Find("agent", "config", "image"),
                    remedy: "Use the agent of your runtime's version, e.g. mcr.microsoft.com/azureiotedge-agent:1.5, or delete the [agent] section to use the built-in one."));
            }

            foreach (var p in problems) yield return p;
            if (problems.Count == 0) yield return this.Result(context, CheckStatus.Pass, $"The agent image is {image}.", agent);
        }
    }
}
