using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.EventLog;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Adapters
{
    /// <summary>
    /// Windows, IoT Edge 1.0/1.1: the iotedged event source key is complete, without which Get-WinEvent -ProviderName
    /// iotedged fails with EventLogException (the guide's fix is Repair-IoTEdgeEventLog). Skipped elsewhere.
    /// </summary>
    public sealed class EventLogDeviceCheck : BlockingDeviceCheck
    {
        private readonly Func<IMachineRegistry> _registry;
        private readonly Func<string?> _messageFile;

        public EventLogDeviceCheck(Func<IMachineRegistry>? registry = null, Func<string?>? messageFile = null)
        {
            _registry = registry ?? (() => new WindowsMachineRegistry());
            _messageFile = messageFile ?? (() => EventLogRegistration.DetectMessageFile());
        }

        public override string Id => "eventlog-registered";

        public override string Description => "the iotedged event source is registered, so its Windows events can be read (Repair-IoTEdgeEventLog)";

        public override DeviceCheckCategory Category => DeviceCheckCategory.Logs;

        public override IReadOnlyList<string> ResultIds { get; } = Array.Empty<string>();

        protected override IEnumerable<IoTEdgeCheckResult> Run(DeviceCheckContext context, CancellationToken cancellationToken)
        {
            if (!context.IsWindows) return new[] { Own(CheckStatus.Skipped, "Skipped: Windows only (the daemon's events are in the Windows event log of IoT Edge 1.0/1.1 on Windows).") };
            if (context.Generation != EdgeGeneration.V1_1) return new[] { Own(CheckStatus.Skipped, "Skipped: IoT Edge 1.2 and later run on Windows inside EFLOW's Linux VM, which logs to its journal.") };
            string? messageFile = _messageFile();
            if (messageFile == null) return new[] { Own(CheckStatus.Skipped, $"Skipped: iotedged.exe is not installed here (neither under Program Files nor {EventLogRegistration.GuideMessageFile}).") };

            IReadOnlyList<RegistryValue> missing;
            try
            {
                missing = EventLogRegistration.ToWrite(_registry(), EventLogRegistration.Desired(messageFile));
            }
            catch (UnauthorizedAccessException)
            {
                return new[] { Own(CheckStatus.Skipped, $"Skipped: {EventLogRegistration.KeyPath} cannot be read; run elevated.") };
            }

            if (missing.Count == 0) return new[] { Own(CheckStatus.Pass, $"{EventLogRegistration.KeyPath} is complete: the daemon's events can be read.") };
            return new[]
            {
                Own(CheckStatus.Error,
                    $"{EventLogRegistration.KeyPath} lacks or differs in {string.Join(", ", missing.Select(v => v.Name))}: Get-WinEvent -ProviderName iotedged (and Get-IoTEdgeDaemonLog) fail with EventLogException.",
                    "Register the event source as the guide says; the daemon's events then show.", "Repair-IoTEdgeEventLog"),
            };
        }
    }
}
