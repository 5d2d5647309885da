using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Logs;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// Core's view of the Windows event log, through the guide's own command: Get-WinEvent -FilterHashtable
    /// @{ ProviderName; LogName = 'Application'; StartTime; EndTime } (in Windows PowerShell 5.1 and PowerShell 7
    /// on Windows alike, with no event-log assembly to load). Its failures reach Core's mapping as they are.
    /// </summary>
    internal sealed class GetWinEventLog : IWindowsEventLog
    {
        private const string Script = "param($filter, $max) $p = @{ FilterHashtable = $filter; ErrorAction = 'Stop' }; if ($max) { $p.MaxEvents = $max }; Microsoft.PowerShell.Diagnostics\\Get-WinEvent @p";

        private readonly PSCmdlet _cmdlet;

        public GetWinEventLog(PSCmdlet cmdlet) => _cmdlet = cmdlet;

        public IEnumerable<WindowsEventRecord> Read(string providerName, DateTimeOffset? start, DateTimeOffset? end, int? maxEvents, CancellationToken cancellationToken)
        {
            var filter = new Hashtable { ["ProviderName"] = providerName, ["LogName"] = "Application" };
            if (start != null) filter["StartTime"] = start.Value.LocalDateTime;
            if (end != null) filter["EndTime"] = end.Value.LocalDateTime;
            _cmdlet.WriteVerbose($"Running: Get-WinEvent -FilterHashtable @{{ ProviderName = '{providerName}'; LogName = 'Application'{(start == null ? "" : $"; StartTime = '{start.Value.LocalDateTime:o}'")}{(end == null ? "" : $"; EndTime = '{end.Value.LocalDateTime:o}'")} }}{(maxEvents == null ? "" : $" -MaxEvents {maxEvents}")}");
            System.Collections.ObjectModel.Collection<PSObject> results;
            try
            {
                results = _cmdlet.InvokeCommand.InvokeScript(Script, true, PipelineResultTypes.None, null, filter, maxEvents);
            }
            catch (RuntimeException ex) when (ex.ErrorRecord?.Exception is Exception cause && !ReferenceEquals(cause, ex))
            {
                // -ErrorAction Stop wraps what Get-WinEvent met (an EventLogException): Core maps it by its own type.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(cause).Throw();
                throw;
            }

            foreach (var result in results)
            {
                if (result == null) continue;
                yield return new WindowsEventRecord
                {
                    TimeCreated = Property(result, "TimeCreated") is DateTime time ? new DateTimeOffset(time) : (DateTimeOffset?)null,
                    Level = Property(result, "Level") is object level ? Convert.ToInt32(level, System.Globalization.CultureInfo.InvariantCulture) : 0,
                    ProcessId = Property(result, "ProcessId") is object pid ? Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture) : (int?)null,
                    Message = Property(result, "Message") as string,
                    ProviderName = Property(result, "ProviderName") as string ?? providerName,
                };
            }
        }

        private static object? Property(PSObject item, string name)
        {
            object? value = item.Properties[name]?.Value;
            return value is PSObject wrapped ? wrapped.BaseObject : value;
        }
    }
}
