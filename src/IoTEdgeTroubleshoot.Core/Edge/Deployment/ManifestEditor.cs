using System;
using System.Collections.Generic;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.Dns;
using IoTEdgeTroubleshoot.Edge.Json;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Deployment
{
    /// <summary>
    /// The guide's two deployment-manifest edits: DNS servers in the createOptions of edgeAgent and edgeHub
    /// (option 2 of the "Empty config file" fix), and OptimizeForPerformance in edgeHub's env (constrained
    /// devices). createOptions is read from its chunks, changed as JSON text, and written back as chunks of the
    /// same size; everything else in the file stays as it was. Every edit is parsed and read back before it
    /// is returned.
    /// </summary>
    public static class ManifestEditor
    {
        /// <summary>The manifest's text with HostConfig.Dns set to <paramref name="servers"/> in each module (edgeAgent and edgeHub by default).</summary>
        public static string SetDns(TextFileSnapshot file, IEnumerable<string> servers, IReadOnlyList<string>? modules = null)
        {
            var list = DnsServers.Validate(servers);
            var manifest = DeploymentManifest.Parse(file);
            var names = manifest.RequireModules(modules).Select(m => m.Name).ToList();
            string text = file.Text;
            foreach (var name in names)
            {
                text = SetModuleDns(file.WithText(text), name, list);
            }

            var check = DeploymentManifest.Parse(file.WithText(text));
            foreach (var name in names)
            {
                var options = check.Module(name)?.Settings is JsonSpan settings ? CreateOptions.Read(check.Text, settings) : null;
                if (options?.Dns is not JsonSpan dns || !DaemonConfigEditor.SameServers(dns, list)) throw NotReadBack(file.Path);
            }

            return text;
        }

        /// <summary>The manifest's text with edgeHub's env OptimizeForPerformance set to {"value": "true|false"}.</summary>
        public static string SetHubOptimization(TextFileSnapshot file, bool optimizeForPerformance)
        {
            var manifest = DeploymentManifest.Parse(file);
            var hub = manifest.RequireModules(new[] { "edgeHub" })[0];
            string wanted = optimizeForPerformance ? "true" : "false";
            if (string.Equals(HubOptimization(hub), wanted, StringComparison.OrdinalIgnoreCase)) return file.Text;

            var root = manifest.Root!;
            var layout = JsonLayout.Of(file.Text, root, "  ");
            var setting = hub.Node.At("env", "OptimizeForPerformance");
            string text = setting != null && setting.Kind != JsonKind.Object
                ? JsonEdits.Set(file.Text, root, hub.PathTo("env", "OptimizeForPerformance"), JsonValue.Object("value", JsonValue.Of(wanted)), layout)
                : Set(manifest, hub.PathTo("env", "OptimizeForPerformance", "value"), JsonValue.Of(wanted), layout);

            var check = DeploymentManifest.Parse(file.WithText(text));
            if (check.Module("edgeHub") is not ManifestModule after || HubOptimization(after) != wanted) throw NotReadBack(file.Path);
            return text;
        }

        /// <summary>edgeHub's OptimizeForPerformance as written ("true", "false"; a JSON boolean counts), or null when unset.</summary>
        internal static string? HubOptimization(ManifestModule hub)
        {
            var value = hub.Node.At("env", "OptimizeForPerformance", "value");
            return value?.Kind switch
            {
                JsonKind.String => value.StringValue,
                JsonKind.True => "true",
                JsonKind.False => "false",
                _ => null,
            };
        }

        private static string SetModuleDns(TextFileSnapshot file, string name, IReadOnlyList<string> servers)
        {
            var manifest = DeploymentManifest.Parse(file);
            var module = manifest.Module(name)!;
            var settings = module.Settings!;
            var root = manifest.Root!;
            var layout = JsonLayout.Of(file.Text, root, "  ");
            var options = CreateOptions.Read(file.Text, settings);
            if (options == null)
            {
                string created = "{\"HostConfig\":{\"Dns\":[" + string.Join(",", servers.Select(JsonEdits.Quote)) + "]}}";
                return JsonEdits.Append(file.Text, settings, "createOptions", JsonValue.Of(created), layout);
            }

            if (options.ChunkProblem != null || options.Error != null || options.Root?.Kind != JsonKind.Object)
            {
                string why = options.ChunkProblem ?? (options.Error != null ? $"{options.Error.Message} (line {options.Error.Line}, column {options.Error.Column} of the joined text)" : "it is not a JSON object");
                throw new TroubleshootException(ErrorIds.CreateOptionsNotValidJson, ProblemKind.InvalidData, file.Path,
                    $"The createOptions of module '{name}' cannot be edited: {why}. Fix it first (Test-IoTEdgeDeployment shows it). Nothing was written.",
                    manifest.PositionOf(options.First.NameStart));
            }

            if (options.Dns is JsonSpan current && DaemonConfigEditor.SameServers(current, servers)) return file.Text;
            if (options.HostConfig == null && options.Root.MemberIgnoringCase("HostConfig") is JsonMember odd)
            {
                throw new TroubleshootException(ErrorIds.CreateOptionsNotValidJson, ProblemKind.InvalidData, file.Path,
                    $"The createOptions of module '{name}' has a HostConfig that is not an object; correct it first. Nothing was written.", manifest.PositionOf(odd.NameStart));
            }

            var path = new[] { "HostConfig", "Dns" };
            if (options.IsObject)
            {
                return JsonEdits.Set(file.Text, options.Root, path, JsonValue.Of(servers), layout, ignoreCase: true);
            }

            string inner = options.Text.Trim().Length == 0 ? "{}" : options.Text;
            var innerRoot = inner == options.Text ? options.Root : JsonText.Parse(inner, out _)!;
            string changed = JsonEdits.Set(inner, innerRoot, path, JsonValue.Of(servers), JsonLayout.Of(inner, innerRoot, "  "), ignoreCase: true);
            return WriteChunks(file, module.PathTo("settings"), options.ChunkSize, changed);
        }

        /// <summary>
        /// Writes <paramref name="value"/> back as createOptions chunks of <paramref name="size"/> characters: a chunk
        /// whose text is unchanged keeps its bytes, a new one follows the last, and chunks no longer needed go.
        /// </summary>
        internal static string WriteChunks(TextFileSnapshot file, IReadOnlyList<string> settingsPath, int size, string value)
        {
            var pieces = CreateOptions.Split(value, size);
            if (pieces.Count > CreateOptions.MaxChunks)
            {
                throw new TroubleshootException(ErrorIds.CreateOptionsNotValidJson, ProblemKind.InvalidData, file.Path,
                    $"The changed createOptions would need {pieces.Count} chunks of {size} characters; the IoT Hub takes at most {CreateOptions.MaxChunks} (createOptions to createOptions07). Shorten it first. Nothing was written.");
            }

            string text = file.Text;
            for (int i = 0; i < pieces.Count; i++)
            {
                var root = JsonText.Parse(text, out _)!;
                var settings = root.At(settingsPath.ToArray())!;
                var layout = JsonLayout.Of(text, root, "  ");
                var member = settings.Member(CreateOptions.ChunkNameAt(i));
                if (member != null)
                {
                    if (member.Value.StringValue != pieces[i]) text = JsonEdits.Replace(text, member, JsonValue.Of(pieces[i]), layout);
                    continue;
                }

                var previous = settings.Member(CreateOptions.ChunkNameAt(i - 1))!;
                text = JsonEdits.InsertAfter(text, settings, previous, CreateOptions.ChunkNameAt(i), JsonValue.Of(pieces[i]), layout);
            }

            for (int i = pieces.Count; i < 100; i++) // two-digit chunk names
            {
                var root = JsonText.Parse(text, out _)!;
                var settings = root.At(settingsPath.ToArray())!;
                var member = settings.Member(CreateOptions.ChunkNameAt(i));
                if (member == null) break;
                text = JsonEdits.Remove(text, settings, member);
            }

            return text;
        }

        private static string Set(DeploymentManifest manifest, IReadOnlyList<string> path, JsonValue value, JsonLayout layout)
        {
            try
            {
                return JsonEdits.Set(manifest.Text, manifest.Root!, path, value, layout);
            }
            catch (JsonShapeException ex)
            {
                var position = manifest.PositionOf(ex.Found.Start);
                throw new TroubleshootException(ErrorIds.ManifestShapeUnexpected, ProblemKind.InvalidData, manifest.Path,
                    $"{ex.Message}; correct it first. Nothing was written.", position);
            }
        }

        private static TroubleshootException NotReadBack(string path) =>
            new TroubleshootException(ErrorIds.EditVerificationFailed, ProblemKind.InvalidOperation, path,
                $"The edit of '{path}' did not read back as intended, so nothing was written. Please report this with the file's layout (passwords removed).");
    }
}
