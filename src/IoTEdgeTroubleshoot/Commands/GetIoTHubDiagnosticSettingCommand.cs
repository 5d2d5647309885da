using System.Linq;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Hub.Cloud;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>The guide's first step, checked: do the hub's Connections logs reach a Log Analytics workspace?</summary>
    [Cmdlet(VerbsCommon.Get, "IoTHubDiagnosticSetting")]
    [OutputType(typeof(DiagnosticSettingInfo))]
    public sealed class GetIoTHubDiagnosticSettingCommand : AzureCommandBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ResourceId { get; set; } = string.Empty;

        protected override void ProcessRecord()
        {
            Invoke(() =>
            {
                var settings = new DiagnosticSettingsClient(ResourceId, AzureSettings(), Reporter).List(CancellationToken);
                foreach (var setting in settings) WriteObject(setting);
                if (!settings.Any(s => s.ConnectionsToWorkspace))
                {
                    WriteWarning($"No diagnostic setting of {ResourceId} sends Connections logs to a Log Analytics workspace: the guide's query finds nothing. "
                        + "Turn it on with Enable-IoTHubConnectionLog -ResourceId <hub id> -WorkspaceResourceId <workspace id>.");
                }
            });
        }
    }
}
