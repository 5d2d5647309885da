using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Edge.Deployment.Checks
{
    /// <summary>
    /// manifest-edgehub-optimization: edgeHub optimizes for performance by default and takes a lot of memory;
    /// on a constrained device (a Raspberry Pi) that ends in out-of-memory errors, lost downstream devices and
    /// silence after some hours. The guide: set its env OptimizeForPerformance to "false" there.
    /// </summary>
    internal sealed class HubOptimizationCheck : IDeploymentCheck
    {
        /// <summary>Below this a device counts as constrained: a 1 GB or 2 GB board reports less than 2048 MB.</summary>
        public const long ConstrainedMemoryMB = 2048;

        public string Id => "manifest-edgehub-optimization";

        public string Description => "edgeHub's OptimizeForPerformance suits the device's memory";

        public IEnumerable<IoTEdgeCheckResult> Run(DeploymentCheckContext context)
        {
            var manifest = context.Manifest!;
            var hub = manifest.Module("edgeHub");
            if (hub == null)
            {
                yield return this.Result(context, CheckStatus.Skipped, "The manifest has no edgeHub.");
                yield break;
            }

            string? value = ManifestEditor.HubOptimization(hub);
            int at = (hub.Node.At("env", "OptimizeForPerformance") ?? hub.Node).Start;
            if (string.Equals(value, "false", System.StringComparison.OrdinalIgnoreCase))
            {
                yield return this.Result(context, CheckStatus.Pass, "edgeHub's OptimizeForPerformance is false: it allocates memory sparingly.", at);
                yield break;
            }

            long? memory = context.DeviceMemoryMB ?? context.MachineMemoryMB();
            string whose = context.DeviceMemoryMB != null ? "The device" : "This machine";
            string setting = value == null ? "is not set (true by default)" : $"is {value}";
            if (memory == null)
            {
                yield return this.Result(context, CheckStatus.Skipped, $"edgeHub's OptimizeForPerformance {setting}; the device's memory is not known: give -DeviceMemoryMB.", at);
                yield break;
            }

            if (memory >= ConstrainedMemoryMB)
            {
                yield return this.Result(context, CheckStatus.Pass, $"edgeHub's OptimizeForPerformance {setting}; {whose.ToLowerInvariant()} has {memory} MB, enough for it.", at);
                yield break;
            }

            yield return this.Result(context, CheckStatus.Warning,
                $"edgeHub's OptimizeForPerformance {setting}, and {whose.ToLowerInvariant()} has {memory} MB (under {ConstrainedMemoryMB}): edgeHub may run out of memory, drop downstream devices, or stop sending telemetry after some hours.", at,
                remedy: "Set edgeHub's env OptimizeForPerformance to \"false\" and deploy again.",
                remedyCommand: $"Set-IoTEdgeHubOptimization -Path {DeploymentResults.Quote(context.Path)} -OptimizeForPerformance $false");
        }
    }
}
