using System.Collections.Generic;
using IoTEdgeTroubleshoot.Edge.Json;

namespace IoTEdgeTroubleshoot.Edge.Deployment.Checks
{
    /// <summary>manifest-json: strict JSON (no comments, no trailing commas), as the IoT Hub deployment API takes it.</summary>
    internal sealed class ManifestJsonCheck : IDeploymentCheck
    {
        public string Id => "manifest-json";

        public string Description => "the deployment manifest is valid JSON";

        public IEnumerable<IoTEdgeCheckResult> Run(DeploymentCheckContext context)
        {
            var manifest = context.Manifest!;
            var document = manifest.Document;
            if (!document.File.IsValidText)
            {
                yield return this.Result(context, CheckStatus.Error, "The file is not valid UTF-8 text.", remedy: "Save it as UTF-8.");
                yield break;
            }

            if (document.Error != null)
            {
                var result = this.Result(context, CheckStatus.Error, $"Not valid JSON: {document.Error.Message}", remedy: "Fix the JSON at that place (a missing comma or quote, a comment, a comma before } or ]), then check again.");
                result.Line = document.Error.Line;
                result.Column = document.Error.Column;
                yield return result;
                yield break;
            }

            if (document.Root!.Kind != JsonKind.Object)
            {
                yield return this.Result(context, CheckStatus.Error, "The manifest is JSON but not an object ({ \"modulesContent\": ... }).", document.Root.Start);
                yield break;
            }

            yield return this.Result(context, CheckStatus.Pass, "The manifest is valid JSON.");
        }
    }
}
