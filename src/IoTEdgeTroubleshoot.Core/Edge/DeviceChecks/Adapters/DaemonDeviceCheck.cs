using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Daemon;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Adapters
{
    /// <summary>
    /// Get-IoTEdgeDaemonStatus as checks: one result per service of the generation, named as aziotctl check names its
    /// services (keyd-running ...), edged-running for aziot-edged and iotedge-running for the 1.0/1.1 daemon.
    /// </summary>
    public sealed class DaemonDeviceCheck : BlockingDeviceCheck
    {
        public override string Id => "edge-daemons";

        public override string Description => "the IoT Edge services run (Get-IoTEdgeDaemonStatus)";

        public override DeviceCheckCategory Category => DeviceCheckCategory.Runtime;

        public override IReadOnlyList<string> ResultIds { get; } = DaemonUnits.For(Config.EdgeGeneration.V1_2)
            .Concat(DaemonUnits.For(Config.EdgeGeneration.V1_1)).Concat(new[] { DaemonUnits.WindowsService })
            .Select(CheckIdOf).Distinct().ToArray();

        /// <summary>aziot-keyd → keyd-running; iotedge → iotedge-running.</summary>
        public static string CheckIdOf(string service) =>
            (service.StartsWith("aziot-", StringComparison.Ordinal) ? service.Substring("aziot-".Length) : service) + "-running";

        protected override IEnumerable<IoTEdgeCheckResult> Run(DeviceCheckContext context, CancellationToken cancellationToken)
        {
            var reader = new DaemonStatusReader(context.Processes, NullReporter.Instance, context.IsWindows);
            foreach (var status in reader.Read(context.Generation, cancellationToken))
            {
                var result = new IoTEdgeCheckResult
                {
                    CheckId = CheckIdOf(status.Name),
                    Description = $"{status.Name} runs",
                    Status = status.Health switch
                    {
                        DaemonHealth.Ok => CheckStatus.Pass,
                        DaemonHealth.Warning => CheckStatus.Warning,
                        _ => CheckStatus.Error,
                    },
                    Message = $"{status.Name}: {status.Note}",
                };
                if (result.Status != CheckStatus.Pass)
                {
                    result.Remedy = status.Health == DaemonHealth.NotInstalled
                        ? $"Install IoT Edge {status.Generation}, or run Test-IoTEdge -Generation for the generation installed."
                        : "Read why with Get-IoTEdgeDaemonLog, fix the cause, then restart the IoT Edge services.";
                    result.RemedyCommand = status.Health == DaemonHealth.NotInstalled ? null
                        : status.LoadState == "masked" ? $"sudo systemctl unmask {status.Name}"
                        : "Restart-IoTEdgeDaemon";
                }

                yield return result;
            }
        }
    }
}
