using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTEdgeTroubleshoot.Edge.Json;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks
{
    /// <summary>
    /// iotedge check's container-engine-logrotate: the container engine's daemon.json makes it rotate module logs.
    /// Docker's default driver, json-file, keeps every line forever unless log-opts max-size (and max-file) cap it,
    /// so a chatty module fills the disk; "local" rotates by default, and journald, syslog and the remote drivers
    /// hand the logs to a system that rotates them.
    /// </summary>
    public sealed class ContainerLogRotationCheck : IDeviceCheck
    {
        public const string CheckId = "container-engine-logrotate";

        /// <summary>The settings this check recommends, as the production checklist shows them.</summary>
        public const string RecommendedSnippet = "\"log-driver\": \"local\"  (or \"log-driver\": \"json-file\", \"log-opts\": { \"max-size\": \"10m\", \"max-file\": \"3\" })";

        /// <summary>Drivers that send logs elsewhere or rotate them themselves: nothing piles up on the engine's disk.</summary>
        private static readonly string[] RotatingDrivers = { "local", "journald", "syslog", "etwlogs", "fluentd", "gelf", "awslogs", "splunk", "gcplogs", "logentries", "none" };

        public string Id => CheckId;

        public string Description => "production readiness: logs policy";

        public DeviceCheckCategory Category => DeviceCheckCategory.Logs;

        public Task<IReadOnlyList<IoTEdgeCheckResult>> RunAsync(DeviceCheckContext context, CancellationToken cancellationToken) =>
            DeviceCheckResults.OnWorker(() => Run(context), cancellationToken);

        private static string Remedy(string path) =>
            $"Add to '{path}': {RecommendedSnippet}, then restart the container engine (sudo systemctl restart docker, or Restart-Service iotedge-moby on Windows) and recreate the modules (containers keep the log settings they were created with). "
            + "Set-IoTEdgeContainerLogRotation makes this change (-WhatIf shows it, -RestartEngine applies it). A log policy per module in the deployment's createOptions (HostConfig.LogConfig) works too, and this check does not see it.";

        /// <summary>The command that fixes it for the file at <paramref name="path"/>.</summary>
        internal static string Command(string path) => "Set-IoTEdgeContainerLogRotation -DaemonConfigPath " + PowerShellLiteral.Quote(path);

        private IReadOnlyList<IoTEdgeCheckResult> Run(DeviceCheckContext context)
        {
            if (context.DaemonJsonPaths.Count == 0) return this.One(CheckStatus.Skipped, "Skipped: no daemon.json location is known for this platform.");
            string? path = context.DaemonJsonPaths.FirstOrDefault(p => File.Exists(p) || Directory.Exists(p));
            if (path == null)
            {
                string paths = string.Join("' or '", context.DaemonJsonPaths);
                return this.One(CheckStatus.Warning, $"The container engine is not configured to rotate module logs ('{paths}' does not exist, so it uses json-file without a size limit), which may make it run out of disk space.",
                    path: context.DaemonJsonPaths[0], remedy: Remedy(context.DaemonJsonPaths[0]), remedyCommand: Command(context.DaemonJsonPaths[0]));
            }

            if (Directory.Exists(path)) return this.One(CheckStatus.Error, $"'{path}' is a folder, not the container engine's config file; the engine does not start with it.", path, "Remove the folder and write daemon.json there: " + Remedy(path));

            JsonDocumentFile document;
            try
            {
                document = JsonDocumentFile.Load(path);
            }
            catch (Exception ex) when (DeviceCheckResults.IsReadFailure(ex))
            {
                return this.One(CheckStatus.Skipped, $"Skipped: {DeviceCheckResults.WhyUnreadable(path, ex)}.", path);
            }

            if (!document.File.IsValidText) return this.One(CheckStatus.Error, $"'{path}' is not UTF-8 text; the container engine cannot read it.", path);
            if (document.Text.Trim().Length == 0)
            {
                return this.One(CheckStatus.Warning, $"'{path}' is empty, so the container engine uses json-file without a size limit: module logs are not rotated and may fill the disk.", path, Remedy(path), Command(path));
            }

            if (document.Error != null)
            {
                return new[]
                {
                    this.Result(CheckStatus.Error, $"{path}:{document.Error.Line}:{document.Error.Column}: not valid JSON ({document.Error.Message}); the container engine does not start with it.",
                        remedy: "Fix the JSON (Test-IoTEdgeDns also reads this file).", position: new FilePosition(path, document.Error.Line, document.Error.Column)),
                };
            }

            var root = document.Root!;
            if (root.Kind != JsonKind.Object)
            {
                return new[] { this.Result(CheckStatus.Error, $"'{path}' is not a JSON object ({{ ... }}); the container engine does not start with it.", position: document.PositionOf(root.Start)) };
            }

            var driverMember = root.Member("log-driver");
            if (driverMember != null && driverMember.Value.Kind != JsonKind.String)
            {
                return new[] { this.Result(CheckStatus.Error, $"log-driver in '{path}' is not a string; the container engine does not start with it.", remedy: Remedy(path), remedyCommand: Command(path), position: document.PositionOf(driverMember.Value.Start)) };
            }

            string driver = driverMember?.Value.StringValue ?? "json-file";
            string named = driverMember == null ? "no log-driver (so json-file, the default)" : $"log-driver \"{driver}\"";
            var at = driverMember == null ? null : document.PositionOf(driverMember.NameStart);
            if (RotatingDrivers.Contains(driver, StringComparer.OrdinalIgnoreCase))
            {
                string how = driver.Equals("local", StringComparison.OrdinalIgnoreCase) ? "which rotates by default (20 MB a file, 5 files)"
                    : driver.Equals("none", StringComparison.OrdinalIgnoreCase) ? "which keeps no logs at all (iotedge logs and Get-IoTEdgeModuleLog then show nothing)"
                    : "which hands module logs to a system that rotates them";
                return new[] { this.Result(CheckStatus.Pass, $"'{path}' sets {named}, {how}.", path: path, position: at) };
            }

            if (!driver.Equals("json-file", StringComparison.OrdinalIgnoreCase))
            {
                return new[] { this.Result(CheckStatus.Warning, $"'{path}' sets {named}, which this check does not know; make sure it rotates module logs.", remedy: Remedy(path), remedyCommand: Command(path), path: path, position: at) };
            }

            var options = root.Member("log-opts");
            if (options == null || options.Value.Kind != JsonKind.Object)
            {
                string why = options == null ? "no log-opts" : "log-opts that is not an object";
                return new[] { this.Result(CheckStatus.Warning, $"'{path}' sets {named} with {why}: module logs grow without limit and may fill the disk.", remedy: Remedy(path), remedyCommand: Command(path), path: path, position: at ?? (options == null ? null : document.PositionOf(options.NameStart))) };
            }

            var problems = new List<string>();
            FilePosition? first = null;
            foreach (var option in new[] { "max-size", "max-file" })
            {
                var member = options.Value.Member(option);
                if (member == null)
                {
                    problems.Add($"no {option}");
                    first ??= document.PositionOf(options.NameStart);
                }
                else if (member.Value.Kind != JsonKind.String)
                {
                    // docker takes only strings here ("10m", "3") and refuses to start otherwise
                    return new[] { this.Result(CheckStatus.Error, $"log-opts {option} in '{path}' is not a string (write \"{member.Value.RawText(document.Text).Trim('"')}\" in quotes); the container engine does not start with it.", remedy: Remedy(path), remedyCommand: Command(path), position: document.PositionOf(member.Value.Start)) };
                }
            }

            if (problems.Count > 0)
            {
                string consequence = problems.Contains("no max-size") ? "module logs grow without limit and may fill the disk" : "only one file is kept (max-file defaults to 1), so each rotation drops every earlier line (iotedge check warns too)";
                return new[] { this.Result(CheckStatus.Warning, $"'{path}' sets {named} with log-opts that has {string.Join(" and ", problems)}: {consequence}.", remedy: Remedy(path), remedyCommand: Command(path), path: path, position: first) };
            }

            var size = options.Value["max-size"]!.StringValue;
            var files = options.Value["max-file"]!.StringValue;
            return new[] { this.Result(CheckStatus.Pass, $"'{path}' rotates module logs: json-file with max-size {size} and max-file {files}.", path: path, position: at) };
        }
    }
}
