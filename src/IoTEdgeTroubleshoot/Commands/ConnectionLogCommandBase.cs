using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Hub;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>Get-IoTHubConnectionEvent and Get-IoTHubConnectionError: read the logs and write the events.</summary>
    public abstract class ConnectionLogCommandBase : ConnectionLogInputCommandBase
    {
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] ResultType { get; set; } = Array.Empty<string>();

        /// <summary>True for Get-IoTHubConnectionError: only Level == "Error", the guide's query.</summary>
        protected abstract bool ErrorsOnly { get; }

        protected override ConnectionEventFilter BuildFilter()
        {
            var filter = base.BuildFilter();
            filter.ErrorsOnly = ErrorsOnly;
            if (ResultType.Length > 0) filter.ResultTypes = new HashSet<string>(ResultType.Select(r => r.Trim()), StringComparer.OrdinalIgnoreCase);
            return filter;
        }

        protected override void ProcessRecord()
        {
            var reader = new ConnectionLogReader(BuildFilter(), Reporter);
            int fileCount = 0;
            Invoke(() =>
            {
                var files = ResolveInputFiles();
                fileCount = files.Count;
                foreach (var e in reader.ReadFiles(files, CancellationToken))
                {
                    WriteObject(e);
                }
            });
            WriteVerbose($"{reader.RecordsRead} events read from {fileCount} file(s); {reader.MalformedRecords} malformed record(s) skipped.");
        }
    }
}
