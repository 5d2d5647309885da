using System;
using System.Collections.Generic;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.Json;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Deployment
{
    /// <summary>One module of a deployment: edgeAgent and edgeHub (systemModules) or a custom one (modules).</summary>
    internal sealed class ManifestModule
    {
        public ManifestModule(string name, bool isSystem, IReadOnlyList<string> path, JsonSpan node)
        {
            Name = name;
            IsSystem = isSystem;
            Path = path;
            Node = node;
        }

        public string Name { get; }

        public bool IsSystem { get; }

        /// <summary>Member names from the manifest's root to the module's object.</summary>
        public IReadOnlyList<string> Path { get; }

        public JsonSpan Node { get; }

        public JsonSpan? Settings => Node.Kind == JsonKind.Object ? Node["settings"] : null;

        public string? Image => Settings?.Kind == JsonKind.Object ? Settings["image"]?.StringValue : null;

        public string[] PathTo(params string[] names) => Path.Concat(names).ToArray();
    }

    /// <summary>One entry of registryCredentials; the password is never kept, only whether there is one.</summary>
    internal sealed class RegistryCredential
    {
        public RegistryCredential(string name, JsonMember member)
        {
            Name = name;
            Member = member;
            var value = member.Value;
            Address = value.Kind == JsonKind.Object ? value["address"]?.StringValue : null;
            Username = value.Kind == JsonKind.Object ? value["username"]?.StringValue : null;
            HasPassword = value.Kind == JsonKind.Object && !string.IsNullOrEmpty(value["password"]?.StringValue);
        }

        public string Name { get; }

        public JsonMember Member { get; }

        public string? Address { get; }

        public string? Username { get; }

        public bool HasPassword { get; }
    }

    /// <summary>
    /// A deployment manifest as read: the JSON text with the place of every value, and where its parts are.
    /// Accepted shapes: { "modulesContent": ... } (what 'az iot edge set-modules' takes and VS Code generates),
    /// { "content": { "modulesContent": ... } } (a deployment as the hub returns it), or modulesContent itself.
    /// </summary>
    internal sealed class DeploymentManifest
    {
        public const string AgentDesired = "properties.desired";

        private DeploymentManifest(JsonDocumentFile document, IReadOnlyList<string>? contentPath)
        {
            Document = document;
            ContentPath = contentPath;
        }

        public JsonDocumentFile Document { get; }

        public string Path => Document.Path;

        public string Text => Document.Text;

        public JsonSpan? Root => Document.Root;

        /// <summary>Member names from the root to modulesContent; null when none of the shapes is there.</summary>
        public IReadOnlyList<string>? ContentPath { get; }

        public IReadOnlyList<string>? AgentDesiredPath => ContentPath?.Concat(new[] { "$edgeAgent", AgentDesired }).ToArray();

        public JsonSpan? AgentProperties => AgentDesiredPath == null ? null : Root?.At(AgentDesiredPath.ToArray());

        public JsonSpan? HubProperties => ContentPath == null ? null : Root?.At(ContentPath.Concat(new[] { "$edgeHub", AgentDesired }).ToArray());

        public static DeploymentManifest Load(string path) => Parse(JsonDocumentFile.Load(path));

        public static DeploymentManifest Parse(TextFileSnapshot file) => Parse(JsonDocumentFile.Parse(file));

        public static DeploymentManifest Parse(JsonDocumentFile document)
        {
            var root = document.Root;
            IReadOnlyList<string>? content = null;
            if (root?.Kind == JsonKind.Object)
            {
                if (root["modulesContent"]?.Kind == JsonKind.Object) content = new[] { "modulesContent" };
                else if (root.At("content", "modulesContent")?.Kind == JsonKind.Object) content = new[] { "content", "modulesContent" };
                else if (root["$edgeAgent"] != null) content = Array.Empty<string>();
            }

            return new DeploymentManifest(document, content);
        }

        /// <summary>edgeAgent and edgeHub first, then the custom modules, in file order.</summary>
        public IEnumerable<ManifestModule> Modules()
        {
            var agent = AgentProperties;
            if (agent?.Kind != JsonKind.Object || AgentDesiredPath == null) yield break;
            foreach (var (group, system) in new[] { ("systemModules", true), ("modules", false) })
            {
                if (agent[group] is not JsonSpan modules || modules.Kind != JsonKind.Object) continue;
                foreach (var member in modules.Members)
                {
                    yield return new ManifestModule(member.Name, system, AgentDesiredPath.Concat(new[] { group, member.Name }).ToArray(), member.Value);
                }
            }
        }

        public ManifestModule? Module(string name) => Modules().LastOrDefault(m => m.Name == name);

        public IEnumerable<RegistryCredential> Credentials()
        {
            if (AgentProperties?.At("runtime", "settings", "registryCredentials") is not JsonSpan credentials || credentials.Kind != JsonKind.Object) yield break;
            foreach (var member in credentials.Members) yield return new RegistryCredential(member.Name, member);
        }

        public FilePosition PositionOf(int offset) => Document.PositionOf(offset);

        /// <summary>The modules an edit of edgeAgent and edgeHub (or of named modules) needs; ManifestShapeUnexpected or ManifestModuleNotFound otherwise.</summary>
        public IReadOnlyList<ManifestModule> RequireModules(IReadOnlyList<string>? names)
        {
            Document.RequireObject($"The deployment manifest '{Path}'");
            if (ContentPath == null || AgentProperties?.Kind != JsonKind.Object)
            {
                throw new TroubleshootException(ErrorIds.ManifestShapeUnexpected, ProblemKind.InvalidData, Path,
                    $"'{Path}' is not a deployment manifest: it has no modulesContent.$edgeAgent.\"properties.desired\" (the file 'az iot edge set-modules' takes, or a deployment.json that VS Code generated). Nothing was written.");
            }

            var wanted = names == null || names.Count == 0 ? new[] { "edgeAgent", "edgeHub" } : names.Distinct(StringComparer.Ordinal).ToArray();
            var found = new List<ManifestModule>();
            foreach (var name in wanted)
            {
                var module = Module(name) ?? throw new TroubleshootException(ErrorIds.ManifestModuleNotFound, ProblemKind.ObjectNotFound, name,
                    $"'{Path}' deploys no module named '{name}' (it has {string.Join(", ", Modules().Select(m => m.Name).DefaultIfEmpty("none"))}; names are case-sensitive). Nothing was written.");
                if (module.Settings?.Kind != JsonKind.Object)
                {
                    throw new TroubleshootException(ErrorIds.ManifestShapeUnexpected, ProblemKind.InvalidData, Path,
                        $"Module '{name}' has no settings object (settings.image, settings.createOptions); correct it first. Nothing was written.", PositionOf(module.Node.Start));
                }

                found.Add(module);
            }

            return found;
        }
    }
}
