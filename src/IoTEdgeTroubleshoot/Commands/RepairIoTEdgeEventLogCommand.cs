using System.Management.Automation;
using System.Runtime.InteropServices;
using IoTEdgeTroubleshoot.Edge.EventLog;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The guide's fix for EventLogException from Get-WinEvent -ProviderName iotedged: the iotedged event source key
    /// in the registry (Windows, elevated), or the same as a .reg file (-ExportPath, on any system). Only what is
    /// missing or wrong is written; a second run writes nothing.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Repair, "IoTEdgeEventLog", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(RegistryValue))]
    public sealed class RepairIoTEdgeEventLogCommand : TroubleshootCmdlet
    {
        /// <summary>The daemon's executable that holds its messages; without it, the installed one (1.1, then the guide's path).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EventMessageFile { get; set; }

        /// <summary>Write the key to this .reg file (UTF-16, Registry Editor 5.00) instead of the registry.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ExportPath { get; set; }

        /// <summary>Return the key's values.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        protected override void EndProcessing()
        {
            string messageFile = EventMessageFile ?? Detected();
            try
            {
                EventLogRegistration.CheckMessageFile(messageFile);
            }
            catch (TroubleshootException ex)
            {
                ThrowTerminatingError(ErrorRecordFor(ex));
            }

            if (ExportPath != null) Export(ResolveSinglePath(ExportPath), messageFile);
            else Repair(messageFile);
            if (PassThru) WriteObject(EventLogRegistration.Desired(messageFile), enumerateCollection: true);
            base.EndProcessing();
        }

        private string Detected()
        {
            string? found = IsWindows ? EventLogRegistration.DetectMessageFile() : null;
            if (found != null)
            {
                WriteVerbose($"The installed daemon's message file: '{found}'.");
                return found;
            }

            WriteWarning(IsWindows
                ? $"No installed iotedged.exe was found (under Program Files\\iotedge, or {EventLogRegistration.GuideMessageFile}): the key names the guide's path. Give -EventMessageFile if the daemon is elsewhere."
                : $"The key names the guide's path, {EventLogRegistration.GuideMessageFile}; give -EventMessageFile for an IoT Edge 1.1 device (C:\\Program Files\\iotedge\\iotedged.exe).");
            return EventLogRegistration.GuideMessageFile;
        }

        private void Export(string path, string messageFile)
        {
            if (System.IO.Directory.Exists(path))
            {
                WriteError(ErrorRecordFor(FileReadFailures.FolderProblem(path)));
                return;
            }

            string action = $"Write the iotedged event source key ({EventLogRegistration.KeyPath}, EventMessageFile '{messageFile}') as a .reg file";
            string before = System.IO.File.Exists(path) ? TextFileSnapshot.Read(path).Text : string.Empty;
            string after = EventLogRegistration.RegFileText(EventLogRegistration.Desired(messageFile));
            string diff = before == after ? string.Empty : System.Environment.NewLine + Edge.Config.ConfigEditor.Diff(path, before, after);
            if (!ShouldProcess($"{action} ('{path}'):{diff}", $"{action} ('{path}')?{diff}", action)) return;
            try
            {
                var result = EventLogRepair.Export(path, messageFile);
                WriteVerbose(result.Changed ? $"'{path}' written{(result.BackupPath == null ? string.Empty : $"; the previous version is in '{result.BackupPath}'")}." : $"'{path}' already holds that key: nothing written.");
                WriteVerbose($"Import it on the device in an elevated prompt: reg import \"{path}\" (or double-click it).");
            }
            catch (TroubleshootException ex)
            {
                WriteError(ErrorRecordFor(ex));
            }
            catch (FileWriteException ex)
            {
                WriteError(ErrorRecordFor(WriteFailures.ProblemFor(ex, path)));
            }
        }

        private void Repair(string messageFile)
        {
            if (!IsWindows)
            {
                ThrowTerminatingError(ErrorRecordFor(new Problem(ErrorIds.EventLogNeedsWindows, ProblemKind.InvalidOperation, EventLogRegistration.KeyPath,
                    "There is no Windows registry here. Write the key to a file with -ExportPath iotedge.reg, copy it to the device, and import it there in an elevated prompt (reg import iotedge.reg).")));
            }

            var repair = new EventLogRepair(new WindowsMachineRegistry());
            Invoke(() =>
            {
                var missing = repair.Plan(messageFile);
                if (missing.Count == 0)
                {
                    WriteVerbose($"{EventLogRegistration.KeyPath} already holds CustomSource, EventMessageFile and TypesSupported as the guide says: nothing written.");
                    return;
                }

                if (!ShouldProcess(EventLogRegistration.KeyPath, $"Set {string.Join(", ", missing)}")) return;
                repair.Apply(missing);
                WriteVerbose($"{EventLogRegistration.KeyPath}: set {string.Join(", ", missing)}. Get-WinEvent -ProviderName iotedged reads the daemon's events now.");
            });
        }
    }
}
