using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using IoTEdgeTroubleshoot.Completion;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Daemon;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The guide's "more detailed logs of the security manager": IOTEDGE_LOG in a drop-in of iotedge.service
    /// (1.0/1.1) or 'iotedge system set-log-level' (1.2+), then -Restart to make it take effect.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "IoTEdgeDaemonLogLevel", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByGeneration)]
    [OutputType(typeof(IoTEdgeDaemonStatus))]
    public sealed class SetIoTEdgeDaemonLogLevelCommand : TroubleshootCmdlet
    {
        private const string ByGeneration = "ByGeneration";
        private const string ByDropIn = "ByDropIn";

        /// <summary>error, warn, info (the default of both daemons), debug or trace.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateDaemonLogLevel]
        [ArgumentCompleter(typeof(DaemonLogLevelCompleter))]
        public string Level { get; set; } = "info";

        /// <summary>Restart the daemon afterwards, so the level takes effect now (its modules stop briefly).</summary>
        [Parameter]
        public SwitchParameter Restart { get; set; }

        /// <summary>The IoT Edge version; without it, the generation installed.</summary>
        [Parameter(ParameterSetName = ByGeneration)]
        [ValidateEdgeGeneration]
        [ArgumentCompleter(typeof(EdgeGenerationCompleter))]
        public string? Generation { get; set; }

        /// <summary>The 1.0/1.1 drop-in to write instead of /etc/systemd/system/iotedge.service.d/override.conf.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByDropIn)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>How many timestamped backups of the drop-in to keep.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int BackupCount { get; set; } = SafeFileWriter.DefaultBackupCount;

        /// <summary>Return the daemon's status afterwards.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            string level = DaemonLogLevel.Normalize(Level);
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                ThrowTerminatingError(ErrorRecordFor(new Problem(ErrorIds.NotSupportedOnWindows, ProblemKind.NotImplemented, level,
                    "The IoT Edge daemon's log level is a systemd setting on Linux: this command does not set it on Windows. For IoT Edge 1.2+ on EFLOW, run inside the VM: Invoke-EflowVmCommand 'sudo iotedge system set-log-level " + level + "'.")));
            }

            // A drop-in path is the 1.0/1.1 way; else the generation asked for, else the one Get-IoTEdgeDaemonStatus finds.
            var generation = EdgeGeneration.V1_1;
            if (Path == null) Invoke(() => generation = Generation != null ? EdgeGenerations.FromVersion(Generation) : new DaemonStatusReader(reporter: Reporter).Installed(CancellationToken));
            bool changed = generation == EdgeGeneration.V1_1 ? SetV11(level) : SetV12(level);
            Invoke(() =>
            {
                if (changed && Restart)
                {
                    WriteVerbose(new DaemonRestart(reporter: Reporter).Restart(generation, CancellationToken).Message);
                }
                else if (changed)
                {
                    WriteWarning($"The IoT Edge daemon uses the new level once it restarts: run Restart-IoTEdgeDaemon, or this command with -Restart.");
                }

                if (PassThru)
                {
                    foreach (var status in new DaemonStatusReader(reporter: Reporter).Read(generation, CancellationToken)) WriteObject(status);
                }
            });
        }

        // 1.0/1.1: the drop-in, safely; then systemd reads it again.
        private bool SetV11(string level)
        {
            string path = ResolveSinglePath(Path ?? DaemonLogLevel.V11DropInPath);
            PlannedFileEdit? edit = null;
            Invoke(() => edit = DaemonLogLevel.PlanV11(path, level));
            if (!edit!.Changes)
            {
                WriteVerbose($"'{path}' already sets {DaemonLogLevel.V11Variable}=edgelet={level}: nothing written, nothing restarted.");
                return false;
            }

            string action = $"Set {DaemonLogLevel.V11Variable}=edgelet={level}";
            string diff = edit.Diff;
            if (!ShouldProcess($"{action} in '{path}':{Environment.NewLine}{diff}", $"{action} in '{path}'?{Environment.NewLine}{diff}", action)) return false;

            Invoke(() =>
            {
                var result = DaemonLogLevel.Write(edit, BackupCount);
                WriteVerbose(result.BackupPath == null ? $"'{path}' created." : $"'{path}' written; the previous version is in '{result.BackupPath}'.");
                foreach (var pruned in result.PrunedBackups) WriteVerbose($"Removed the old backup '{pruned}' (-BackupCount {BackupCount}).");
                if (DaemonLogLevel.OverriddenBy(path) is string later)
                {
                    WriteWarning($"'{later}' also sets {DaemonLogLevel.V11Variable} and is read after '{path}', so its value wins: remove it there.");
                }

                new DaemonLogLevel(reporter: Reporter).ReloadSystemd(CancellationToken);
            });
            return true;
        }

        // 1.2+: iotedge's own command writes the drop-ins of all five services and reloads systemd.
        private bool SetV12(string level)
        {
            if (DaemonLogLevel.V12AlreadySet(level))
            {
                WriteVerbose($"Every IoT Edge service already has AZIOT_LOG={level}: nothing changed, nothing restarted.");
                return false;
            }

            var command = DaemonLogLevel.V12Command(level);
            if (!ShouldProcess(string.Join(", ", DaemonUnits.For(EdgeGeneration.V1_2)), $"Set the log level to '{level}' ({command.Display})")) return false;
            Invoke(() => new DaemonLogLevel(reporter: Reporter).SetV12(level, CancellationToken));
            return true;
        }
    }
}
