using System;
using System.Runtime.InteropServices;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Daemon;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Dns
{
    /// <summary>
    /// Restarts the container engine so that it reads daemon.json again, as the guide says: on Linux
    /// 'systemctl restart docker' (IoT Edge's moby engine runs as the docker unit); on Windows
    /// 'Restart-Service iotedge-moby -Force' in an elevated PowerShell, which this command says rather than does.
    /// Every container restarts with it, edgeAgent and edgeHub included.
    /// </summary>
    public sealed class EngineRestart
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
        private readonly NativeTool _tool;
        private readonly bool _windows;

        public EngineRestart(IProcessRunner? runner = null, bool? windows = null, IReporter? reporter = null)
        {
            _tool = new NativeTool(runner, reporter);
            _windows = windows ?? RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        }

        /// <summary>What is restarted, for -WhatIf and -Confirm.</summary>
        public string What => _windows ? "the container engine (service iotedge-moby) and every container on it" : "the container engine (systemd unit docker) and every container on it";

        /// <summary>The command a user runs by hand.</summary>
        public string ManualCommand => _windows ? "Restart-Service iotedge-moby -Force" : "sudo systemctl restart docker";

        public DaemonRestartOutcome Restart(CancellationToken cancellationToken = default)
        {
            if (_windows)
            {
                return new DaemonRestartOutcome(false, $"Restart the container engine to apply the change: {ManualCommand} (in an elevated PowerShell).");
            }

            if (!_tool.IsAvailable("systemctl"))
            {
                return new DaemonRestartOutcome(false, $"systemctl was not found; restart the container engine to apply the change: {ManualCommand}");
            }

            var command = new NativeCommand("systemctl", new[] { "restart", "docker" }, Timeout)
            {
                WhatToTry = "Check 'systemctl status docker' and 'journalctl -u docker' (a daemon.json the engine refuses stops it from starting).",
            };
            try
            {
                _tool.Run(command, cancellationToken);
            }
            catch (TroubleshootException ex)
            {
                // The file is written by then: say so under the restart's own id, the tool's error inside.
                throw new TroubleshootException(ErrorIds.EngineRestartFailed, ex.Kind, "docker", ex.Message, ex);
            }

            return new DaemonRestartOutcome(true, "The container engine (docker) was restarted; edgeAgent starts the modules again.");
        }
    }
}
