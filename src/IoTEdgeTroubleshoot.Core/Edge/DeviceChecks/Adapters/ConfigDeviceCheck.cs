using System.Collections.Generic;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Config.Checks;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Adapters
{
    /// <summary>Test-IoTEdgeConfig's checks of the device's config.toml or config.yaml, each result under its own id.</summary>
    public sealed class ConfigDeviceCheck : BlockingDeviceCheck
    {
        public override string Id => "edge-config";

        public override string Description => "the IoT Edge config file is well-formed and complete (Test-IoTEdgeConfig)";

        public override DeviceCheckCategory Category => DeviceCheckCategory.Configuration;

        public override IReadOnlyList<string> ResultIds { get; } = ConfigChecks.CheckIds.Distinct().ToArray();

        protected override IEnumerable<IoTEdgeCheckResult> Run(DeviceCheckContext context, CancellationToken cancellationToken) =>
            ConfigChecks.Run(new ConfigCheckContext(context.ConfigPath, context.Generation), cancellationToken);
    }
}
