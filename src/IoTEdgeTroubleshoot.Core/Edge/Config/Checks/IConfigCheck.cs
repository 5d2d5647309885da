using System;
using System.Collections.Generic;
using System.IO;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>One check of a config file: an id, a description, and its findings. A class each.</summary>
    internal interface IConfigCheck
    {
        string Id { get; }

        string Description { get; }

        /// <summary>Whether the check needs a file that parses (else it is reported Skipped).</summary>
        bool NeedsParsedDocument { get; }

        IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context);
    }

    /// <summary>What the checks look at, and the few facts about the machine they compare with (injectable for tests).</summary>
    public sealed class ConfigCheckContext
    {
        public ConfigCheckContext(string path, EdgeGeneration? generation = null)
        {
            Path = path;
            RequestedGeneration = generation;
        }

        public string Path { get; }

        /// <summary>The generation asked for (-Generation); null to tell from the file.</summary>
        public EdgeGeneration? RequestedGeneration { get; }

        /// <summary>The generation the file was checked as.</summary>
        public EdgeGeneration Generation => Document?.Generation ?? RequestedGeneration ?? GenerationDetector.FromName(Path) ?? EdgeInstallation.Detect() ?? EdgeGeneration.V1_2;

        /// <summary>Null when the file could not be read.</summary>
        public EdgeConfigDocument? Document { get; internal set; }

        /// <summary>Why the file could not be read (and whether elevation would help).</summary>
        public Exception? ReadFailure { get; internal set; }

        /// <summary>This machine's host name, for the hostname check.</summary>
        public string MachineName { get; set; } = Environment.MachineName;

        public Func<string, bool> FileExists { get; set; } = File.Exists;

        public Func<string, bool> DirectoryExists { get; set; } = Directory.Exists;

        /// <summary>A file's last write time (UTC), or null when it does not exist.</summary>
        public Func<string, DateTime?> LastWriteTimeUtc { get; set; } = path => File.Exists(path) ? File.GetLastWriteTimeUtc(path) : (DateTime?)null;

        /// <summary>Whether a service account can read a file (aziotks reads keys, aziotcs certificates).</summary>
        public IServiceFileAccess ServiceAccess { get; set; } = ServiceFileAccess.ForThisPlatform();
    }

    /// <summary>A place in the file a result points at.</summary>
    internal readonly struct ConfigPlace
    {
        public ConfigPlace(int line, int column)
        {
            Line = line;
            Column = column;
        }

        public int Line { get; }

        public int Column { get; }

        public static implicit operator ConfigPlace?(ConfigNode? node) => node == null ? (ConfigPlace?)null : new ConfigPlace(node.Line, node.Column);

        public static implicit operator ConfigPlace?(ConfigEntry? entry) => entry == null ? (ConfigPlace?)null : new ConfigPlace(entry.Line, entry.Column);
    }

    /// <summary>Helpers the checks share: results with positions, and remedy command lines.</summary>
    internal static class CheckResults
    {
        public static IoTEdgeCheckResult Result(this IConfigCheck check, ConfigCheckContext context, CheckStatus status, string message, ConfigPlace? at = null, string? remedy = null, string? remedyCommand = null) => new IoTEdgeCheckResult
        {
            CheckId = check.Id,
            Description = check.Description,
            Status = status,
            Message = SecretMasker.Mask(message),
            Path = context.Path,
            Line = at?.Line,
            Column = at?.Column,
            Remedy = remedy == null ? null : SecretMasker.Mask(remedy),
            RemedyCommand = remedyCommand,
        };

        /// <summary>A path for a command line, single-quoted the PowerShell way.</summary>
        public static string Quote(string value) => Platform.PowerShellLiteral.Quote(value);

        /// <summary>The Set-IoTEdgeHostname line for this file, with a name that would pass.</summary>
        public static string SetHostnameCommand(ConfigCheckContext context) =>
            $"Set-IoTEdgeHostname -Path {Quote(context.Path)} -HostName {(HostnameRules.Check(context.MachineName, context.Generation).Error == null ? context.MachineName.ToLowerInvariant() : "<dns name>")}";

        /// <summary>What makes a change to this file take effect: restart the 1.1 daemon, or apply config.toml.</summary>
        public static string ApplyCommand(EdgeGeneration generation) =>
            generation == EdgeGeneration.V1_1 ? "sudo systemctl restart iotedge" : "sudo iotedge config apply";
    }
}
