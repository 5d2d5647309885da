using System.Management.Automation;
using IoTEdgeTroubleshoot.Hub;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>The guide's query: Connections records with Level == "Error", from exported logs or a Log Analytics workspace.</summary>
    [Cmdlet(VerbsCommon.Get, "IoTHubConnectionError", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(IoTHubConnectionEvent))]
    [OutputType(typeof(string), ParameterSetName = new[] { WorkspaceSet })]
    public sealed class GetIoTHubConnectionErrorCommand : ConnectionLogCommandBase
    {
        protected override bool ErrorsOnly => true;
    }
}
