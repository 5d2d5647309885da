using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks
{
    /// <summary>
    /// iotedge check's edge-agent-storage-mounted-from-host and edge-hub-storage-mounted-from-host: the module's
    /// storage directory (StorageFolder, default /tmp, then the module's name) is on a mount, so it outlives the
    /// container. Without one, edgeHub's queued messages and edgeAgent's state are lost when the module is
    /// updated or recreated. Read from the deployment manifest when one is given, else from 'docker inspect'.
    /// </summary>
    public sealed class StorageMountedFromHostCheck : IDeviceCheck
    {
        private readonly string _module;

        private StorageMountedFromHostCheck(string module, string id)
        {
            _module = module;
            Id = id;
        }

        public static StorageMountedFromHostCheck EdgeAgent { get; } = new StorageMountedFromHostCheck("edgeAgent", "edge-agent-storage-mounted-from-host");

        public static StorageMountedFromHostCheck EdgeHub { get; } = new StorageMountedFromHostCheck("edgeHub", "edge-hub-storage-mounted-from-host");

        public string Id { get; }

        public string Description => $"production readiness: {_module}'s storage directory is persisted on the host filesystem";

        public DeviceCheckCategory Category => DeviceCheckCategory.Runtime;

        public Task<IReadOnlyList<IoTEdgeCheckResult>> RunAsync(DeviceCheckContext context, CancellationToken cancellationToken) =>
            DeviceCheckResults.OnWorker(() => Run(context, cancellationToken), cancellationToken);

        private IReadOnlyList<IoTEdgeCheckResult> Run(DeviceCheckContext context, CancellationToken cancellationToken)
        {
            var storage = ModuleStorage.Locate(context, _module, cancellationToken, out string whyNot);
            if (storage == null) return this.One(CheckStatus.Skipped, $"Skipped: {whyNot}.", context.DeploymentPath);
            if (storage.IsPersisted)
            {
                string kind = storage.MountType == "volume" ? "volume" : "host folder";
                return this.One(CheckStatus.Pass, $"{_module} keeps its storage directory {storage.Directory} on the {kind} '{storage.MountSource}' (mounted at {storage.MountTarget}; from {storage.From}).", context.DeploymentPath);
            }

            return this.One(CheckStatus.Warning,
                $"The {_module} module is not configured to persist its {storage.Directory} directory on the host filesystem (from {storage.From}); data might be lost if the module is deleted or updated{(_module == "edgeHub" ? ": messages queued while offline go with it" : string.Empty)}.",
                context.DeploymentPath,
                remedy: $"In the deployment, give {_module} the env StorageFolder = /iotedge/storage and createOptions HostConfig.Binds [\"/srv/{_module.ToLowerInvariant()}:/iotedge/storage\"], make the host folder writable by the module's user (sudo mkdir -p /srv/{_module.ToLowerInvariant()}; sudo chown 1000 /srv/{_module.ToLowerInvariant()}; sudo chmod 700 /srv/{_module.ToLowerInvariant()}), then redeploy.");
        }
    }
}
