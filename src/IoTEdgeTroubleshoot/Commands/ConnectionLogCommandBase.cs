using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Hub.Cloud;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// Get-IoTHubConnectionEvent and Get-IoTHubConnectionError: read exported logs (-Path, -LiteralPath) or
    /// query a Log Analytics workspace (-WorkspaceId), and write the events.
    /// </summary>
    public abstract class ConnectionLogCommandBase : ConnectionWorkspaceCommandBase
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
            if (ParameterSetName == WorkspaceSet)
            {
                QueryWorkspace();
                return;
            }

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

        // The guide's query; the time range defaults to the last 24 hours.
        private void QueryWorkspace()
        {
            var query = WorkspaceQuery();
            query.ErrorsOnly = ErrorsOnly;
            query.ResultTypes = ResultType;
            if (ShowQuery)
            {
                WriteObject(query.ToKql());
                return;
            }

            var settings = WorkspaceSettings();
            int count = 0;
            Invoke(() =>
            {
                foreach (var e in query.Run(settings, BuildFilter(), Reporter, CancellationToken))
                {
                    count++;
                    WriteObject(e);
                }
            });
            WriteVerbose($"{count} events from workspace {WorkspaceId:D}.");
        }
    }
}
