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

            int duplicates = 0;
            foreach (var (first, last) in DuplicateNames(document.Root))
            {
                if (++duplicates > MaxShown) continue;
                var at = context.Manifest!.PositionOf(last.NameStart);
                yield return this.Result(context, CheckStatus.Warning,
                    $"\"{first.Name}\" is written twice in one object: edgeAgent and IoT Hub read only the last one (line {at.Line}), so this one is ignored.",
                    first.NameStart, remedy: "Keep one of them: merge what the first holds into the last, or delete it.");
            }

            if (duplicates > MaxShown) yield return this.Result(context, CheckStatus.Warning, $"{duplicates - MaxShown} more names are written twice in one object.");
            if (duplicates == 0) yield return this.Result(context, CheckStatus.Pass, "The manifest is valid JSON.");
        }

        private const int MaxShown = 20;

        // Names written twice in one object (System.Text.Json takes them; the last one counts), each with the one that counts.
        private static IEnumerable<(JsonMember First, JsonMember Last)> DuplicateNames(JsonSpan root)
        {
            var pending = new Stack<JsonSpan>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                var span = pending.Pop();
                foreach (var item in span.Items) pending.Push(item);
                if (span.Kind != JsonKind.Object) continue;
                var seen = new Dictionary<string, JsonMember>(System.StringComparer.Ordinal);
                foreach (var member in span.Members)
                {
                    pending.Push(member.Value);
                    if (seen.TryGetValue(member.Name, out var earlier)) yield return (earlier, span.Member(member.Name)!);
                    seen[member.Name] = member;
                }
            }
        }
    }
}
