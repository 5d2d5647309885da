using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Completion;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Daemon;
using IoTEdgeTroubleshoot.Edge.Modules;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The guide's 'iotedge restart &lt;container name&gt;'. Names come as arguments, strings, or the Name or Source of
    /// piped objects (modules, log entries, known issues): each module is restarted once however often it comes.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Restart, "IoTEdgeModule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(IoTEdgeModule))]
    public sealed class RestartIoTEdgeModuleCommand : TroubleshootCmdlet
    {
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<string> _restarted = new List<string>();
        private ModuleRestart? _restart;

        /// <summary>The modules to restart (edgeAgent, edgeHub, yours); case-sensitive, as iotedge takes them.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Source", "ModuleName")]
        [ValidateNotNullOrEmpty]
        [ValidateModuleName]
        [ArgumentCompleter(typeof(EdgeModuleNameCompleter))]
        public string[] Name { get; set; } = Array.Empty<string>();

        /// <summary>Return the restarted modules as 'iotedge list' shows them afterwards.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            _restart ??= new ModuleRestart(reporter: Reporter);
            foreach (var name in Name)
            {
                if (string.IsNullOrWhiteSpace(name) || !_seen.Add(name)) continue;
                if (IsServiceName(name))
                {
                    WriteError(ErrorRecordFor(new Problem(ErrorIds.NotAModule, ProblemKind.InvalidArgument, name,
                        $"'{name}' is an IoT Edge service, not a module: restart it with Restart-IoTEdgeDaemon.")));
                    continue;
                }

                if (!ShouldProcess(name, "Restart the IoT Edge module (iotedge restart)")) continue;
                try
                {
                    _restart.Restart(name, CancellationToken);
                    _restarted.Add(name);
                }
                catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
                catch (TroubleshootException ex)
                {
                    WriteError(ErrorRecordFor(ex)); // this module's problem; the others are still restarted
                }
            }
        }

        protected override void EndProcessing()
        {
            if (PassThru && _restarted.Count > 0 && _restart != null)
            {
                Invoke(() =>
                {
                    foreach (var module in _restart.List(CancellationToken).Where(m => _restarted.Contains(m.Name))) WriteObject(module);
                });
            }

            base.EndProcessing();
        }

        private static bool IsServiceName(string name) =>
            DaemonUnits.For(EdgeGeneration.V1_1).Concat(DaemonUnits.For(EdgeGeneration.V1_2)).Any(unit => unit == DaemonStatusRules.ServiceName(name));
    }
}
