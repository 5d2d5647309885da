using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Daemon
{
    /// <summary>
    /// The guide's "more detailed logs of the security manager". 1.0/1.1: Environment=IOTEDGE_LOG=edgelet=level in
    /// a drop-in of iotedge.service (the override.conf that 'systemctl edit iotedge.service' writes, so a level set
    /// by hand before is changed rather than contradicted), then 'systemctl daemon-reload'. 1.2+: 'iotedge system
    /// set-log-level', which writes log-level.conf with AZIOT_LOG for every aziot service. Both take effect at the
    /// next restart of the daemon.
    /// </summary>
    public sealed class DaemonLogLevel
    {
        /// <summary>The levels both daemons accept, quietest first: the one list the cmdlet validates and completes from.</summary>
        public static readonly IReadOnlyList<string> Levels = new[] { "error", "warn", "info", "debug", "trace" };

        public const string V11Variable = "IOTEDGE_LOG";

        /// <summary>Where 'systemctl edit iotedge.service' keeps its override.</summary>
        public const string V11DropInPath = "/etc/systemd/system/iotedge.service.d/override.conf";

        private readonly NativeTool _tool;

        public DaemonLogLevel(IProcessRunner? runner = null, IReporter? reporter = null) => _tool = new NativeTool(runner, reporter);

        /// <summary>The level in the form the daemons read it, or an InvalidLogLevel error naming the ones they accept.</summary>
        public static string Normalize(string level)
        {
            string? known = Levels.FirstOrDefault(l => string.Equals(l, level?.Trim(), StringComparison.OrdinalIgnoreCase));
            return known ?? throw new TroubleshootException(ErrorIds.InvalidLogLevel, ProblemKind.InvalidArgument, level,
                $"'{level}' is not a log level the IoT Edge daemon accepts. Use one of: {string.Join(", ", Levels)}.");
        }

        /// <summary>
        /// IOTEDGE_LOG's new value: the edgelet directive set to the level, and directives for other crates kept
        /// ("edgelet=info,hyper=warn" → "edgelet=debug,hyper=warn"); a bare global level is replaced.
        /// </summary>
        public static string V11Value(string? current, string level)
        {
            var kept = (current ?? string.Empty).Split(',').Select(d => d.Trim())
                .Where(d => d.Length > 0 && d.Contains("=") && !d.StartsWith("edgelet=", StringComparison.Ordinal));
            return string.Join(",", new[] { "edgelet=" + level }.Concat(kept));
        }

        /// <summary>The drop-in change for <paramref name="level"/>; throws for a file it cannot edit (nothing is written).</summary>
        public static PlannedFileEdit PlanV11(string path, string level)
        {
            level = Normalize(level);
            if (Directory.Exists(path))
            {
                throw new TroubleshootException(ErrorIds.DropInWriteFailed, ProblemKind.InvalidArgument, path,
                    $"'{path}' is a folder, not a drop-in file: name the .conf file in it (such as '{Path.Combine(path, "override.conf")}'). Nothing was written.");
            }

            TextFileSnapshot? original = null;
            try
            {
                if (File.Exists(path)) original = TextFileSnapshot.Read(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Unreadable(path, ex);
            }

            if (original != null && !original.IsValidText)
            {
                throw new TroubleshootException(ErrorIds.FileNotText, ProblemKind.InvalidData, path, $"'{path}' is not valid UTF-8 text; it was not changed. Fix its encoding first.");
            }

            string text = original?.Text ?? string.Empty;
            string newText = SystemdDropIn.SetEnvironment(path, text, original?.NewLine ?? "\n", V11Variable, current => V11Value(current, level));
            return new PlannedFileEdit(path, original, newText);
        }

        /// <summary>Writes the planned change safely: a timestamped backup and an atomic replace; a new file appears whole or not at all.</summary>
        public static FileEditResult Write(PlannedFileEdit edit, int backupCount = SafeFileWriter.DefaultBackupCount)
        {
            try
            {
                if (edit.File != null) return new SafeFileWriter(backupCount: backupCount).Replace(edit.File, edit.NewText);
                return NewFileWriter.Create(edit.Path, new System.Text.UTF8Encoding(false).GetBytes(edit.NewText));
            }
            catch (FileWriteException ex)
            {
                bool denied = ex.Failure == FileWriteFailure.AccessDenied || ex.Failure == FileWriteFailure.NotPermitted;
                throw new TroubleshootException(denied ? ErrorIds.DropInAccessDenied : ErrorIds.DropInWriteFailed, denied ? ProblemKind.PermissionDenied : ProblemKind.WriteError, edit.Path, ex.Message, ex);
            }
        }

        /// <summary>A drop-in later in the folder's order that sets the variable too, and so wins over this one; or null.</summary>
        public static string? OverriddenBy(string path, string variable = V11Variable)
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            try
            {
                return Directory.EnumerateFiles(folder, "*.conf")
                    .Where(f => string.CompareOrdinal(Path.GetFileName(f), Path.GetFileName(path)) > 0)
                    .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
                    .LastOrDefault(f => SystemdDropIn.GetEnvironment(File.ReadAllText(f), variable) != null);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null; // a hint only: the edit itself is done
            }
        }

        /// <summary>'systemctl daemon-reload', so that systemd reads the changed drop-in.</summary>
        public void ReloadSystemd(CancellationToken cancellationToken) =>
            _tool.Run(new NativeCommand("systemctl", new[] { "daemon-reload" }) { WhatToTry = "Run 'sudo systemctl daemon-reload' by hand." }, cancellationToken);

        /// <summary>The 1.2+ command: 'iotedge system set-log-level level'.</summary>
        public static NativeCommand V12Command(string level) =>
            new NativeCommand("iotedge", new[] { "system", "set-log-level", Normalize(level) }) { WhatToTry = "Run 'sudo iotedge system set-log-level " + Normalize(level) + "' by hand to see why." };

        public void SetV12(string level, CancellationToken cancellationToken) => _tool.Run(V12Command(level), cancellationToken);

        /// <summary>Where 'iotedge system set-log-level' writes a service's level ("[Service]", "Environment=AZIOT_LOG=DEBUG").</summary>
        public static string V12DropInPath(string service, string systemdFolder = "/etc/systemd/system") =>
            Path.Combine(systemdFolder, service + ".service.d", "log-level.conf");

        /// <summary>
        /// Whether every 1.2+ service already has the level (so a scheduled run with -Restart restarts nothing);
        /// a file that is missing or cannot be read means no.
        /// </summary>
        public static bool V12AlreadySet(string level, string systemdFolder = "/etc/systemd/system")
        {
            level = Normalize(level);
            foreach (var service in DaemonUnits.For(EdgeGeneration.V1_2))
            {
                try
                {
                    string path = V12DropInPath(service, systemdFolder);
                    if (!File.Exists(path)) return false;
                    if (!string.Equals(SystemdDropIn.GetEnvironment(File.ReadAllText(path), "AZIOT_LOG")?.Trim(), level, StringComparison.OrdinalIgnoreCase)) return false;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    return false;
                }
            }

            return true;
        }

        private static TroubleshootException Unreadable(string path, Exception ex) => ex is UnauthorizedAccessException
            ? new TroubleshootException(ErrorIds.DropInAccessDenied, ProblemKind.PermissionDenied, path, $"Access to '{path}' is denied. Run elevated ('sudo pwsh').", ex)
            : new TroubleshootException(ErrorIds.DropInWriteFailed, ProblemKind.ReadError, path, $"Cannot read '{path}': {ex.Message}", ex);
    }
}
