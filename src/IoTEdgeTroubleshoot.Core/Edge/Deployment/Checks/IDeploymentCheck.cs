using System;
using System.Collections.Generic;
using IoTEdgeTroubleshoot.Edge.Dns;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Deployment.Checks
{
    /// <summary>One check of a deployment manifest: an id, a description, and its findings. A class each.</summary>
    internal interface IDeploymentCheck
    {
        string Id { get; }

        string Description { get; }

        IEnumerable<IoTEdgeCheckResult> Run(DeploymentCheckContext context);
    }

    /// <summary>What the deployment checks look at, and the facts about the device they compare with (injectable for tests).</summary>
    public sealed class DeploymentCheckContext
    {
        public DeploymentCheckContext(string path)
        {
            Path = path;
        }

        public string Path { get; }

        /// <summary>Null when the file could not be read.</summary>
        internal DeploymentManifest? Manifest { get; set; }

        internal Exception? ReadFailure { get; set; }

        /// <summary>Which process holds a host port here; by default none is looked up and the port check is skipped.</summary>
        public IHostPortOwners PortOwners { get; set; } = new NoHostPortLookup();

        /// <summary>The memory of the device the manifest is for (-DeviceMemoryMB); null to use this machine's.</summary>
        public long? DeviceMemoryMB { get; set; }

        /// <summary>This machine's memory in MB, or null when it cannot be told.</summary>
        public Func<long?> MachineMemoryMB { get; set; } = MachineMemory.TotalMegabytes;

        /// <summary>The container engine's daemon.json files, for whether DNS is set there instead.</summary>
        public IReadOnlyList<string> DaemonConfigPaths { get; set; } = DaemonConfigLocations.Candidates();
    }

    internal static class DeploymentResults
    {
        public static IoTEdgeCheckResult Result(this IDeploymentCheck check, DeploymentCheckContext context, CheckStatus status, string message, int? offset = null, string? remedy = null, string? remedyCommand = null)
        {
            var position = offset == null || context.Manifest == null ? null : context.Manifest.PositionOf(offset.Value);
            return new IoTEdgeCheckResult
            {
                CheckId = check.Id,
                Description = check.Description,
                Status = status,
                Message = SecretMasker.Mask(message),
                Path = context.Path,
                Line = position == null ? (int?)null : (int)position.Line,
                Column = position == null ? (int?)null : (int)position.Column,
                Remedy = remedy == null ? null : SecretMasker.Mask(remedy),
                RemedyCommand = remedyCommand,
            };
        }

        /// <summary>A value for a command line, single-quoted the PowerShell way.</summary>
        public static string Quote(string value) => Platform.PowerShellLiteral.Quote(value);
    }
}
