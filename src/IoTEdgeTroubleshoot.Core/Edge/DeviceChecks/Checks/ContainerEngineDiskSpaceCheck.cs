using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks
{
    /// <summary>
    /// Free space where the container engine keeps images, containers and their logs (DockerRootDir): when it
    /// fills, image pulls fail and modules that write to their container layer fail (see the disk-full known issue).
    /// No `iotedge check` id exists for it.
    /// </summary>
    public sealed class ContainerEngineDiskSpaceCheck : IDeviceCheck
    {
        public const string CheckId = "container-engine-disk-space";

        internal const string Fix = "Free space: 'docker system df' shows what takes it, 'docker image prune -a' removes images no container uses; cap module logs (container-engine-logrotate); or move the engine's data-root (daemon.json) to a larger volume.";

        private readonly Func<string, DiskSpace?> _measure;

        public ContainerEngineDiskSpaceCheck()
            : this(DiskSpace.Measure)
        {
        }

        /// <summary>Tests give a measure that reports the space they need.</summary>
        internal ContainerEngineDiskSpaceCheck(Func<string, DiskSpace?> measure) => _measure = measure;

        public string Id => CheckId;

        public string Description => "the container engine's storage has free space";

        public DeviceCheckCategory Category => DeviceCheckCategory.Runtime;

        public Task<IReadOnlyList<IoTEdgeCheckResult>> RunAsync(DeviceCheckContext context, CancellationToken cancellationToken) =>
            DeviceCheckResults.OnWorker(() => Run(context, cancellationToken), cancellationToken);

        private IReadOnlyList<IoTEdgeCheckResult> Run(DeviceCheckContext context, CancellationToken cancellationToken)
        {
            var engine = ContainerEngineFacts.EngineRoot(context, cancellationToken);
            if (engine == null) return this.One(CheckStatus.Skipped, $"Skipped: {ContainerEngineFacts.NoEngine(context)}.");
            var (root, source) = engine.Value;
            return new[] { Judge(this, _measure, root, $"The container engine's storage '{root}' (from {source})", Fix) };
        }

        /// <summary>The verdict on the space where <paramref name="path"/> is; Skipped when it cannot be measured.</summary>
        internal static IoTEdgeCheckResult Judge(IDeviceCheck check, Func<string, DiskSpace?> measure, string path, string what, string fix)
        {
            DiskSpace? space;
            try
            {
                space = measure(path);
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException || ex is ArgumentException)
            {
                return check.Result(CheckStatus.Skipped, $"Skipped: the free space at '{path}' could not be measured: {ex.Message}", path);
            }

            if (space == null) return check.Result(CheckStatus.Skipped, $"Skipped: no part of '{path}' exists on this machine, so there is nothing to measure.", path);
            var verdict = space.Verdict;
            string said = $"{what} has {space.Describe()}";
            return verdict switch
            {
                CheckStatus.Error => check.Result(CheckStatus.Error, said + ": too little; writes fail when the disk fills (edgeHub stops storing messages, image pulls fail).", path, fix),
                CheckStatus.Warning => check.Result(CheckStatus.Warning, said + ": running low.", path, fix),
                _ => check.Result(CheckStatus.Pass, said + ".", path),
            };
        }
    }
}
