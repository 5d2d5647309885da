using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// The edge agent as the 1.0/1.1 daemon takes it, merged over its default agent: the image, and env
    /// values (RuntimeLogLevel, UpstreamProtocol) among those the runtime accepts.
    /// </summary>
    internal sealed class AgentCheck : IConfigCheck
    {
        /// <summary>What edgeAgent and edgeHub understand as RuntimeLogLevel (the guide sets debug).</summary>
        public static readonly string[] LogLevels = { "verbose", "debug", "info", "information", "warning", "error", "fatal" };

        public static readonly string[] UpstreamProtocols = { "Amqp", "AmqpWs", "Mqtt", "MqttWs" };

        public string Id => "config-agent";

        public string Description => "the edge agent's image and environment are valid";

        public bool NeedsParsedDocument => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var doc = context.Document!;
            var section = doc.Find("agent");
            if (section == null)
            {
                yield return this.Result(context, CheckStatus.Pass, $"No agent section: the daemon's default agent ({V11Defaults.For(doc, "agent.config.image")}) is used.");
                yield break;
            }

            if (section.Type != ConfigValueType.Mapping)
            {
                yield return this.Result(context, CheckStatus.Error, $"agent is {SettingValues.Describe(section)}; it must be a mapping of name, type, env and config.", section,
                    remedy: "Write agent as in the default config.yaml: 'agent:' then name, type, env and config indented by two spaces, or delete it to use the default agent.");
                yield break;
            }

            var problems = AgentSettings.Image(this, context, V11Defaults.For(doc, "agent.config.image"))
                .Concat(AgentSettings.Env(this, context))
                .ToList();
            foreach (var p in problems) yield return p;
            if (problems.Count == 0) yield return this.Result(context, CheckStatus.Pass, $"The agent image is {doc.ScalarValue("agent", "config", "image") ?? V11Defaults.For(doc, "agent.config.image")}; its env values are valid.", doc.FindEntry("agent"));
        }
    }

    /// <summary>The agent settings both generations check the same way.</summary>
    internal static class AgentSettings
    {
        /// <summary>agent.config.image: present (or defaulted), a plain image name.</summary>
        public static IEnumerable<IoTEdgeCheckResult> Image(IConfigCheck check, ConfigCheckContext context, string? defaultImage)
        {
            var doc = context.Document!;
            var node = doc.Find("agent", "config", "image");
            if (node == null)
            {
                if (defaultImage == null)
                {
                    yield return check.Result(context, CheckStatus.Error, "agent.config.image is not set; with an [agent] section the daemon needs its image.", doc.FindEntry("agent"),
                        remedy: "Add [agent.config] with image = \"mcr.microsoft.com/azureiotedge-agent:<your version>\".");
                }

                yield break;
            }

            string? image = SettingValues.AsString(node, context.Generation);
            string? problem = image == null ? $"is {SettingValues.Describe(node)}" : image.Trim().Length == 0 ? "is empty" : PastedValue.Problem(image) ?? (image.Any(char.IsWhiteSpace) ? "has a space in it" : null);
            if (problem != null)
            {
                yield return check.Result(context, CheckStatus.Error, $"agent.config.image is not an image name: {problem.TrimEnd('.')}.", node,
                    remedy: context.Generation == EdgeGeneration.V1_1 ? "Set it to the edge agent image, e.g. mcr.microsoft.com/azureiotedge-agent:1.1" : "Set it to the edge agent image of your version, e.g. mcr.microsoft.com/azureiotedge-agent:1.5");
            }
        }

        /// <summary>agent.env: a mapping of NAME: value; RuntimeLogLevel and UpstreamProtocol among the values the runtime knows.</summary>
        public static IEnumerable<IoTEdgeCheckResult> Env(IConfigCheck check, ConfigCheckContext context)
        {
            var doc = context.Document!;
            var env = doc.Find("agent", "env");
            if (env == null || env.Type == ConfigValueType.Null) yield break;
            if (env.Type != ConfigValueType.Mapping)
            {
                yield return check.Result(context, CheckStatus.Error, "agent.env is not a mapping of NAME: value.", env,
                    remedy: context.Generation == EdgeGeneration.V1_1 ? "Write env as a mapping, e.g. env: { RuntimeLogLevel: info } or one NAME: value per line." : "Write [agent.env] with one NAME = \"value\" per line.");
                yield break;
            }

            foreach (var pair in env.Entries)
            {
                string value = pair.Value.IsScalar ? pair.Value.Text ?? string.Empty : string.Empty;
                if (string.Equals(pair.Key, "RuntimeLogLevel", StringComparison.OrdinalIgnoreCase) && !AgentCheck.LogLevels.Contains(value, StringComparer.OrdinalIgnoreCase))
                {
                    yield return check.Result(context, CheckStatus.Error, $"agent.env.RuntimeLogLevel is '{value}'; the runtime accepts {string.Join(", ", AgentCheck.LogLevels)}.", pair.Value,
                        remedy: "Set a level the runtime knows.",
                        remedyCommand: $"Set-IoTEdgeRuntimeLogLevel -Path {CheckResults.Quote(context.Path)} -Level info");
                }
                else if (string.Equals(pair.Key, "UpstreamProtocol", StringComparison.OrdinalIgnoreCase) && !AgentCheck.UpstreamProtocols.Contains(value, StringComparer.OrdinalIgnoreCase))
                {
                    yield return check.Result(context, CheckStatus.Error, $"agent.env.UpstreamProtocol is '{value}'; the runtime accepts {string.Join(", ", AgentCheck.UpstreamProtocols)}.", pair.Value,
                        remedy: "Use AmqpWs or MqttWs where only port 443 is open, Amqp or Mqtt otherwise.");
                }
                else if (!pair.Value.IsScalar || pair.Value.Type == ConfigValueType.Null)
                {
                    yield return check.Result(context, CheckStatus.Error, $"agent.env.{pair.Key} is {SettingValues.Describe(pair.Value)}; environment values are single values.", pair.Value,
                        remedy: "Write the value in quotes.");
                }
            }
        }
    }
}
