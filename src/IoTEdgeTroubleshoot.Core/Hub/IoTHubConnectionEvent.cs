using System;
using System.Runtime.CompilerServices;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>
    /// One record of the IoT Hub "Connections" resource log: a device (or module) connected,
    /// disconnected, or failed to. Read from exported files or, later, a Log Analytics workspace.
    /// </summary>
    public sealed class IoTHubConnectionEvent
    {
        /// <summary>When the hub logged the event, in UTC.</summary>
        public DateTimeOffset TimeGenerated { get; set; }

        /// <summary>The hub's name, taken from the last segment of <see cref="ResourceId"/>.</summary>
        public string HubName { get; set; } = string.Empty;

        public string ResourceId { get; set; } = string.Empty;

        public string DeviceId { get; set; } = string.Empty;

        public string? ModuleId { get; set; }

        /// <summary>deviceConnect or deviceDisconnect.</summary>
        public string OperationName { get; set; } = string.Empty;

        public string Category { get; set; } = string.Empty;

        /// <summary>Information, Warning or Error.</summary>
        public string Level { get; set; } = string.Empty;

        /// <summary>The error code, such as 404104; empty for a successful event.</summary>
        public string ResultType { get; set; } = string.Empty;

        /// <summary>The hub's name for the error, such as DeviceConnectionClosedRemotely.</summary>
        public string ResultDescription { get; set; } = string.Empty;

        /// <summary>Mqtt, MqttWs, Amqp, AmqpWs or Https.</summary>
        public string? Protocol { get; set; }

        /// <summary>sas, x509 or the raw authType text when it is not the usual JSON.</summary>
        public string? AuthType { get; set; }

        public string? MaskedIpAddress { get; set; }

        /// <summary>
        /// The fast path's stand-in for <see cref="MaskedIpAddress"/>: a hash of its bytes, set instead of the
        /// string (0 when not set). Use <see cref="AddressHashValue"/>, which falls back to hashing the string.
        /// </summary>
        internal ulong MaskedIpAddressHash { get; set; }

        /// <summary>
        /// The fast path's table of device ids that gave <see cref="DeviceId"/> (null otherwise), the table's slots as the
        /// lookup read them, and the slot: where the analysis notes the device's timeline number
        /// (<see cref="DeviceKeyTable.TimelineOf"/>), which spares it a lookup per record.
        /// </summary>
        internal DeviceKeyTable? DeviceKeys { get; set; }

        internal DeviceKeyTable.Slot[]? DeviceKeySlots { get; set; }

        internal int DeviceIdSlot { get; set; }

        internal ulong AddressHashValue => MaskedIpAddressHash != 0 ? MaskedIpAddressHash : Diagnosis.AddressHash.Of(MaskedIpAddress);

        public string? StatusCode { get; set; }

        public string? SdkVersion { get; set; }

        public string? ErrorMessage { get; set; }

        public string? Location { get; set; }

        /// <summary>The file and line the record came from ("path:line"), for tracing a result back.</summary>
        public string? Source { get; set; }

        /// <summary>Filled in by Resolve-IoTHubConnectionError -PerEvent: what the error code means.</summary>
        public IoTHubErrorCodeInfo? ErrorInfo { get; set; }

        public bool IsError => string.Equals(Level, "Error", StringComparison.OrdinalIgnoreCase);

        public bool IsDisconnect => TextValues.EqualsAsciiIgnoreCase(OperationName, "devicedisconnect");

        public bool IsConnect => TextValues.EqualsAsciiIgnoreCase(OperationName, "deviceconnect");

        /// <summary>
        /// Empties every field, for the fast path's reused events. The one place that knows them all: a field
        /// added to the class and forgotten here would carry the previous record's value.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)] // once per record of the fast path
        internal void ResetForReuse()
        {
            TimeGenerated = default;
            ResourceId = HubName = DeviceId = OperationName = Category = Level = ResultType = ResultDescription = string.Empty;
            ModuleId = Protocol = AuthType = MaskedIpAddress = StatusCode = SdkVersion = ErrorMessage = Location = Source = null;
            MaskedIpAddressHash = 0;
            DeviceKeys = null;
            DeviceKeySlots = null;
            DeviceIdSlot = 0;
            ErrorInfo = null;
        }

        public override string ToString() =>
            $"{TimeGenerated:u} {DeviceId} {OperationName} {ResultType} {ResultDescription}".TrimEnd();
    }
}
