using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using IoTEdgeTroubleshoot.Cloud;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Hub.Cloud;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// Get-IoTHubConnectionEvent and Get-IoTHubConnectionError: read exported logs (-Path, -LiteralPath) or
    /// query a Log Analytics workspace (-WorkspaceId), and write the events.
    /// </summary>
    public abstract class ConnectionLogCommandBase : ConnectionLogInputCommandBase
    {
        protected const string WorkspaceSet = "Workspace";

        /// <summary>The workspace's id (a GUID: Workspace ID on its Overview page), not its resource id.</summary>
        [Parameter(Mandatory = true, ParameterSetName = WorkspaceSet)]
        public Guid WorkspaceId { get; set; }

        /// <summary>The hub's resource id, to pick one hub in a shared workspace.</summary>
        [Parameter(ParameterSetName = WorkspaceSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? ResourceId { get; set; }

        /// <summary>The hub's name, to pick one hub in a shared workspace.</summary>
        [Parameter(ParameterSetName = WorkspaceSet)]
        [ValidateNotNullOrEmpty]
        public string? HubName { get; set; }

        /// <summary>Print the KQL for the portal instead of running it.</summary>
        [Parameter(ParameterSetName = WorkspaceSet)]
        public SwitchParameter ShowQuery { get; set; }

        [Parameter(ParameterSetName = WorkspaceSet)]
        public AzureEnvironment Environment { get; set; } = AzureEnvironment.AzureCloud;

        [Parameter(ParameterSetName = WorkspaceSet)]
        [ValidateNotNullOrEmpty]
        public string? TenantId { get; set; }

        [Parameter(ParameterSetName = WorkspaceSet)]
        [SecureStringTransformation]
        [ValidateNotNull]
        public SecureString? AccessToken { get; set; }

        [Parameter(ParameterSetName = WorkspaceSet)]
        [ValidateNotNull]
        public Uri? LogAnalyticsEndpoint { get; set; }

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
            var (start, end) = AzureParameters.Range(MyInvocation.BoundParameters, StartTime, EndTime);
            if (AzureParameters.ReversedRange(start, end) is Problem reversed) ThrowTerminatingError(ErrorRecordFor(reversed));

            var query = new ConnectionWorkspaceQuery
            {
                WorkspaceId = WorkspaceId,
                ResourceId = ResourceId,
                HubName = HubName,
                StartTime = start,
                EndTime = end,
                ErrorsOnly = ErrorsOnly,
                DeviceIds = DeviceId,
                ResultTypes = ResultType,
            };
            if (ShowQuery)
            {
                WriteObject(query.ToKql());
                return;
            }

            var settings = AzureParameters.Settings(Environment, TenantId, AccessToken, LogAnalyticsEndpoint, null);
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
