using System.Collections.Generic;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Completion;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Daemon;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The guide's "restart the IoT Edge security manager": 'systemctl restart iotedge' (1.0/1.1),
    /// 'iotedge system restart' (1.2+), or on Windows stop the iotedge service without waiting, pause, start.
    /// Modules stop while the daemon restarts, hence ConfirmImpact High.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Restart, "IoTEdgeDaemon", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(IoTEdgeDaemonStatus))]
    public sealed class RestartIoTEdgeDaemonCommand : TroubleshootCmdlet
    {
        private readonly HashSet<EdgeGeneration> _done = new HashSet<EdgeGeneration>();

        /// <summary>The IoT Edge version (or an IoTEdgeDaemonStatus's Generation); without it, the generation installed.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateEdgeGeneration]
        [ArgumentCompleter(typeof(EdgeGenerationCompleter))]
        public string? Generation { get; set; }

        /// <summary>Return the services' status after the restart.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var generation = EdgeGeneration.V1_2;
            Invoke(() => generation = Generation != null ? EdgeGenerations.FromVersion(Generation) : new DaemonStatusReader(reporter: Reporter).Installed(CancellationToken));
            if (!_done.Add(generation)) return; // the status of each service came down the pipeline: one restart

            var restart = new DaemonRestart(reporter: Reporter);
            string target = string.Join(", ", DaemonUnits.For(generation));
            if (!ShouldProcess(target, $"Restart the IoT Edge {generation.Name()} daemon ({restart.ManualCommand(generation)}); its modules stop until it is back")) return;

            Invoke(() =>
            {
                WriteVerbose(restart.Restart(generation, CancellationToken).Message);
                if (!PassThru) return;
                foreach (var status in new DaemonStatusReader(reporter: Reporter).Read(generation, CancellationToken)) WriteObject(status);
            });
        }
    }
}
