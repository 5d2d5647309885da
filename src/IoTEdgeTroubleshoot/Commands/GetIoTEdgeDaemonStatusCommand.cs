using System.Management.Automation;
using IoTEdgeTroubleshoot.Completion;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Daemon;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>The guide's 'systemctl status iotedge' / 'Get-Service iotedge', for both generations, as objects.</summary>
    [Cmdlet(VerbsCommon.Get, "IoTEdgeDaemonStatus")]
    [OutputType(typeof(IoTEdgeDaemonStatus))]
    public sealed class GetIoTEdgeDaemonStatusCommand : TroubleshootCmdlet
    {
        /// <summary>The IoT Edge version whose services to show; without it, the generation installed.</summary>
        [Parameter(Position = 0)]
        [ValidateEdgeGeneration]
        [ArgumentCompleter(typeof(EdgeGenerationCompleter))]
        public string? Generation { get; set; }

        protected override void ProcessRecord()
        {
            EdgeGeneration? requested = Generation == null ? (EdgeGeneration?)null : EdgeGenerations.FromVersion(Generation);
            Invoke(() =>
            {
                foreach (var status in new DaemonStatusReader(reporter: Reporter).Read(requested, CancellationToken)) WriteObject(status);
            });
        }
    }
}
