using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>[agent.env]: RuntimeLogLevel and UpstreamProtocol among the values the runtime accepts.</summary>
    internal sealed class AgentEnvCheck : IConfigCheck
    {
        public string Id => "config-agent";

        public string Description => "the edge agent's environment is valid";

        public bool NeedsParsedDocument => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var problems = AgentSettings.Env(this, context).ToList();
            foreach (var p in problems) yield return p;
            if (problems.Count == 0)
            {
                string? level = context.Document!.ScalarValue("agent", "env", "RuntimeLogLevel");
                yield return this.Result(context, CheckStatus.Pass, level == null ? "The agent's env values are valid; RuntimeLogLevel is not set (the runtime logs at info)." : $"The agent's env values are valid; RuntimeLogLevel is {level}.",
                    context.Document.FindEntry("agent", "env"));
            }
        }
    }
}
