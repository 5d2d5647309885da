using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Deployment;
using IoTEdgeTroubleshoot.Edge.Deployment.Checks;
using IoTEdgeTroubleshoot.Edge.Json;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Dns
{
    /// <summary>What Test-IoTEdgeDns looks at (injectable for tests).</summary>
    public sealed class DnsCheckContext
    {
        /// <summary>The engine's daemon.json files: both Windows paths, or /etc/docker/daemon.json.</summary>
        public IReadOnlyList<string> DaemonConfigPaths { get; set; } = DaemonConfigLocations.Candidates();

        /// <summary>Whether the paths were given (a missing one is then a warning, not the engine's default).</summary>
        public bool DaemonConfigPathsGiven { get; set; }

        /// <summary>A deployment manifest whose edgeAgent and edgeHub createOptions are checked too.</summary>
        public string? ManifestPath { get; set; }

        /// <summary>The hub to resolve; without it, the one the device config names.</summary>
        public string? HubHostName { get; set; }

        /// <summary>The device config to read the hub from.</summary>
        public string DeviceConfigPath { get; set; } = EdgeInstallation.DefaultPath();

        /// <summary>Whether the hub's name is resolved (false: only the files are checked, no lookup leaves the machine).</summary>
        public bool CheckHub { get; set; } = true;

        public IHostResolver Resolver { get; set; } = new SystemHostResolver();

        public TimeSpan ResolveTimeout { get; set; } = TimeSpan.FromSeconds(10);
    }

    /// <summary>
    /// Test-IoTEdgeDns: the guide's "Empty config file" cause. The engine's DNS servers (daemon.json, option 1),
    /// edgeAgent's and edgeHub's HostConfig.Dns (option 2, with -ManifestPath), and whether this host resolves the
    /// hub's name at all.
    /// </summary>
    public static class DnsChecks
    {
        public const string EngineConfigId = "dns-engine-config";
        public const string HubResolvesId = "dns-hub-resolves";
        private const string EngineDescription = "the container engine's daemon.json sets DNS servers";
        private const string HubDescription = "this host resolves the IoT hub's name";

        /// <summary>The ids of the checks (the manifest's is manifest-dns).</summary>
        public static IReadOnlyList<string> CheckIds { get; } = new[] { EngineConfigId, "manifest-dns", HubResolvesId };

        public static IEnumerable<IoTEdgeCheckResult> Run(DnsCheckContext context, CancellationToken cancellationToken = default)
        {
            // Without paths given, a Windows path that is not there while the other one is says nothing.
            var paths = context.DaemonConfigPathsGiven ? context.DaemonConfigPaths : context.DaemonConfigPaths.Where(File.Exists).DefaultIfEmpty(context.DaemonConfigPaths[0]).ToList();
            foreach (var path in paths)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = Engine(path, context);
                if (!context.DaemonConfigPathsGiven && !File.Exists(path) && context.DaemonConfigPaths.Count > 1)
                {
                    result.Message += $" Neither does {string.Join(" nor ", context.DaemonConfigPaths.Skip(1).Select(p => $"'{p}'"))}.";
                }

                yield return result;
            }

            if (context.ManifestPath != null)
            {
                foreach (var result in DeploymentChecks.RunDns(new DeploymentCheckContext(context.ManifestPath) { DaemonConfigPaths = context.DaemonConfigPaths })) yield return result;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (context.CheckHub) yield return HubResolves(context);
        }

        private static IoTEdgeCheckResult Engine(string path, DnsCheckContext context)
        {
            var setting = DaemonDnsSetting.Read(path);
            string remedyCommand = $"Set-IoTEdgeDns -DaemonConfigPath {DeploymentResults.Quote(path)} -Server <address>";
            if (setting.Failure != null)
            {
                return Result(EngineConfigId, EngineDescription, CheckStatus.Error, $"'{path}' cannot be read: {setting.Failure.Message}", path,
                    remedy: setting.Failure is UnauthorizedAccessException ? "Run elevated: 'sudo pwsh' on Linux, or PowerShell as Administrator on Windows." : null);
            }

            if (setting.Document == null)
            {
                return Result(EngineConfigId, EngineDescription, CheckStatus.Warning,
                    $"'{path}' does not exist: the engine gives containers the host's DNS servers, or Google's public ones (8.8.8.8) when the host's is local (systemd-resolved's 127.0.0.53), which many networks block.",
                    path, remedy: "If edgeAgent keeps reporting 'Empty config file', give the engine a DNS server your network allows (the file is created).", remedyCommand: remedyCommand);
            }

            var document = setting.Document;
            if (document.Error != null)
            {
                return Result(EngineConfigId, EngineDescription, CheckStatus.Error, $"Not valid JSON: {document.Error.Message} The engine does not start with it.", path, document.Error.Line, document.Error.Column,
                    remedy: "Fix the JSON at that place, then restart the engine.");
            }

            if (document.Root!.Kind != JsonKind.Object)
            {
                return Result(EngineConfigId, EngineDescription, CheckStatus.Error, "The file is JSON but not an object ({ ... }); the engine does not start with it.", path, 1, 1);
            }

            var dns = setting.Dns;
            if (dns == null)
            {
                return Result(EngineConfigId, EngineDescription, CheckStatus.Warning,
                    $"'{path}' sets no \"dns\": containers get the host's DNS servers, or Google's public ones when the host's is local.", path,
                    remedy: "If edgeAgent keeps reporting 'Empty config file', add a DNS server your network allows.", remedyCommand: remedyCommand);
            }

            var (line, column) = JsonText.Position(document.Text, dns.Start);
            var servers = setting.Servers;
            var bad = servers == null ? new[] { dns.RawText(document.Text) } : servers.Where(s => DnsServers.Problem(s) != null).ToArray();
            if (bad.Length > 0 || servers!.Count == 0)
            {
                return Result(EngineConfigId, EngineDescription, CheckStatus.Error,
                    bad.Length > 0 ? $"\"dns\" holds {string.Join(", ", bad)}: the engine takes a list of IPv4 or IPv6 addresses, and does not start otherwise." : "\"dns\" is an empty list.",
                    path, line, column, remedyCommand: remedyCommand);
            }

            return Result(EngineConfigId, EngineDescription, CheckStatus.Pass, $"The engine gives every container the DNS servers {string.Join(", ", servers)}.", path, line, column);
        }

        private static IoTEdgeCheckResult HubResolves(DnsCheckContext context)
        {
            string? host = context.HubHostName;
            string from = "-HubHostName";
            if (host == null)
            {
                string why;
                try
                {
                    host = HubHostName.FromConfig(EdgeConfigDocument.Load(context.DeviceConfigPath), out why);
                    from = $"'{context.DeviceConfigPath}'";
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    why = $"'{context.DeviceConfigPath}' cannot be read ({ex.Message})";
                }

                if (host == null)
                {
                    return Result(HubResolvesId, HubDescription, CheckStatus.Skipped, $"The hub is not known: {why}. Give it with -HubHostName.", context.DeviceConfigPath);
                }
            }

            try
            {
                var addresses = context.Resolver.Resolve(host, context.ResolveTimeout);
                if (addresses.Count == 0) throw new SocketException((int)SocketError.HostNotFound);
                return Result(HubResolvesId, HubDescription, CheckStatus.Pass, $"'{host}' (from {from}) resolves to {string.Join(", ", addresses)} on this host.", null);
            }
            catch (Exception ex) when (ex is SocketException || ex is TimeoutException || ex is ArgumentException)
            {
                return Result(HubResolvesId, HubDescription, CheckStatus.Error,
                    $"'{host}' (from {from}) does not resolve on this host: {ex.Message} Neither will it in the containers that use the same servers.", null,
                    remedy: "Check the host's DNS servers (resolvectl status; Get-DnsClientServerAddress on Windows) and that the name is right; then give the engine a DNS server that resolves it.");
            }
        }

        private static IoTEdgeCheckResult Result(string id, string description, CheckStatus status, string message, string? path, int? line = null, int? column = null, string? remedy = null, string? remedyCommand = null) => new IoTEdgeCheckResult
        {
            CheckId = id,
            Description = description,
            Status = status,
            Message = SecretMasker.Mask(message),
            Path = path,
            Line = line,
            Column = column,
            Remedy = remedy,
            RemedyCommand = remedyCommand,
        };
    }
}
