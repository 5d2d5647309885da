using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Linq;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.EventLog
{
    /// <summary>
    /// Repair-IoTEdgeEventLog's work: decide what the iotedged event source key lacks, write only that (nothing
    /// when it is right), or write the whole key to a .reg file. Errors carry the module's ErrorIds.
    /// </summary>
    public sealed class EventLogRepair
    {
        private readonly IMachineRegistry _registry;

        public EventLogRepair(IMachineRegistry registry) => _registry = registry;

        /// <summary>The values the key lacks or has wrong; empty when it is right.</summary>
        public IReadOnlyList<RegistryValue> Plan(string messageFile)
        {
            try
            {
                return EventLogRegistration.ToWrite(_registry, EventLogRegistration.Desired(messageFile));
            }
            catch (Exception ex) when (ex is Win32Exception || ex is UnauthorizedAccessException)
            {
                throw Failed(ex, "read");
            }
        }

        public void Apply(IReadOnlyList<RegistryValue> values)
        {
            if (values.Count == 0) return;
            try
            {
                _registry.Write(EventLogRegistration.SubKey, values);
            }
            catch (Exception ex) when (ex is Win32Exception || ex is UnauthorizedAccessException)
            {
                throw Failed(ex, "write");
            }
        }

        /// <summary>
        /// Writes the key as a .reg file: created when missing (with its folder); an earlier export is replaced
        /// through the safe edit (backup, atomic); the same bytes already there write nothing.
        /// </summary>
        public static FileEditResult Export(string path, string messageFile, SafeFileWriter? writer = null)
        {
            byte[] bytes = EventLogRegistration.RegFileBytes(EventLogRegistration.Desired(messageFile));
            if (!File.Exists(path)) return NewFileWriter.Create(path, bytes);
            var current = TextFileSnapshot.Read(path);
            if (current.Bytes.AsSpan().SequenceEqual(bytes)) return new FileEditResult(path, changed: false, backupPath: null);
            if (!(current.HasBom && current.Encoding is System.Text.UnicodeEncoding))
            {
                throw new TroubleshootException(ErrorIds.EventLogRegistryFailed, ProblemKind.InvalidData, path,
                    $"'{path}' exists and is not a UTF-16 .reg file (as Registry Editor writes them), so it was not replaced. Remove it, or give another -ExportPath.");
            }

            return (writer ?? new SafeFileWriter()).Replace(current, EventLogRegistration.RegFileText(EventLogRegistration.Desired(messageFile)));
        }

        private static TroubleshootException Failed(Exception ex, string verb) => ex is UnauthorizedAccessException
            ? new TroubleshootException(ErrorIds.EventLogElevationRequired, ProblemKind.PermissionDenied, EventLogRegistration.KeyPath,
                $"Cannot {verb} {EventLogRegistration.KeyPath}: access is denied. Run PowerShell as Administrator (elevated), or write a .reg file with -ExportPath and import it elevated ('reg import iotedge.reg').", ex)
            : new TroubleshootException(ErrorIds.EventLogRegistryFailed, ProblemKind.WriteError, EventLogRegistration.KeyPath,
                $"Cannot {verb} {EventLogRegistration.KeyPath}: {ex.Message}", ex);
    }
}
