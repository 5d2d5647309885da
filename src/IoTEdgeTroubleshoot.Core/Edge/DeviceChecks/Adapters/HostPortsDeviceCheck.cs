using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Network;
using IoTEdgeTroubleshoot.Edge.Network.Listeners;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Adapters
{
    /// <summary>
    /// Test-IoTEdgeFirewall -Local: no other process holds 8883, 5671 or 443, which edgeHub publishes on the host
    /// (iotedge check's edgehub-host-ports, one result per port). Where the container engine's proxy holds a port,
    /// docker says which container publishes it: edgeHub itself passes, another container is the conflict.
    /// </summary>
    public sealed class HostPortsDeviceCheck : BlockingDeviceCheck
    {
        private readonly Func<IListenerTable?> _table;

        public HostPortsDeviceCheck(Func<IListenerTable?>? table = null) => _table = table ?? ListenerTables.ForThisPlatform;

        public override string Id => "edgehub-host-ports";

        public override string Description => "edgeHub can bind its ports on the host (Test-IoTEdgeFirewall -Local)";

        public override DeviceCheckCategory Category => DeviceCheckCategory.Runtime;

        public override IReadOnlyList<string> ResultIds { get; } = PortGuide.DefaultPorts.Select(port => PortGuide.For(port).LocalCheckId).ToArray();

        protected override IEnumerable<IoTEdgeCheckResult> Run(DeviceCheckContext context, CancellationToken cancellationToken)
        {
            var tool = new NativeTool(context.Processes, NullReporter.Instance);
            foreach (var result in PortOwnerCheck.Run(PortGuide.DefaultPorts, _table()))
            {
                if (result.Status == CheckStatus.Warning && PortOwnerCheck.IsContainerPortProxy(result.ProcessName)) Judge(result, tool, context.Timeout, cancellationToken);
                yield return result;
            }
        }

        // docker ps --filter publish=<port>: the container that publishes the port. Without docker the warning stays.
        private static void Judge(IoTEdgePortCheckResult result, NativeTool tool, TimeSpan timeout, CancellationToken cancellationToken)
        {
            string[] names;
            try
            {
                var command = new NativeCommand("docker", new[] { "ps", "--filter", "publish=" + result.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--format", "{{.Names}}" }, timeout);
                names = tool.Run(command, cancellationToken).StandardOutput.Split(new[] { '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries).Select(n => n.Trim()).Where(n => n.Length > 0).ToArray();
            }
            catch (TroubleshootException)
            {
                return;
            }

            // The names go into a command line (docker stop ...): only what docker allows in a container name is taken;
            // anything else is not docker's answer, and the warning stays.
            if (names.Length == 0 || !names.All(IsContainerName)) return;
            var others = names.Where(n => !string.Equals(n, "edgeHub", StringComparison.Ordinal)).ToArray();
            if (others.Length == 0)
            {
                result.Status = CheckStatus.Pass;
                result.Message = $"edgeHub publishes port {result.Port} itself ({result.ProcessName}, pid {result.ProcessId}).";
                result.Remedy = null;
                result.RemedyCommand = null;
                return;
            }

            result.Status = CheckStatus.Error;
            result.Message = $"The container {string.Join(", ", others)} publishes port {result.Port}: edgeHub cannot (Docker fails with 'port is already allocated').";
            result.Remedy = $"Stop {string.Join(", ", others)}, or publish it on another port, then restart IoT Edge.";
            result.RemedyCommand = $"docker stop {string.Join(" ", others)}";
        }

        // Docker's rule for a container name: [a-zA-Z0-9][a-zA-Z0-9_.-]*.
        private static bool IsContainerName(string name) =>
            IsAsciiLetterOrDigit(name[0]) && name.All(c => IsAsciiLetterOrDigit(c) || c == '_' || c == '.' || c == '-');

        private static bool IsAsciiLetterOrDigit(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
