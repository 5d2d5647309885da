using System;
using System.Collections.Generic;
using System.IO;
using YamlDotNet.RepresentationModel;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>One check of config.yaml: an id, a description, and its findings. A class each.</summary>
    internal interface IConfigCheck
    {
        string Id { get; }

        string Description { get; }

        /// <summary>Whether the check needs a file that parses as YAML (else it is reported Skipped).</summary>
        bool NeedsValidYaml { get; }

        IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context);
    }

    /// <summary>What the checks look at, and the few facts about the machine they compare with.</summary>
    public sealed class ConfigCheckContext
    {
        public ConfigCheckContext(string path)
        {
            Path = path;
        }

        public string Path { get; }

        /// <summary>Null when the file could not be read.</summary>
        public EdgeConfigDocument? Document { get; internal set; }

        /// <summary>Why the file could not be read (and whether elevation would help).</summary>
        public Exception? ReadFailure { get; internal set; }

        /// <summary>This machine's host name, for the hostname check (injectable for tests).</summary>
        public string MachineName { get; set; } = Environment.MachineName;

        public Func<string, bool> FileExists { get; set; } = File.Exists;

        public Func<string, bool> DirectoryExists { get; set; } = Directory.Exists;
    }

    /// <summary>Helpers the checks share: results with positions, and remedy command lines.</summary>
    internal static class CheckResults
    {
        public static IoTEdgeCheckResult Result(this IConfigCheck check, ConfigCheckContext context, CheckStatus status, string message, YamlNode? at = null, string? remedy = null, string? remedyCommand = null) => new IoTEdgeCheckResult
        {
            CheckId = check.Id,
            Description = check.Description,
            Status = status,
            Message = IoTEdgeTroubleshoot.Platform.SecretMasker.Mask(message),
            Path = context.Path,
            Line = at == null ? (int?)null : (int)at.Start.Line,
            Column = at == null ? (int?)null : (int)at.Start.Column,
            Remedy = remedy,
            RemedyCommand = remedyCommand,
        };

        /// <summary>A path for a command line, single-quoted the PowerShell way.</summary>
        public static string Quote(string value) => "'" + value.Replace("'", "''") + "'";
    }
}
