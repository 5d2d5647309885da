using System.Management.Automation;
using IoTEdgeTroubleshoot.Hub;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>Every connect and disconnect in exported IoT Hub Connections logs.</summary>
    [Cmdlet(VerbsCommon.Get, "IoTHubConnectionEvent", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(IoTHubConnectionEvent))]
    public sealed class GetIoTHubConnectionEventCommand : ConnectionLogCommandBase
    {
        protected override bool ErrorsOnly => false;
    }
}
