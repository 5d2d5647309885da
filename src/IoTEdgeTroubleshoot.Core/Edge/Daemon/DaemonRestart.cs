using System;
using System.Runtime.InteropServices;
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
    /// Restarts the IoT Edge 1.0/1.1 security daemon after a config change, as the guide does after
    /// every edit. Linux: systemctl restart iotedge. Where it cannot be done from here, it says what to run.
    /// 1.2+ applies config.toml with 'iotedge config apply' instead (<see cref="ConfigApply"/>).
    /// </summary>
    public sealed class DaemonRestart
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
        private readonly IProcessRunner _runner;
        private readonly bool _windows;

        public DaemonRestart(IProcessRunner? runner = null, bool? windows = null)
        {
            _runner = runner ?? new ProcessRunner();
            _windows = windows ?? RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        }

        /// <summary>The command a user runs by hand.</summary>
        public string ManualCommand => _windows ? "Restart-Service iotedge" : "sudo systemctl restart iotedge";

        /// <summary>Whether -Restart can do it from here (Linux with systemd); otherwise it only says what to run.</summary>
        public bool CanRestart => !_windows && _runner.Find("systemctl") != null;

        public DaemonRestartOutcome Restart()
        {
            if (_windows)
            {
                return new DaemonRestartOutcome(false, $"Restart the security daemon to apply the change: {ManualCommand} (in an elevated PowerShell).");
            }

            string? systemctl = _runner.Find("systemctl");
            if (systemctl == null)
            {
                return new DaemonRestartOutcome(false, $"systemctl was not found; restart the security daemon to apply the change: {ManualCommand}");
            }

            ProcessResult result;
            try
            {
                result = _runner.Run(systemctl, new[] { "restart", "iotedge" }, Timeout);
            }
            catch (TimeoutException ex)
            {
                throw new TroubleshootException(ErrorIds.DaemonRestartFailed, ProblemKind.InvalidOperation, "iotedge",
                    $"{ex.Message} Check 'systemctl status iotedge'.", ex);
            }

            if (result.ExitCode != 0)
            {
                string said = SecretMasker.Mask(result.StandardError.Trim()).TrimEnd('.');
                throw new TroubleshootException(ErrorIds.DaemonRestartFailed, ProblemKind.InvalidOperation, "iotedge",
                    $"'systemctl restart iotedge' failed (exit code {result.ExitCode}): {said}. Run it elevated, or check 'systemctl status iotedge'.");
            }

            return new DaemonRestartOutcome(true, "The security daemon (iotedge) was restarted.");
        }
    }
}
