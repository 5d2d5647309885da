using System;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    /// <summary>The disconnect patterns Get-IoTHubDisconnectDiagnosis recognises.</summary>
    public enum DisconnectPattern
    {
        /// <summary>404104 symptom 1: disconnects at a stable period (SAS token renewal over MQTT).</summary>
        Periodic,

        /// <summary>404104 symptom 2: irregular disconnects of one device (network, keep-alive, app crash).</summary>
        Random,

        /// <summary>404104 symptom 3: many devices at once (a transient hub issue).</summary>
        HubWide,

        /// <summary>409002 / 400027: two clients with one identity, or reconnects before the hub saw the drop.</summary>
        DuplicateIdentity,

        /// <summary>The device's last event is a disconnect and it did not come back.</summary>
        NeverReconnected,

        /// <summary>Connection attempts keep failing with 401003: the device's credentials are wrong.</summary>
        AuthenticationFailure,

        /// <summary>Connection attempts keep failing with 404001: the device is not registered.</summary>
        DeviceNotFound,
    }

    public enum DiagnosisConfidence
    {
        Low,
        Medium,
        High,
    }

    /// <summary>One recognised pattern: for one device, or for the hub (HubWide) with the devices it hit.</summary>
    public sealed class IoTHubDisconnectDiagnosis
    {
        public DisconnectPattern Pattern { get; set; }

        /// <summary>The device; empty for a hub-wide diagnosis.</summary>
        public string DeviceId { get; set; } = string.Empty;

        /// <summary>1 for a device's diagnosis; the devices hit, for a hub-wide one.</summary>
        public int DeviceCount { get; set; }

        /// <summary>What the table shows: the device, or "64 devices" for a hub-wide diagnosis. A plain property,
        /// because a script block per row costs more than the analysis on a fleet of thousands of results.</summary>
        public string Device => DeviceId.Length > 0 ? DeviceId : $"{DeviceCount} devices";

        public DateTimeOffset? FirstSeen { get; set; }

        public DateTimeOffset? LastSeen { get; set; }

        public int DisconnectCount { get; set; }

        public double? MedianIntervalMinutes { get; set; }

        public double? MedianReconnectSeconds { get; set; }

        /// <summary>The error codes seen with the pattern, most frequent first ("404104 (22)").</summary>
        public string[] RelatedResultTypes { get; set; } = Array.Empty<string>();

        public string? Protocol { get; set; }

        public string? SdkVersion { get; set; }

        /// <summary>For a hub-wide diagnosis: up to ten of the devices it hit.</summary>
        public string[] SampleDeviceIds { get; set; } = Array.Empty<string>();

        public string Cause { get; set; } = string.Empty;

        public string Solution { get; set; } = string.Empty;

        public string HelpUri { get; set; } = string.Empty;

        public DiagnosisConfidence Confidence { get; set; }

        /// <summary>A short sentence with the numbers behind the verdict.</summary>
        public string Evidence { get; set; } = string.Empty;

        public override string ToString() =>
            $"{Pattern} {(DeviceId.Length > 0 ? DeviceId : DeviceCount + " devices")}: {Evidence}";
    }

    /// <summary>One point of the hub's connectedDeviceCount metric (Get-IoTHubConnectedDeviceMetric, or any object with these two).</summary>
    public sealed class ConnectedDeviceMetricPoint
    {
        public ConnectedDeviceMetricPoint(DateTimeOffset timestamp, double minimum)
        {
            Timestamp = timestamp;
            Minimum = minimum;
        }

        public DateTimeOffset Timestamp { get; }

        /// <summary>The fewest devices connected during the interval: the aggregation a drop shows in.</summary>
        public double Minimum { get; }

        public double? Average { get; set; }

        public double? Maximum { get; set; }

        /// <summary>The minimum fell at least -DropThreshold percent below the median of the points before it.</summary>
        public bool IsDrop { get; set; }

        /// <summary>How far, in percent, the minimum is below that median (0 when it is not below).</summary>
        public double DropPercent { get; set; }

        /// <summary>The hub's resource id (Get-IoTHubConnectedDeviceMetric); empty for points given otherwise.</summary>
        public string ResourceId { get; set; } = string.Empty;

        public override string ToString() => $"{Timestamp:u} min {Minimum}{(IsDrop ? $" drop {DropPercent} %" : string.Empty)}";
    }
}
