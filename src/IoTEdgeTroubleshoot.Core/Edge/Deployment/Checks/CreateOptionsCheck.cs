using System.Collections.Generic;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.Json;

namespace IoTEdgeTroubleshoot.Edge.Deployment.Checks
{
    /// <summary>
    /// manifest-create-options: each module's createOptions, joined from its chunks, is a JSON object Docker can
    /// read; chunks run without a gap, each within the hub's 512 characters, at most eight.
    /// </summary>
    internal sealed class CreateOptionsCheck : IDeploymentCheck
    {
        public string Id => "manifest-create-options";

        public string Description => "createOptions are valid JSON, in chunks the IoT Hub takes";

        public IEnumerable<IoTEdgeCheckResult> Run(DeploymentCheckContext context)
        {
            var manifest = context.Manifest!;
            int good = 0;
            foreach (var module in manifest.Modules())
            {
                if (module.Settings?.Kind != JsonKind.Object) continue;
                var options = CreateOptions.Read(manifest.Text, module.Settings);
                if (options == null) continue;
                int at = options.First.NameStart;
                string fix = "createOptions is Docker's container-create options as JSON inside a string: \"{\\\"HostConfig\\\":{...}}\"; VS Code's IoT Edge tools write it from the object form in deployment.template.json.";
                if (options.ChunkProblem != null)
                {
                    yield return this.Result(context, CheckStatus.Error, $"{module.Name}: {options.ChunkProblem}.", options.Chunks.Last().NameStart);
                    continue;
                }

                if (options.Error != null)
                {
                    yield return this.Result(context, CheckStatus.Error,
                        $"{module.Name}: createOptions is not valid JSON: {options.Error.Message} (line {options.Error.Line}, column {options.Error.Column} of {(options.Chunks.Count > 1 ? "the joined chunks" : "its text")}). edgeAgent cannot create the container.", at, remedy: fix);
                    continue;
                }

                if (options.Root!.Kind != JsonKind.Object)
                {
                    yield return this.Result(context, CheckStatus.Error, $"{module.Name}: createOptions is JSON but not an object.", at, remedy: fix);
                    continue;
                }

                if (options.IsObject)
                {
                    yield return this.Result(context, CheckStatus.Warning, $"{module.Name}: createOptions is an object (the deployment-template form); the IoT Hub takes it as a string, which the IoT Edge tools generate.", at,
                        remedy: "Deploy the generated deployment.json (config/ folder), not the template.");
                    continue;
                }

                if (options.Chunks.Count > CreateOptions.MaxChunks)
                {
                    yield return this.Result(context, CheckStatus.Error, $"{module.Name}: createOptions has {options.Chunks.Count} chunks; the IoT Hub takes at most {CreateOptions.MaxChunks} (createOptions to createOptions07).", at);
                    continue;
                }

                var longChunk = options.Chunks.FirstOrDefault(c => c.Value.StringValue!.Length > CreateOptions.ChunkLength);
                if (longChunk != null)
                {
                    yield return this.Result(context, CheckStatus.Warning,
                        $"{module.Name}: {longChunk.Name} holds {longChunk.Value.StringValue!.Length} characters; the IoT Hub refuses a string over {CreateOptions.ChunkLength}.", longChunk.NameStart,
                        remedy: "Split it into createOptions, createOptions01, ... of at most 512 characters each (VS Code's IoT Edge tools do it when they generate the deployment).");
                    continue;
                }

                good++;
            }

            if (good > 0) yield return this.Result(context, CheckStatus.Pass, $"The createOptions of {good} module(s) are valid JSON objects.");
        }
    }
}
