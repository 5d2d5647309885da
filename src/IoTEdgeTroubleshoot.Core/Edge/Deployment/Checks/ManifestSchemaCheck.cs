using System;
using System.Collections.Generic;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.Json;

namespace IoTEdgeTroubleshoot.Edge.Deployment.Checks
{
    /// <summary>
    /// manifest-schema: the basics of the deployment schema that edgeAgent reads ($edgeAgent and $edgeHub
    /// desired properties, runtime, system modules, each module's type, image, status and restart policy).
    /// </summary>
    internal sealed class ManifestSchemaCheck : IDeploymentCheck
    {
        private static readonly string[] Statuses = { "running", "stopped" };
        private static readonly string[] RestartPolicies = { "never", "on-failure", "on-unhealthy", "always" };

        public string Id => "manifest-schema";

        public string Description => "the deployment has the parts edgeAgent and edgeHub need";

        public IEnumerable<IoTEdgeCheckResult> Run(DeploymentCheckContext context)
        {
            var manifest = context.Manifest!;
            if (manifest.ContentPath == null)
            {
                yield return this.Result(context, CheckStatus.Error, "No modulesContent: this is not a deployment manifest (or the part around modulesContent is misspelt).", manifest.Root!.Start,
                    remedy: "A manifest is { \"modulesContent\": { \"$edgeAgent\": ..., \"$edgeHub\": ... } }; generate one with VS Code's IoT Edge tools or 'az iot edge deployment show'.");
                yield break;
            }

            var problems = Problems(manifest).ToList();
            foreach (var (status, message, offset) in problems) yield return this.Result(context, status, message, offset);
            if (problems.Count == 0) yield return this.Result(context, CheckStatus.Pass, $"$edgeAgent, $edgeHub, the runtime and {manifest.Modules().Count()} module(s) have what the schema needs.");
        }

        private static IEnumerable<(CheckStatus, string, int?)> Problems(DeploymentManifest manifest)
        {
            var content = manifest.Root!.At(manifest.ContentPath!.ToArray())!;
            var agent = manifest.AgentProperties;
            if (agent?.Kind != JsonKind.Object)
            {
                yield return (CheckStatus.Error, "$edgeAgent has no \"properties.desired\" object.", content.Start);
                yield break;
            }

            if (agent["schemaVersion"]?.StringValue == null) yield return (CheckStatus.Warning, "$edgeAgent's schemaVersion is missing (\"1.1\" today).", agent.Start);
            var runtime = agent["runtime"];
            if (runtime?.Kind != JsonKind.Object) yield return (CheckStatus.Error, "$edgeAgent has no runtime (type \"docker\" and settings).", agent.Start);
            else if (runtime["type"]?.StringValue != "docker") yield return (CheckStatus.Error, "runtime.type must be \"docker\".", (runtime["type"] ?? runtime).Start);

            foreach (var system in new[] { "edgeAgent", "edgeHub" })
            {
                if (agent.At("systemModules", system) == null) yield return (CheckStatus.Error, $"systemModules.{system} is missing.", (agent["systemModules"] ?? agent).Start);
            }

            foreach (var module in manifest.Modules())
            {
                string name = module.IsSystem ? $"systemModules.{module.Name}" : $"modules.{module.Name}";
                if (module.Node.Kind != JsonKind.Object)
                {
                    yield return (CheckStatus.Error, $"{name} is not an object.", module.Node.Start);
                    continue;
                }

                if (module.Node["type"]?.StringValue != "docker") yield return (CheckStatus.Error, $"{name}.type must be \"docker\".", module.Node.Start);
                if (string.IsNullOrWhiteSpace(module.Image)) yield return (CheckStatus.Error, $"{name}.settings.image is missing: edgeAgent has nothing to pull.", (module.Settings ?? module.Node).Start);
                if (module.Name == "edgeAgent") continue;
                foreach (var (field, allowed, required) in new[] { ("status", Statuses, !module.IsSystem), ("restartPolicy", RestartPolicies, true) })
                {
                    var value = module.Node[field];
                    if (value == null)
                    {
                        if (required) yield return (CheckStatus.Error, $"{name}.{field} is missing ({string.Join(", ", allowed)}).", module.Node.Start);
                    }
                    else if (!allowed.Contains(value.StringValue, StringComparer.Ordinal))
                    {
                        yield return (CheckStatus.Error, $"{name}.{field} is {value.RawText(manifest.Text)}; it takes {string.Join(", ", allowed)}.", value.Start);
                    }
                }
            }

            var hub = manifest.HubProperties;
            if (hub?.Kind != JsonKind.Object)
            {
                yield return (CheckStatus.Error, "$edgeHub has no \"properties.desired\" (schemaVersion, routes, storeAndForwardConfiguration).", content.Start);
                yield break;
            }

            if (hub["routes"]?.Kind != JsonKind.Object) yield return (CheckStatus.Warning, "$edgeHub has no routes: no message goes anywhere.", hub.Start);
            if (hub.At("storeAndForwardConfiguration", "timeToLiveSecs")?.Kind != JsonKind.Number) yield return (CheckStatus.Warning, "$edgeHub's storeAndForwardConfiguration.timeToLiveSecs is missing (7200 in the templates).", hub.Start);
        }
    }
}
