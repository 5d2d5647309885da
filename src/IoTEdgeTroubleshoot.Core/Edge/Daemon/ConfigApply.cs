using System;
using System.Runtime.InteropServices;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Daemon
{
    /// <summary>
    /// Makes a config change take effect, the way each generation does it: 1.0/1.1 restarts the iotedge
    /// daemon (<see cref="DaemonRestart"/>, which Restart-IoTEdgeDaemon uses too; its failures become
    /// DaemonRestartFailed here, since the file is written by then); 1.2+ runs 'iotedge config apply', which writes each service's
    /// config.d file and restarts them. 'config apply' refuses a hostname change while modules exist; that
    /// refusal is explained with what to do.
    /// </summary>
    public sealed class ConfigApply
    {
        /// <summary>What 'iotedge config apply' prints when it refuses a new hostname because modules exist.</summary>
        internal const string HostnameRefusal = "is different from the previous hostname";

        private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
        private readonly IProcessRunner _runner;
        private readonly bool _windows;
        private readonly DaemonRestart _restart;

        public ConfigApply(IProcessRunner? runner = null, bool? windows = null, DaemonRestart? restart = null)
        {
            _runner = runner ?? new ProcessRunner();
            _windows = windows ?? RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            _restart = restart ?? new DaemonRestart(_runner, _windows);
        }

        /// <summary>The command a user runs by hand to apply the file at <paramref name="path"/>.</summary>
        public string ManualCommand(EdgeGeneration generation, string path) =>
            generation == EdgeGeneration.V1_1 ? _restart.ManualCommand(generation) : "sudo iotedge config apply" + ConfigArgument(path);

        /// <summary>Whether -Apply can do it from here; otherwise the command only says what to run.</summary>
        public bool CanApply(EdgeGeneration generation) =>
            generation == EdgeGeneration.V1_1 ? _restart.CanRestart(generation) : !_windows && _runner.Find("iotedge") != null;

        public DaemonRestartOutcome Apply(EdgeGeneration generation, string path, CancellationToken cancellationToken = default)
        {
            if (generation == EdgeGeneration.V1_1) return RestartAfterEdit(generation, path, cancellationToken);
            string? iotedge = _windows ? null : _runner.Find("iotedge");
            if (iotedge == null)
            {
                return new DaemonRestartOutcome(false, $"The iotedge command was not found; apply the change on the device: {ManualCommand(generation, path)}");
            }

            var arguments = IsDefault(path) ? new[] { "config", "apply" } : new[] { "config", "apply", "-c", path };
            ProcessResult result;
            try
            {
                result = _runner.Run(iotedge, arguments, Timeout, cancellationToken);
            }
            catch (TimeoutException ex)
            {
                throw new TroubleshootException(ErrorIds.ConfigApplyFailed, ProblemKind.InvalidOperation, path,
                    $"{ex.Message} Check 'sudo iotedge system status'; the file is written.", ex);
            }

            string said = SecretMasker.Mask((result.StandardError + Environment.NewLine + result.StandardOutput).Trim());
            if (result.ExitCode != 0 && said.IndexOf(HostnameRefusal, StringComparison.Ordinal) >= 0)
            {
                throw new TroubleshootException(ErrorIds.HostnameChangeRefused, ProblemKind.InvalidOperation, path,
                    "'iotedge config apply' refused the new hostname because IoT Edge modules exist on this device (their certificates name the old one). "
                    + "Either set the old hostname back (Set-IoTEdgeHostname, or restore the backup beside the file), or remove the modules, which loses the data stored in them, and apply again: "
                    + "sudo iotedge system stop && sudo docker rm -f $(sudo docker ps -aq -f \"label=net.azure-devices.edge.owner=Microsoft.Azure.Devices.Edge.Agent\") && sudo iotedge config apply"
                    + ". The file is written; the running configuration is unchanged.");
            }

            if (result.ExitCode != 0)
            {
                string first = said.Split('\n')[0].Trim().TrimEnd('.');
                throw new TroubleshootException(ErrorIds.ConfigApplyFailed, ProblemKind.InvalidOperation, path,
                    $"'iotedge config apply' failed (exit code {result.ExitCode}): {first}. Run it elevated ('sudo pwsh'), or run 'sudo iotedge config apply' to see why; the file is written.");
            }

            return new DaemonRestartOutcome(true, "'iotedge config apply' applied the change and restarted the IoT Edge services.");
        }

        // The shared restart; its failure is told as what it is here: the file is written, the daemon runs the old one.
        private DaemonRestartOutcome RestartAfterEdit(EdgeGeneration generation, string path, CancellationToken cancellationToken)
        {
            if (!_restart.CanRestart(generation))
            {
                return new DaemonRestartOutcome(false, $"Restart the security daemon to apply the change: {_restart.ManualCommand(generation)} (elevated).");
            }

            try
            {
                return _restart.Restart(generation, cancellationToken);
            }
            catch (TroubleshootException ex) when (ex.ErrorId != ErrorIds.DaemonRestartFailed)
            {
                throw new TroubleshootException(ErrorIds.DaemonRestartFailed, ex.Kind, path,
                    $"'{path}' is written, but the IoT Edge daemon could not be restarted to read it: {ex.Message}", ex);
            }
        }

        private static bool IsDefault(string path) => string.Equals(path, EdgeInstallation.TomlPath, StringComparison.Ordinal);

        private static string ConfigArgument(string path) => IsDefault(path) ? string.Empty : " -c '" + path.Replace("'", "'\\''") + "'";
    }
}
