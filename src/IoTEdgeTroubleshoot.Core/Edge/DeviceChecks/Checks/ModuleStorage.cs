using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Deployment;
using IoTEdgeTroubleshoot.Edge.Json;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks
{
    /// <summary>
    /// Where edgeAgent or edgeHub keeps its storage: the folder in the container (StorageFolder, default /tmp,
    /// then the module's name, as iotedge check computes it) and the mount that holds it, if any.
    /// </summary>
    internal sealed class ModuleStorage
    {
        /// <summary>Where the modules keep their storage when StorageFolder is not set.</summary>
        public const string DefaultStorageFolder = "/tmp";

        private static readonly Regex Bind = new Regex(@"^(?<source>(?:[A-Za-z]:)?[^:]+):(?<target>(?:[A-Za-z]:)?[^:]+)(?::[^:]*)?$", RegexOptions.CultureInvariant);

        private ModuleStorage(string module, string folder, string? mountSource, string? mountTarget, string? mountType, string from)
        {
            Module = module;
            Directory = folder.TrimEnd('/') + "/" + module;
            MountSource = mountSource;
            MountTarget = mountTarget;
            MountType = mountType;
            From = from;
        }

        public string Module { get; }

        /// <summary>The storage directory in the container: StorageFolder/module ("/tmp/edgeHub").</summary>
        public string Directory { get; }

        /// <summary>The host folder mounted over the directory (a manifest's named volume: its name); null when nothing is.</summary>
        public string? MountSource { get; }

        public string? MountTarget { get; }

        /// <summary>"bind" or "volume".</summary>
        public string? MountType { get; }

        /// <summary>What it was read from: "docker inspect edgeHub" or the manifest's path.</summary>
        public string From { get; }

        public bool IsPersisted => MountTarget != null;

        /// <summary>The mount that holds <paramref name="directory"/>, if one of them does (its target is the directory or a parent).</summary>
        internal static (string Source, string Target, string Type)? Covering(string directory, IEnumerable<(string Source, string Target, string Type)> mounts) =>
            mounts.Where(m => Holds(m.Target, directory)).OrderByDescending(m => m.Target.Length).Select(m => ((string, string, string)?)m).FirstOrDefault();

        private static bool Holds(string target, string directory)
        {
            string parent = target.TrimEnd('/');
            return parent.Length == 0 || directory == parent || directory.StartsWith(parent + "/", StringComparison.Ordinal);
        }

        /// <summary>From the manifest when the context has one, else from the running container; null and why when neither can tell.</summary>
        public static ModuleStorage? Locate(DeviceCheckContext context, string module, CancellationToken cancellationToken, out string whyNot) =>
            context.DeploymentPath != null ? FromManifest(context.DeploymentPath, module, out whyNot) : FromContainer(context, module, cancellationToken, out whyNot);

        internal static ModuleStorage? FromContainer(DeviceCheckContext context, string module, CancellationToken cancellationToken, out string whyNot)
        {
            whyNot = string.Empty;
            string text;
            try
            {
                text = ContainerEngineFacts.Docker(context, cancellationToken, "inspect", "--type", "container", module);
            }
            catch (TroubleshootException ex)
            {
                whyNot = ex.Message.IndexOf("No such", StringComparison.OrdinalIgnoreCase) >= 0
                    ? $"there is no {module} container (IoT Edge has not deployed it yet, or the device runs no IoT Edge)"
                    : ex.Message;
                return null;
            }

            try
            {
                using var json = JsonDocument.Parse(text);
                var container = json.RootElement.ValueKind == JsonValueKind.Array && json.RootElement.GetArrayLength() > 0 ? json.RootElement[0] : json.RootElement;
                if (container.ValueKind != JsonValueKind.Object)
                {
                    whyNot = $"'docker inspect {module}' did not describe a container";
                    return null;
                }

                string folder = DefaultStorageFolder;
                if (container.TryGetProperty("Config", out var config) && config.ValueKind == JsonValueKind.Object && config.TryGetProperty("Env", out var env) && env.ValueKind == JsonValueKind.Array)
                {
                    foreach (var variable in env.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!))
                    {
                        if (variable.StartsWith("StorageFolder=", StringComparison.Ordinal) && variable.Length > "StorageFolder=".Length) folder = variable.Substring("StorageFolder=".Length);
                    }
                }

                var mounts = new List<(string, string, string)>();
                if (container.TryGetProperty("Mounts", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    foreach (var mount in list.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.Object))
                    {
                        string? target = Text(mount, "Destination");
                        if (target == null) continue;
                        string type = Text(mount, "Type") ?? "bind";
                        string source = Text(mount, "Source") ?? Text(mount, "Name") ?? string.Empty; // a volume's Source is its folder on the host
                        mounts.Add((source, target, type));
                    }
                }

                return Build(module, folder, mounts, $"'docker inspect {module}'");
            }
            catch (JsonException)
            {
                whyNot = $"'docker inspect {module}' did not answer JSON";
                return null;
            }
        }

        internal static ModuleStorage? FromManifest(string path, string module, out string whyNot)
        {
            whyNot = string.Empty;
            DeploymentManifest manifest;
            try
            {
                manifest = DeploymentManifest.Load(path);
            }
            catch (Exception ex) when (DeviceCheckResults.IsReadFailure(ex))
            {
                whyNot = DeviceCheckResults.WhyUnreadable(path, ex);
                return null;
            }

            if (manifest.Root == null)
            {
                whyNot = $"'{path}' is not valid JSON (Test-IoTEdgeDeployment shows where)";
                return null;
            }

            var entry = manifest.Module(module);
            if (entry == null || entry.Node.Kind != JsonKind.Object)
            {
                whyNot = $"'{path}' has no {module} module (systemModules.{module})";
                return null;
            }

            string folder = entry.Node.At("env", "StorageFolder", "value")?.StringValue is string set && set.Length > 0 ? set : DefaultStorageFolder;
            var mounts = new List<(string, string, string)>();
            var options = entry.Settings?.Kind == JsonKind.Object ? CreateOptions.Read(manifest.Text, entry.Settings) : null;
            if (options != null && options.Root == null)
            {
                whyNot = $"the createOptions of {module} in '{path}' are not valid JSON (Test-IoTEdgeDeployment shows where)";
                return null;
            }

            var host = options?.HostConfig;
            if (host?.MemberIgnoringCase("Binds")?.Value is JsonSpan binds && binds.Kind == JsonKind.Array)
            {
                foreach (var bind in binds.Items.Where(b => b.Kind == JsonKind.String))
                {
                    var match = Bind.Match(bind.StringValue!);
                    if (!match.Success) continue;
                    string source = match.Groups["source"].Value;
                    bool isPath = source.StartsWith("/", StringComparison.Ordinal) || (source.Length > 1 && source[1] == ':');
                    mounts.Add((source, match.Groups["target"].Value, isPath ? "bind" : "volume"));
                }
            }

            if (host?.MemberIgnoringCase("Mounts")?.Value is JsonSpan list && list.Kind == JsonKind.Array)
            {
                foreach (var mount in list.Items.Where(m => m.Kind == JsonKind.Object))
                {
                    string? target = mount.MemberIgnoringCase("Target")?.Value.StringValue;
                    if (target == null) continue;
                    mounts.Add((mount.MemberIgnoringCase("Source")?.Value.StringValue ?? string.Empty, target, mount.MemberIgnoringCase("Type")?.Value.StringValue ?? "volume"));
                }
            }

            return Build(module, folder, mounts, $"'{path}'");
        }

        private static ModuleStorage Build(string module, string folder, IEnumerable<(string Source, string Target, string Type)> mounts, string from)
        {
            var storage = new ModuleStorage(module, folder, null, null, null, from);
            var covering = Covering(storage.Directory, mounts);
            return covering == null ? storage : new ModuleStorage(module, folder, covering.Value.Source, covering.Value.Target, covering.Value.Type, from);
        }

        private static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
