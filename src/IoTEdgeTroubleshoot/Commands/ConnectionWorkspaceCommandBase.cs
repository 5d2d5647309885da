using System;
using System.Management.Automation;
using System.Security;
using IoTEdgeTroubleshoot.Cloud;
using IoTEdgeTroubleshoot.Hub.Cloud;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The commands that read a hub's Connections records from exported files or from a Log Analytics
    /// workspace (-WorkspaceId): the workspace, the hub in it, the cloud and the sign-in.
    /// </summary>
    public abstract class ConnectionWorkspaceCommandBase : ConnectionLogInputCommandBase
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

        /// <summary>The workspace's hub filters and time range (the last 24 hours unless -StartTime/-EndTime say otherwise).</summary>
        protected ConnectionWorkspaceQuery WorkspaceQuery()
        {
            var (start, end) = AzureParameters.Range(MyInvocation.BoundParameters, StartTime, EndTime);
            if (AzureParameters.ReversedRange(start, end) is Problem reversed) ThrowTerminatingError(ErrorRecordFor(reversed));
            return new ConnectionWorkspaceQuery
            {
                WorkspaceId = WorkspaceId,
                ResourceId = ResourceId,
                HubName = HubName,
                StartTime = start,
                EndTime = end,
                DeviceIds = DeviceId,
            };
        }

        protected AzureConnectionSettings WorkspaceSettings() => AzureParameters.Settings(Environment, TenantId, AccessToken, LogAnalyticsEndpoint, null);
    }
}
