using System.Management.Automation;
using IoTEdgeTroubleshoot.Hub;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>Every connect and disconnect in IoT Hub Connections logs, exported or in a Log Analytics workspace.</summary>
    [Cmdlet(VerbsCommon.Get, "IoTHubConnectionEvent", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(IoTHubConnectionEvent))]
    [OutputType(typeof(string), ParameterSetName = new[] { WorkspaceSet })]
    public sealed class GetIoTHubConnectionEventCommand : ConnectionLogCommandBase
    {
        protected override bool ErrorsOnly => false;
    }
}
