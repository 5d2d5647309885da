using System;
using System.Runtime.InteropServices;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Daemon
{
    /// <summary>What a restart request came to.</summary>
    public sealed class DaemonRestartOutcome
    {
        public DaemonRestartOutcome(bool restarted, string message)
        {
            Restarted = restarted;
            Message = message;
        }

        public bool Restarted { get; }

        public string Message { get; }
    }

    /// <summary>
    /// Restarts the IoT Edge daemon the guide's way, for Restart-IoTEdgeDaemon and for the config edits' -Apply
    /// on 1.0/1.1: Linux 1.0/1.1 'systemctl restart iotedge'; Linux 1.2+ 'iotedge system restart' (aziot-edged
    /// and the identity services); Windows (1.0/1.1) stop the iotedge service without waiting, pause, wait
    /// until it has stopped, and start it. Failures are the NativeTool* errors of the tool that failed.
    /// </summary>
    public sealed class DaemonRestart
    {
        /// <summary>The guide's pause between stopping and starting the Windows service.</summary>
        public static readonly TimeSpan WindowsPause = TimeSpan.FromSeconds(5);

        /// <summary>How many more seconds a Windows service may take to stop after the pause, asked once a second.</summary>
        internal const int WindowsStopPolls = 60;

        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
        private readonly IProcessRunner _runner;
        private readonly NativeTool _tool;
        private readonly bool _windows;
        private readonly IServiceControl _services;
        private readonly Action<TimeSpan, CancellationToken> _pause;

        public DaemonRestart(IProcessRunner? runner = null, bool? windows = null, IReporter? reporter = null, IServiceControl? services = null, Action<TimeSpan, CancellationToken>? pause = null)
        {
            _runner = runner ?? new ProcessRunner();
            _tool = new NativeTool(_runner, reporter);
            _windows = windows ?? RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            _services = services ?? new ScServiceControl(_tool);
            _pause = pause ?? ((span, token) => token.WaitHandle.WaitOne(span));
        }

        /// <summary>The command a user runs by hand.</summary>
        public string ManualCommand(EdgeGeneration generation) =>
            _windows ? (generation == EdgeGeneration.V1_1 ? "Stop-Service iotedge -NoWait; Start-Sleep 5; Start-Service iotedge" : "Invoke-EflowVmCommand 'sudo iotedge system restart'")
            : generation == EdgeGeneration.V1_1 ? "sudo systemctl restart iotedge" : "sudo iotedge system restart";

        /// <summary>Whether it can be done from here: the tool it needs is there (otherwise a caller says what to run by hand).</summary>
        public bool CanRestart(EdgeGeneration generation) =>
            _windows ? generation == EdgeGeneration.V1_1 && _tool.IsAvailable("sc") : _tool.IsAvailable(generation == EdgeGeneration.V1_1 ? "systemctl" : "iotedge");

        /// <summary>The Linux command for <paramref name="generation"/>.</summary>
        public static NativeCommand LinuxCommand(EdgeGeneration generation) => generation == EdgeGeneration.V1_1
            ? new NativeCommand("systemctl", new[] { "restart", DaemonUnits.V11Daemon }, Timeout) { WhatToTry = "Check 'systemctl status iotedge' and Get-IoTEdgeDaemonLog." }
            : new NativeCommand("iotedge", new[] { "system", "restart" }, Timeout) { WhatToTry = "Check 'iotedge system status' and Get-IoTEdgeDaemonLog." };

        /// <summary>Restarts it here; a missing tool, refused access or a failure are the NativeTool* errors.</summary>
        public DaemonRestartOutcome Restart(EdgeGeneration generation, CancellationToken cancellationToken = default)
        {
            if (_windows)
            {
                if (generation == EdgeGeneration.V1_2)
                {
                    throw new TroubleshootException(ErrorIds.NotSupportedOnWindows, ProblemKind.NotImplemented, DaemonUnits.V12Daemon,
                        $"IoT Edge 1.2 and later run on Windows inside EFLOW's Linux VM, not as a Windows service; restart them there: {ManualCommand(generation)}.");
                }

                RestartWindowsService(cancellationToken);
                return new DaemonRestartOutcome(true, "The IoT Edge security daemon (the iotedge service) was restarted.");
            }

            _tool.Run(LinuxCommand(generation), cancellationToken);
            return new DaemonRestartOutcome(true, generation == EdgeGeneration.V1_1
                ? "The IoT Edge security daemon (iotedge) was restarted."
                : "The IoT Edge services (aziot-edged and the identity services) were restarted.");
        }

        // As the guide: Stop-Service -NoWait, sleep 5, Start-Service; and since Start-Service fails on a service still
        // stopping, wait for it to be stopped first.
        private void RestartWindowsService(CancellationToken cancellationToken)
        {
            string service = DaemonUnits.WindowsService;
            _services.Stop(service, cancellationToken);
            _pause(WindowsPause, cancellationToken);
            for (int poll = 0; ; poll++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var state = _services.Query(service, cancellationToken);
                if (state == null || state.State == "STOPPED") break;
                if (poll >= WindowsStopPolls)
                {
                    throw new TroubleshootException(ErrorIds.NativeToolTimedOut, ProblemKind.OperationTimeout, service,
                        $"The '{service}' service was still {state.State} {WindowsPause.TotalSeconds + WindowsStopPolls:0} s after it was asked to stop, so it was not started again. Check it with 'Get-Service {service}' and the daemon log (Get-IoTEdgeDaemonLog).");
                }

                _pause(TimeSpan.FromSeconds(1), cancellationToken);
            }

            _services.Start(service, cancellationToken);
        }
    }
}
