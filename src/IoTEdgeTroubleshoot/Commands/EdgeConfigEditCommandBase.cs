using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Config.Checks;
using IoTEdgeTroubleshoot.Edge.Daemon;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// What every command that changes config.yaml shares: -Path (also from Test-IoTEdgeConfig's
    /// results), -WhatIf with the change as a diff, -Confirm, the safe write (backup, atomic replace,
    /// mode and owner kept, nothing written when nothing changes), -Restart and -PassThru.
    /// </summary>
    public abstract class EdgeConfigEditCommandBase : TroubleshootCmdlet
    {
        private readonly HashSet<string> _done = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>The config file; the platform's default when not given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Restart the security daemon after a change, as the guide does.</summary>
        [Parameter]
        public SwitchParameter Restart { get; set; }

        /// <summary>Return the checks of the file after the change.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>How many timestamped backups of the file to keep: the oldest beyond them are removed after a change.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int BackupCount { get; set; } = SafeFileWriter.DefaultBackupCount;

        /// <summary>"Set hostname to 'x'": the action, for -WhatIf and -Confirm.</summary>
        protected abstract string Action { get; }

        /// <summary>The new text of the file; throws TroubleshootException for input it cannot edit.</summary>
        protected abstract string Edit(EdgeConfigDocument document);

        protected override void ProcessRecord()
        {
            string path = ResolveSinglePath(Path ?? EdgeConfigDocument.DefaultPath);
            if (!_done.Add(path)) return; // several results of one file came down the pipeline

            EdgeConfigDocument document;
            try
            {
                document = EdgeConfigDocument.Load(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteError(ErrorRecordFor(ex is UnauthorizedAccessException
                    ? new Problem(ErrorIds.ConfigAccessDenied, ProblemKind.PermissionDenied, path,
                        $"Access to '{path}' is denied. Run elevated: 'sudo pwsh' on Linux, or PowerShell as Administrator on Windows.", ex)
                    : new Problem(ErrorIds.ConfigUnreadable, ex is FileNotFoundException || ex is DirectoryNotFoundException ? ProblemKind.ObjectNotFound : ProblemKind.ReadError, path,
                        $"Cannot read '{path}': {ex.Message}", ex)));
                return;
            }

            string newText;
            try
            {
                newText = Edit(document);
            }
            catch (TroubleshootException ex)
            {
                WriteError(ErrorRecordFor(ex));
                return;
            }

            if (newText == document.File.Text)
            {
                // Idempotent: a scheduled script that runs again changes nothing and restarts nothing.
                WriteVerbose($"'{path}' already says that: nothing to change, nothing written{(Restart ? ", and the daemon was not restarted" : string.Empty)}.");
            }
            else
            {
                string diff = ConfigEditor.Diff(path, document.File.Text, newText);
                if (ShouldProcess($"{Action} in '{path}':{Environment.NewLine}{diff}", $"{Action} in '{path}'?{Environment.NewLine}{diff}", Action))
                {
                    if (!TryWrite(document, newText, path)) return;
                    RestartOrSay(path);
                }
            }

            if (PassThru)
            {
                Invoke(() =>
                {
                    foreach (var check in ConfigChecks.Run(new ConfigCheckContext(path), CancellationToken)) WriteObject(check);
                });
            }
        }

        // A failure to write is this file's problem, not the pipeline's: an error record, and on to the next file.
        private bool TryWrite(EdgeConfigDocument document, string newText, string path)
        {
            try
            {
                var result = new SafeFileWriter(backupCount: BackupCount).Replace(document.File, newText);
                string through = result.TargetPath == path ? string.Empty : $" (through its link, to '{result.TargetPath}')";
                WriteVerbose($"'{path}' written{through}; the previous version is in '{result.BackupPath}'.");
                foreach (var pruned in result.PrunedBackups) WriteVerbose($"Removed the old backup '{pruned}' (-BackupCount {BackupCount}).");
                return true;
            }
            catch (TroubleshootException ex)
            {
                WriteError(ErrorRecordFor(ex));
            }
            catch (FileWriteException ex)
            {
                // The message already says which file, why, what to do, and whether the file changed.
                bool denied = ex.Failure == FileWriteFailure.AccessDenied || ex.Failure == FileWriteFailure.NotPermitted;
                WriteError(ErrorRecordFor(new Problem(denied ? ErrorIds.ConfigAccessDenied : ErrorIds.ConfigWriteFailed,
                    denied ? ProblemKind.PermissionDenied : ProblemKind.WriteError, path, ex.Message, ex)));
                return ex.FileChanged;
            }

            return false;
        }

        private void RestartOrSay(string path)
        {
            var daemon = new DaemonRestart();
            if (!Restart)
            {
                string how = daemon.CanRestart ? $"{daemon.ManualCommand}, or run this command with -Restart" : daemon.ManualCommand;
                WriteWarning($"The IoT Edge security daemon reads '{path}' when it starts: restart it to apply the change ({how}).");
                return;
            }

            try
            {
                var outcome = daemon.Restart();
                if (outcome.Restarted) WriteVerbose(outcome.Message);
                else WriteWarning(outcome.Message);
            }
            catch (TroubleshootException ex)
            {
                // The file is written; the restart is reported and -PassThru still runs.
                WriteError(ErrorRecordFor(ex));
            }
        }
    }
}
