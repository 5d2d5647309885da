using System;
using System.Linq;
using System.Text.Json;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Json;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks
{
    /// <summary>What the device checks ask the container engine, through docker and its daemon.json.</summary>
    internal static class ContainerEngineFacts
    {
        public const string LinuxDefaultRoot = "/var/lib/docker";

        /// <summary>IoT Edge's moby engine on Windows keeps its data here unless daemon.json says otherwise.</summary>
        public const string WindowsDefaultRoot = @"C:\ProgramData\iotedge-moby";

        /// <summary>
        /// The engine's storage root and where that came from: DockerRootDir of 'docker info', else data-root of
        /// daemon.json, else the platform's default. Null when there is no sign of an engine here (no docker on
        /// PATH, no data-root, no default folder): there is nothing to measure.
        /// </summary>
        public static (string Root, string Source)? EngineRoot(DeviceCheckContext context, CancellationToken cancellationToken)
        {
            string? failure = null;
            try
            {
                var info = Docker(context, cancellationToken, "info", "--format", "{{json .}}");
                using var json = JsonDocument.Parse(info);
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("DockerRootDir", out var root)
                    && root.ValueKind == JsonValueKind.String && root.GetString()!.Length > 0)
                {
                    return (root.GetString()!, "'docker info' (DockerRootDir)");
                }

                failure = "'docker info' gave no DockerRootDir";
            }
            catch (TroubleshootException ex)
            {
                failure = ex.Message;
            }
            catch (JsonException)
            {
                failure = "'docker info' did not answer JSON";
            }

            foreach (var path in context.DaemonJsonPaths.Where(System.IO.File.Exists))
            {
                try
                {
                    var document = JsonDocumentFile.Load(path);
                    var member = document.Root?.Kind == JsonKind.Object ? document.Root.Member("data-root") ?? document.Root.Member("graph") : null;
                    if (member?.Value.Kind == JsonKind.String && member.Value.StringValue!.Length > 0)
                    {
                        return (member.Value.StringValue!, $"{member.Name} in '{path}' ({failure})");
                    }
                }
                catch (Exception ex) when (DeviceCheckResults.IsReadFailure(ex))
                {
                    failure += $"; '{path}' could not be read";
                }

                break; // the engine reads the first file that exists
            }

            string fallback = context.IsWindows ? WindowsDefaultRoot : LinuxDefaultRoot;
            if (context.Processes.Find("docker") == null && !System.IO.Directory.Exists(fallback)) return null; // no engine installed
            return (fallback, $"the engine's default ({failure}; no data-root in daemon.json)");
        }

        /// <summary>Why <see cref="EngineRoot"/> found nothing, for a Skipped result.</summary>
        public static string NoEngine(DeviceCheckContext context) =>
            $"no container engine was found (docker is not on PATH, daemon.json sets no data-root, and '{(context.IsWindows ? WindowsDefaultRoot : LinuxDefaultRoot)}' does not exist)";

        /// <summary>Runs docker with the arguments and returns what it printed; <see cref="TroubleshootException"/> says why it could not.</summary>
        public static string Docker(DeviceCheckContext context, CancellationToken cancellationToken, params string[] arguments) =>
            new NativeTool(context.Processes).Run(new NativeCommand("docker", arguments, context.Timeout), cancellationToken).StandardOutput;
    }
}
