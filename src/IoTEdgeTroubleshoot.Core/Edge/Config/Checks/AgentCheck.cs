using System;
using System.Collections.Generic;
using System.Linq;
using YamlDotNet.RepresentationModel;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>The edge agent's image is set, and its env values are ones the runtime accepts.</summary>
    internal sealed class AgentCheck : IConfigCheck
    {
        /// <summary>What edgeAgent and edgeHub understand as RuntimeLogLevel (the guide sets debug).</summary>
        public static readonly string[] LogLevels = { "verbose", "debug", "info", "information", "warning", "error", "fatal" };

        public static readonly string[] UpstreamProtocols = { "Amqp", "AmqpWs", "Mqtt", "MqttWs" };

        public string Id => "config-agent";

        public string Description => "the edge agent's image and environment are valid";

        public bool NeedsValidYaml => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var doc = context.Document!;
            var section = doc.Find("agent");
            if (section is not YamlMappingNode)
            {
                yield return section == null
                    ? this.Result(context, CheckStatus.Skipped, "No agent section to check (config-sections reports it).")
                    : this.Result(context, CheckStatus.Error, "agent is not a mapping of settings (name, type, env, config).", section,
                        remedy: "Write agent as in the default config.yaml: 'agent:' then name, type, env and config indented by two spaces.");
                yield break;
            }

            int problems = 0;
            var image = doc.Find("agent", "config", "image") as YamlScalarNode;
            if (image == null || string.IsNullOrWhiteSpace(image.Value) || image.Value!.Contains(" ") || image.Value.StartsWith("<", StringComparison.Ordinal))
            {
                problems++;
                yield return this.Result(context, CheckStatus.Error, "agent.config.image is not an image name.", (YamlNode?)image ?? doc.FindKey("agent"),
                    remedy: "Set it to the edge agent image, e.g. mcr.microsoft.com/azureiotedge-agent:1.1");
            }

            var env = doc.Find("agent", "env");
            if (env is YamlMappingNode mapping)
            {
                foreach (var pair in mapping.Children)
                {
                    string name = (pair.Key as YamlScalarNode)?.Value ?? string.Empty;
                    string value = (pair.Value as YamlScalarNode)?.Value ?? string.Empty;
                    if (string.Equals(name, "RuntimeLogLevel", StringComparison.OrdinalIgnoreCase) && !LogLevels.Contains(value, StringComparer.OrdinalIgnoreCase))
                    {
                        problems++;
                        yield return this.Result(context, CheckStatus.Error, $"agent.env.RuntimeLogLevel is '{value}'; the runtime accepts {string.Join(", ", LogLevels)}.", pair.Value,
                            remedy: "Set a level the runtime knows.",
                            remedyCommand: $"Set-IoTEdgeRuntimeLogLevel -Path {CheckResults.Quote(context.Path)} -Level info");
                    }
                    else if (string.Equals(name, "UpstreamProtocol", StringComparison.OrdinalIgnoreCase) && !UpstreamProtocols.Contains(value, StringComparer.OrdinalIgnoreCase))
                    {
                        problems++;
                        yield return this.Result(context, CheckStatus.Error, $"agent.env.UpstreamProtocol is '{value}'; the runtime accepts {string.Join(", ", UpstreamProtocols)}.", pair.Value,
                            remedy: "Use AmqpWs or MqttWs where only port 443 is open, Amqp or Mqtt otherwise.");
                    }
                }
            }
            else if (env is YamlSequenceNode || (env is YamlScalarNode scalar && !string.IsNullOrEmpty(scalar.Value)))
            {
                problems++;
                yield return this.Result(context, CheckStatus.Error, "agent.env is not a mapping of NAME: value.", env,
                    remedy: "Write env as a mapping, e.g. env: { RuntimeLogLevel: info } or one NAME: value per line.");
            }

            if (problems == 0) yield return this.Result(context, CheckStatus.Pass, $"The agent image is {image!.Value}; its env values are valid.", doc.FindKey("agent"));
        }
    }
}
