using System;
using System.IO;
using System.Management.Automation;
using System.Text;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Dns;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>What came of one file's change.</summary>
    public enum FileChangeOutcome
    {
        /// <summary>The file already said it: nothing written.</summary>
        Unchanged,

        Written,

        /// <summary>-WhatIf, or -Confirm answered no.</summary>
        Declined,

        /// <summary>An error record says why.</summary>
        Failed,
    }

    /// <summary>
    /// What the commands that edit a JSON file (daemon.json, a deployment manifest) share: -BackupCount, the change
    /// shown as a diff for -WhatIf and -Confirm (passwords masked), the safe write (backup, atomic replace, mode kept,
    /// nothing written when nothing changes) or the creation of a missing file, and write failures as error records.
    /// </summary>
    public abstract class JsonFileEditCommandBase : TroubleshootCmdlet
    {
        /// <summary>How many timestamped backups of the file to keep: the oldest beyond them are removed after a change.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int BackupCount { get; set; } = SafeFileWriter.DefaultBackupCount;

        /// <summary>The file as text, or null after an error record (missing, unreadable).</summary>
        protected TextFileSnapshot? ReadFile(string path)
        {
            try
            {
                return TextFileSnapshot.Read(path);
            }
            catch (Exception ex) when (FileReadFailures.IsReadFailure(ex))
            {
                WriteReadError(path, ex);
                return null;
            }
        }

        /// <summary>Why a file could not be read, as an error record: access denied, missing, or another input/output error.</summary>
        protected void WriteReadError(string path, Exception ex)
        {
            WriteError(ErrorRecordFor(FileReadFailures.ProblemFor(path, ex, ErrorIds.PathNotFound)));
        }

        /// <summary>Reads a file, makes <paramref name="edit"/>'s text of it (a refusal is an error record), then shows, asks and writes it.</summary>
        protected FileChangeOutcome EditFile(string path, Func<TextFileSnapshot, string> edit, string action)
        {
            var file = ReadFile(path);
            if (file == null) return FileChangeOutcome.Failed;
            string text;
            try
            {
                text = edit(file);
            }
            catch (TroubleshootException ex)
            {
                WriteError(ErrorRecordFor(ex));
                return FileChangeOutcome.Failed;
            }

            return WriteChange(path, file, text, action);
        }

        /// <summary>Shows the change, asks, and writes it: <paramref name="file"/> null creates the file (and its folder).</summary>
        protected FileChangeOutcome WriteChange(string path, TextFileSnapshot? file, string newText, string action)
        {
            if (file != null && newText == file.Text)
            {
                WriteVerbose($"'{path}' already says that: nothing to change, nothing written.");
                return FileChangeOutcome.Unchanged;
            }

            if (file == null && Directory.Exists(path))
            {
                WriteError(ErrorRecordFor(FileReadFailures.FolderProblem(path)));
                return FileChangeOutcome.Failed;
            }

            string diff = ConfigEditor.Diff(path, file?.Text ?? string.Empty, newText);
            string verb = file == null ? "create" : "in";
            if (!ShouldProcess($"{action} ({verb} '{path}'):{Environment.NewLine}{diff}", $"{action} ({verb} '{path}')?{Environment.NewLine}{diff}", action)) return FileChangeOutcome.Declined;

            try
            {
                var result = file == null
                    ? NewFileWriter.Create(path, new UTF8Encoding(false).GetBytes(newText))
                    : new SafeFileWriter(backupCount: BackupCount).Replace(file, newText);
                WriteVerbose(result.BackupPath == null ? $"'{path}' created." : $"'{path}' written; the previous version is in '{result.BackupPath}'.");
                foreach (var pruned in result.PrunedBackups) WriteVerbose($"Removed the old backup '{pruned}' (-BackupCount {BackupCount}).");
                return FileChangeOutcome.Written;
            }
            catch (TroubleshootException ex)
            {
                WriteError(ErrorRecordFor(ex));
            }
            catch (FileWriteException ex)
            {
                WriteError(ErrorRecordFor(WriteFailures.ProblemFor(ex, path)));
                if (ex.FileChanged) return FileChangeOutcome.Written;
            }

            return FileChangeOutcome.Failed;
        }

        /// <summary>
        /// After a change of the container engine's daemon.json: restart the engine when <paramref name="restartEngine"/>
        /// (-WhatIf names that restart too), else warn that it must be, and what the restart does (<paramref name="consequence"/>).
        /// </summary>
        protected void ApplyEngineConfig(string path, FileChangeOutcome outcome, bool restartEngine, string consequence)
        {
            var engine = new EngineRestart(reporter: Reporter);
            if (outcome == FileChangeOutcome.Written)
            {
                if (restartEngine) RestartEngine(engine);
                else WriteWarning($"The container engine reads '{path}' when it starts: restart it to apply the change ({engine.ManualCommand}, or run this command with -RestartEngine); {consequence}.");
            }
            else if (outcome == FileChangeOutcome.Declined && restartEngine && MyInvocation.BoundParameters.ContainsKey("WhatIf"))
            {
                ShouldProcess(engine.What, "Restart"); // -WhatIf says what the restart would stop too
            }
            else if (outcome == FileChangeOutcome.Unchanged && restartEngine)
            {
                WriteVerbose("Nothing changed, so the container engine is not restarted.");
            }
        }

        private void RestartEngine(EngineRestart engine)
        {
            if (!ShouldProcess(engine.What, "Restart")) return;
            try
            {
                var restarted = engine.Restart(CancellationToken);
                if (restarted.Restarted) WriteVerbose(restarted.Message);
                else WriteWarning(restarted.Message);
            }
            catch (TroubleshootException ex)
            {
                WriteError(ErrorRecordFor(ex)); // the file is written; the restart failure is its own error
            }
        }

        /// <summary>Says how a manifest's change reaches the devices.</summary>
        protected void SayDeploy(string path) => WriteWarning(
            $"Devices get the change when the manifest is deployed: az iot edge set-modules --hub-name <hub> --device-id <device> --content '{path}' (or a layered deployment, VS Code, or the portal's Set modules).");
    }
}
