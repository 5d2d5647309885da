using System.Management.Automation;
using IoTEdgeTroubleshoot.Hub;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>The guide's query: Connections records with Level == "Error", from exported logs.</summary>
    [Cmdlet(VerbsCommon.Get, "IoTHubConnectionError", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(IoTHubConnectionEvent))]
    public sealed class GetIoTHubConnectionErrorCommand : ConnectionLogCommandBase
    {
        protected override bool ErrorsOnly => true;
    }
}
