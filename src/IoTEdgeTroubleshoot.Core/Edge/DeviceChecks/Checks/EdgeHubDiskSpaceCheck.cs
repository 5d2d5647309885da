using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks
{
    /// <summary>
    /// Free space where edgeHub keeps its message store: the host folder bound to its storage directory, or the
    /// container engine's storage when nothing is bound (or a named volume is). edgeHub keeps messages there while
    /// the device is offline; when the disk fills it cannot store them (the disk-full known issue).
    /// No `iotedge check` id exists for it.
    /// </summary>
    public sealed class EdgeHubDiskSpaceCheck : IDeviceCheck
    {
        public const string CheckId = "edge-hub-disk-space";

        private const string Fix = "Free space on that volume, shorten storeAndForwardConfiguration.timeToLiveSecs in edgeHub's desired properties if messages pile up while offline, or bind edgeHub's storage to a volume of its own (edge-hub-storage-mounted-from-host shows how).";

        private readonly Func<string, DiskSpace?> _measure;

        public EdgeHubDiskSpaceCheck()
            : this(DiskSpace.Measure)
        {
        }

        /// <summary>Tests give a measure that reports the space they need.</summary>
        internal EdgeHubDiskSpaceCheck(Func<string, DiskSpace?> measure) => _measure = measure;

        public string Id => CheckId;

        public string Description => "edgeHub's storage has free space";

        public DeviceCheckCategory Category => DeviceCheckCategory.Runtime;

        public Task<IReadOnlyList<IoTEdgeCheckResult>> RunAsync(DeviceCheckContext context, CancellationToken cancellationToken) =>
            DeviceCheckResults.OnWorker(() => Run(context, cancellationToken), cancellationToken);

        private IReadOnlyList<IoTEdgeCheckResult> Run(DeviceCheckContext context, CancellationToken cancellationToken)
        {
            var storage = ModuleStorage.Locate(context, "edgeHub", cancellationToken, out string whyNot);
            if (storage == null) return this.One(CheckStatus.Skipped, $"Skipped: {whyNot}.", context.DeploymentPath);

            bool hostFolder = storage.IsPersisted && LooksLikeHostPath(storage.MountSource!);
            if (hostFolder)
            {
                return new[] { ContainerEngineDiskSpaceCheck.Judge(this, _measure, storage.MountSource!, $"edgeHub's storage, host folder '{storage.MountSource}' (bound to {storage.MountTarget}, from {storage.From}),", Fix) };
            }

            var engine = ContainerEngineFacts.EngineRoot(context, cancellationToken);
            if (engine == null) return this.One(CheckStatus.Skipped, $"Skipped: {ContainerEngineFacts.NoEngine(context)}.", context.DeploymentPath);
            var (root, source) = engine.Value;
            string where = storage.IsPersisted
                ? $"edgeHub's storage, volume '{storage.MountSource}' (from {storage.From}), lives in the container engine's storage '{root}' (from {source}) and"
                : $"edgeHub's storage {storage.Directory} is not bound to the host (from {storage.From}), so it lives in the container engine's storage '{root}' (from {source}), which";
            return new[] { ContainerEngineDiskSpaceCheck.Judge(this, _measure, root, where, Fix) };
        }

        private static bool LooksLikeHostPath(string source) =>
            source.StartsWith("/", StringComparison.Ordinal) || (source.Length > 2 && source[1] == ':' && (source[2] == '\\' || source[2] == '/'));
    }
}
