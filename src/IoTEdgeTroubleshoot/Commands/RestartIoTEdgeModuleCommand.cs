using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Cloud;
using IoTEdgeTroubleshoot.Completion;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Daemon;
using IoTEdgeTroubleshoot.Edge.Modules;
using IoTEdgeTroubleshoot.Edge.Remote;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The guide's 'iotedge restart &lt;container name&gt;'. Names come as arguments, strings, or the Name or Source of
    /// piped objects (modules, log entries, known issues): each module is restarted once however often it comes.
    /// With -HubName -DeviceId, edgeAgent's RestartModule direct method restarts them on edge devices through IoT Hub.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Restart, "IoTEdgeModule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = LocalSet)]
    [OutputType(typeof(IoTEdgeModule))]
    public sealed class RestartIoTEdgeModuleCommand : TroubleshootCmdlet, IDynamicParameters
    {
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<string> _restarted = new List<string>();
        private const string LocalSet = "Local";
        private readonly RemoteEdge _remote = new RemoteEdge();
        private ModuleRestart? _restart;

        /// <summary>The modules to restart (edgeAgent, edgeHub, yours); case-sensitive, as iotedge takes them.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Source", "ModuleName")]
        [ValidateNotNullOrEmpty]
        [ValidateModuleName]
        [ArgumentCompleter(typeof(EdgeModuleNameCompleter))]
        public string[] Name { get; set; } = Array.Empty<string>();

        /// <summary>Return the restarted modules as 'iotedge list' shows them afterwards.</summary>
        [Parameter(ParameterSetName = LocalSet)]
        public SwitchParameter PassThru { get; set; }

        /// <summary>The IoT hub the edge devices are registered in (its name, such as contoso-iot-prod).</summary>
        [Parameter(Mandatory = true, ParameterSetName = RemoteEdge.ParameterSet)]
        [ValidateNotNullOrEmpty]
        public string HubName { get; set; } = string.Empty;

        /// <summary>The edge devices; the DeviceId of piped objects (Get-IoTHubDeviceStatus output) binds here.</summary>
        [Parameter(Mandatory = true, ParameterSetName = RemoteEdge.ParameterSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] DeviceId { get; set; } = Array.Empty<string>();


        /// <summary>The remote parameter set's shared parameters (connection, throttle), declared once in <see cref="RemoteEdgeParameters"/>.</summary>
        public object GetDynamicParameters() => _remote.Parameters;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == RemoteEdge.ParameterSet)
            {
                foreach (var name in Name)
                {
                    if (string.IsNullOrWhiteSpace(name) || !_seen.Add(name)) continue;
                    if (IsServiceName(name)) WriteError(NotAModule(name));
                    else _restarted.Add(name);
                }

                _remote.Add(DeviceId); // restarted all at once, in parallel, when the pipeline ends
                return;
            }

            _restart ??= new ModuleRestart(reporter: Reporter);
            foreach (var name in Name)
            {
                if (string.IsNullOrWhiteSpace(name) || !_seen.Add(name)) continue;
                if (IsServiceName(name))
                {
                    WriteError(NotAModule(name));
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
            if (ParameterSetName == RemoteEdge.ParameterSet)
            {
                RestartRemote();
                base.EndProcessing();
                return;
            }

            if (PassThru && _restarted.Count > 0 && _restart != null)
            {
                Invoke(() =>
                {
                    foreach (var module in _restart.List(CancellationToken).Where(m => _restarted.Contains(m.Name))) WriteObject(module);
                });
            }

            base.EndProcessing();
        }

        // ShouldProcess per device on this thread; then the confirmed devices in parallel.
        private void RestartRemote()
        {
            var names = _restarted.ToArray();
            if (names.Length == 0) return;
            var confirmed = _remote.Devices.Where(device => ShouldProcess(device, $"Restart the IoT Edge module(s) {string.Join(", ", names)} (edgeAgent RestartModule direct method through IoT Hub {HubName})")).ToList();
            if (confirmed.Count == 0) return;
            var fleet = new RemoteEdgeFleet(_remote.Parameters.Connection(HubName), Reporter) { ThrottleLimit = _remote.Parameters.ThrottleLimit };
            Invoke(() =>
            {
                foreach (var outcome in fleet.RestartModules(confirmed, names, CancellationToken)) RemoteEdge.Write<string>(this, outcome, _ => { });
            });
        }

        private static ErrorRecord NotAModule(string name) => ErrorRecordFor(new Problem(ErrorIds.NotAModule, ProblemKind.InvalidArgument, name,
            $"'{name}' is an IoT Edge service, not a module: restart it with Restart-IoTEdgeDaemon."));

        private static bool IsServiceName(string name) =>
            DaemonUnits.For(EdgeGeneration.V1_1).Concat(DaemonUnits.For(EdgeGeneration.V1_2)).Any(unit => unit == DaemonStatusRules.ServiceName(name));
    }
}
