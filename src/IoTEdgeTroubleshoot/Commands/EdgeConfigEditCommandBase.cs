using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Daemon;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// What every command that changes an IoT Edge config file shares, for config.yaml (1.0/1.1) and
    /// config.toml (1.2+) alike: -Path (also from Test-IoTEdgeConfig's results) and -Generation, -WhatIf
    /// with the change as a diff, -Confirm, the safe write (backup, atomic replace, mode and owner kept,
    /// nothing written when nothing changes), -Apply (restart the 1.1 daemon, or 'iotedge config apply')
    /// and -PassThru.
    /// </summary>
    public abstract class EdgeConfigEditCommandBase : TroubleshootCmdlet
    {
        private readonly HashSet<string> _done = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>The config file; without it, the installed runtime's (config.toml, else config.yaml).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>The IoT Edge version the file is for, when its name and content do not say (1.0/1.1 read YAML, 1.2 and later TOML).</summary>
        [Parameter]
        [ValidateSet("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6")]
        public string? Generation { get; set; }

        /// <summary>Make the change take effect: restart the 1.1 daemon, or run 'iotedge config apply' (1.2+).</summary>
        [Parameter]
        [Alias("Restart")]
        public SwitchParameter Apply { get; set; }

        /// <summary>Return the checks of the file after the change.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>How many timestamped backups of the file to keep: the oldest beyond them are removed after a change.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int BackupCount { get; set; } = SafeFileWriter.DefaultBackupCount;

        /// <summary>"Set hostname to 'x'": the action, for -WhatIf and -Confirm.</summary>
        protected abstract string Action { get; }

        /// <summary>The generation asked for with -Generation, or null.</summary>
        protected EdgeGeneration? RequestedGeneration => Generation == null ? (EdgeGeneration?)null : EdgeGenerations.FromVersion(Generation);

        /// <summary>The new text of the file; throws TroubleshootException for input it cannot edit.</summary>
        protected abstract string Edit(EdgeConfigDocument document);

        /// <summary>Said after the file is written and before it is applied (a subclass's warnings about its change).</summary>
        protected virtual void Written(EdgeConfigDocument document)
        {
        }

        protected override void ProcessRecord()
        {
            string path = ResolveSinglePath(Path ?? EdgeInstallation.DefaultPath(RequestedGeneration));
            if (!_done.Add(path)) return; // several results of one file came down the pipeline

            EdgeConfigDocument document;
            try
            {
                document = EdgeConfigDocument.Load(path, RequestedGeneration);
            }
            catch (Exception ex) when (FileReadFailures.IsReadFailure(ex))
            {
                WriteError(ErrorRecordFor(FileReadFailures.ProblemFor(path, ex)));
                return;
            }

            WriteVerbose($"'{path}' is read as an IoT Edge {document.Generation.Name()} {document.FormatName} file.");
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
                // Idempotent: a scheduled script that runs again changes nothing and applies nothing.
                WriteVerbose($"'{path}' already says that: nothing to change, nothing written{(Apply ? ", and nothing applied" : string.Empty)}.");
            }
            else
            {
                string diff = ConfigEditor.Diff(path, document.File.Text, newText);
                if (ShouldProcess($"{Action} in '{path}':{Environment.NewLine}{diff}", $"{Action} in '{path}'?{Environment.NewLine}{diff}", Action))
                {
                    if (!TryWrite(document, newText, path)) return;
                    Written(document);
                    ApplyOrSay(document.Generation, path);
                }
            }

            if (PassThru)
            {
                Invoke(() =>
                {
                    foreach (var check in ConfigChecks.Run(new Edge.Config.Checks.ConfigCheckContext(path, document.Generation), CancellationToken)) WriteObject(check);
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
                WriteError(ErrorRecordFor(WriteFailures.ProblemFor(ex, path)));
                return ex.FileChanged;
            }

            return false;
        }

        private void ApplyOrSay(EdgeGeneration generation, string path)
        {
            var apply = new ConfigApply(restart: new DaemonRestart(reporter: Reporter));
            if (!Apply)
            {
                string how = apply.CanApply(generation) ? $"{apply.ManualCommand(generation, path)}, or run this command with -Apply" : apply.ManualCommand(generation, path);
                WriteWarning(generation == EdgeGeneration.V1_1
                    ? $"The IoT Edge security daemon reads '{path}' when it starts: restart it to apply the change ({how})."
                    : $"IoT Edge 1.2+ uses '{path}' only once it is applied: {how}.");
                return;
            }

            try
            {
                var outcome = apply.Apply(generation, path, CancellationToken);
                if (outcome.Restarted) WriteVerbose(outcome.Message);
                else WriteWarning(outcome.Message);
            }
            catch (TroubleshootException ex)
            {
                // The file is written; the failure to apply is reported and -PassThru still runs.
                WriteError(ErrorRecordFor(ex));
            }
        }
    }
}
