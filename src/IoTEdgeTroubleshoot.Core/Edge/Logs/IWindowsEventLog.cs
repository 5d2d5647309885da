using System;
using System.Collections.Generic;
using System.Threading;

namespace IoTEdgeTroubleshoot.Edge.Logs
{
    /// <summary>One event of the Windows Application log, as Get-WinEvent gives it.</summary>
    public sealed class WindowsEventRecord
    {
        public DateTimeOffset? TimeCreated { get; set; }

        /// <summary>1 critical, 2 error, 3 warning, 4 information, 5 verbose.</summary>
        public int Level { get; set; }

        public int? ProcessId { get; set; }

        public string? Message { get; set; }

        public string ProviderName { get; set; } = string.Empty;
    }

    /// <summary>
    /// The Windows event log as the guide reads it (Get-WinEvent -FilterHashtable @{ ProviderName = 'iotedged';
    /// LogName = 'Application'; StartTime = ... }). An interface: Core maps what it returns and what it throws,
    /// and is tested without Windows; the cmdlet layer provides it where Get-WinEvent exists.
    /// </summary>
    public interface IWindowsEventLog
    {
        /// <summary>
        /// The provider's events in the Application log between the times; newest first with <paramref name="maxEvents"/>
        /// (to take the last ones), oldest first without. Throws what the event log throws (EventLogException and kin).
        /// </summary>
        IEnumerable<WindowsEventRecord> Read(string providerName, DateTimeOffset? start, DateTimeOffset? end, int? maxEvents, CancellationToken cancellationToken);
    }
}
