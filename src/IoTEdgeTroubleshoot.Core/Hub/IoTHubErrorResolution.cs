using System;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>One error code seen in the logs: how often, on which devices, why, and what to do.</summary>
    public sealed class IoTHubErrorResolution
    {
        public string ResultType { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public int Count { get; set; }

        public int DeviceCount { get; set; }

        public DateTimeOffset? FirstSeen { get; set; }

        public DateTimeOffset? LastSeen { get; set; }

        /// <summary>Up to five of the devices that saw the error, those with the most occurrences first.</summary>
        public string[] SampleDeviceIds { get; set; } = Array.Empty<string>();

        /// <summary>The other error codes logged for the same devices, most frequent first ("404104 (12)").</summary>
        public string[] RelatedResultTypes { get; set; } = Array.Empty<string>();

        public string RootCause { get; set; } = string.Empty;

        public string Resolution { get; set; } = string.Empty;

        public bool? IsTransient { get; set; }

        public string HelpUri { get; set; } = string.Empty;

        /// <summary>False when the code is not in the module's catalog.</summary>
        public bool IsKnown { get; set; }

        public override string ToString() => $"{ResultType} {Name} x{Count}";
    }
}
