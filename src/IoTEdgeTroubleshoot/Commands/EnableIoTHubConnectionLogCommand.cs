using System.Management.Automation;
using IoTEdgeTroubleshoot.Hub.Cloud;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The guide's first step: send the hub's Connections logs to a Log Analytics workspace, creating the
    /// diagnostic setting or updating it while keeping its other categories and destinations.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Enable, "IoTHubConnectionLog", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(DiagnosticSettingInfo))]
    public sealed class EnableIoTHubConnectionLogCommand : AzureCommandBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ResourceId { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string WorkspaceResourceId { get; set; } = string.Empty;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = "connections-to-log-analytics";

        protected override void ProcessRecord()
        {
            Invoke(() =>
            {
                var result = new DiagnosticSettingsClient(ResourceId, AzureSettings(), Reporter)
                    .EnableConnections(Name, WorkspaceResourceId, ShouldProcess, Reporter, CancellationToken);
                if (result != null) WriteObject(result);
            });
        }
    }
}
