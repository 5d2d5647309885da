using System;

namespace IoTEdgeTroubleshoot.Edge.Logs
{
    /// <summary>
    /// One level scale for every IoT Edge log: the daemons' INFO/WARN/ERR!/DBUG/TRCE, the modules'
    /// VRB/DBG/INF/WRN/ERR/FTL, journald's syslog priorities and the Windows event levels.
    /// </summary>
    public enum IoTEdgeLogLevel
    {
        /// <summary>The line said no level (a start-up script line, a banner before the first entry).</summary>
        Unknown,
        Trace,
        Debug,
        Information,
        Warning,
        Error,
        Critical,
    }

    /// <summary>
    /// One entry of a daemon or module log: a line, with the lines that continue it (a stack trace, a
    /// multi-line message) folded into <see cref="Message"/>.
    /// </summary>
    public sealed class IoTEdgeLogEntry
    {
        /// <summary>When the entry was written; null when the line carried no time (or a time that is not one).</summary>
        public DateTimeOffset? TimeCreated { get; set; }

        public IoTEdgeLogLevel Level { get; set; }

        /// <summary>Who wrote it: the module (edgeAgent, edgeHub), the service (aziot-edged, aziot-identityd, iotedged) or systemd.</summary>
        public string Source { get; set; } = string.Empty;

        /// <summary>The writing process, when the journal or the event log says it.</summary>
        public int? ProcessId { get; set; }

        /// <summary>The text, without the time and level prefix; continuation lines follow on their own lines.</summary>
        public string Message { get; set; } = string.Empty;

        /// <summary>The logger category of a module line ("[Microsoft.Azure.Devices.Edge.Hub...]"), when it has one.</summary>
        public string? Category { get; set; }

        /// <summary>Where the entry was read: "file:line" for saved logs; null for live output.</summary>
        public string? Origin { get; set; }

        /// <summary>The edge device the entry came from through IoT Hub (Get-IoTEdgeModuleLog -DeviceId); null for this host's logs.</summary>
        public string? DeviceId { get; set; }

        public override string ToString() => $"{TimeCreated:u} [{Level}] {Source}: {Message}";
    }
}
