using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// Every ErrorId the module writes, in one place. They are a contract: scripts match on
    /// <c>$_.FullyQualifiedErrorId</c> and Pester on <c>-ErrorId</c>, so an id is never renamed, and
    /// each is documented in about_IoTEdgeTroubleshoot (a Pester test holds both to it).
    /// </summary>
    public static class ErrorIds
    {
        // Paths and files
        /// <summary>A -Path or -LiteralPath that does not exist.</summary>
        public const string PathNotFound = nameof(PathNotFound);

        /// <summary>A path on a provider other than the file system (HKLM:\, Env:).</summary>
        public const string NotAFileSystemPath = nameof(NotAFileSystemPath);

        /// <summary>A file that is not valid UTF-8 text where text is needed.</summary>
        public const string FileNotText = nameof(FileNotText);

        /// <summary>The file changed between reading it and writing the edit: nothing was written.</summary>
        public const string FileChangedSinceRead = nameof(FileChangedSinceRead);

        /// <summary>Another edit held the folder's lock too long: nothing was written.</summary>
        public const string FileEditInProgress = nameof(FileEditInProgress);

        // Hub connection logs
        /// <summary>A log file that went away between listing and opening it.</summary>
        public const string LogFileNotFound = nameof(LogFileNotFound);

        /// <summary>A log file that cannot be read (access denied, I/O error).</summary>
        public const string LogFileUnreadable = nameof(LogFileUnreadable);

        /// <summary>A folder under -Path that cannot be listed (access denied, I/O error); the others are searched.</summary>
        public const string LogFolderUnreadable = nameof(LogFolderUnreadable);

        /// <summary>A file in none of the exported-log forms the readers know.</summary>
        public const string UnrecognizedLogFile = nameof(UnrecognizedLogFile);

        /// <summary>One record that cannot be read, at path:line:column; the rest of the file is read.</summary>
        public const string MalformedLogRecord = nameof(MalformedLogRecord);

        /// <summary>A record (a line, a document's record, a CSV row) longer than the readers keep, at path:line:column; it is read past.</summary>
        public const string LogRecordTooLong = nameof(LogRecordTooLong);

        /// <summary>Reading a log file failed in a way the readers do not expect (a defect): the other files are read.</summary>
        public const string LogReadFailed = nameof(LogReadFailed);

        /// <summary>A -DeviceId wildcard pattern that does not parse, such as '['.</summary>
        public const string InvalidWildcardPattern = nameof(InvalidWildcardPattern);

        /// <summary>-EndTime earlier than -StartTime.</summary>
        public const string EndTimeBeforeStartTime = nameof(EndTimeBeforeStartTime);

        /// <summary>A -Metric point without a Timestamp or a Minimum.</summary>
        public const string InvalidMetricPoint = nameof(InvalidMetricPoint);

        // Edge configuration and its edits
        /// <summary>The config file cannot be read or written for lack of rights: run elevated.</summary>
        public const string ConfigAccessDenied = nameof(ConfigAccessDenied);

        /// <summary>The config file cannot be read (missing, I/O error).</summary>
        public const string ConfigUnreadable = nameof(ConfigUnreadable);

        /// <summary>Writing the edited config (temporary file, backup or rename) failed; the file was left as it was.</summary>
        public const string ConfigWriteFailed = nameof(ConfigWriteFailed);

        /// <summary>The config has a tab, at path:line:column; the edit commands refuse it.</summary>
        public const string ConfigHasTabs = nameof(ConfigHasTabs);

        /// <summary>The config does not parse, at path:line:column; the edit commands refuse it.</summary>
        public const string ConfigNotValidYaml = nameof(ConfigNotValidYaml);

        /// <summary>The config.toml does not parse, at path:line:column; the edit commands refuse it.</summary>
        public const string ConfigNotValidToml = nameof(ConfigNotValidToml);

        /// <summary>A section an edit needs (agent) is missing or not a mapping.</summary>
        public const string ConfigSectionMissing = nameof(ConfigSectionMissing);

        /// <summary>A hostname the daemon would not accept.</summary>
        public const string InvalidHostname = nameof(InvalidHostname);

        /// <summary>A log level the runtime does not know.</summary>
        public const string InvalidLogLevel = nameof(InvalidLogLevel);

        /// <summary>The edited text did not read back as intended: nothing was written.</summary>
        public const string EditVerificationFailed = nameof(EditVerificationFailed);

        // Native tools (iotedge, systemctl, journalctl, docker)
        /// <summary>A tool the command runs is not on PATH (IoT Edge or systemd not installed, or PATH lacks it).</summary>
        public const string NativeToolNotFound = nameof(NativeToolNotFound);

        /// <summary>A tool the command runs did not finish in time and was stopped.</summary>
        public const string NativeToolTimedOut = nameof(NativeToolTimedOut);

        /// <summary>A tool the command runs was refused access (journal, docker socket, root-only action).</summary>
        public const string NativeToolAccessDenied = nameof(NativeToolAccessDenied);

        /// <summary>A tool the command runs ended with a non-zero exit code; the message has what it said.</summary>
        public const string NativeToolFailed = nameof(NativeToolFailed);

        /// <summary>The daemon restart after an edit failed (the edit itself is written).</summary>
        public const string DaemonRestartFailed = nameof(DaemonRestartFailed);

        /// <summary>'iotedge config apply' failed after an edit (the edit itself is written).</summary>
        public const string ConfigApplyFailed = nameof(ConfigApplyFailed);

        /// <summary>'iotedge config apply' refused a new hostname because modules exist: revert it, or remove the modules and apply.</summary>
        public const string HostnameChangeRefused = nameof(HostnameChangeRefused);

        // Edge daemon and module logs
        /// <summary>The Windows daemon's events cannot be read (EventLogException: the iotedged event source is not registered); Repair-IoTEdgeEventLog fixes it.</summary>
        public const string DaemonEventLogUnavailable = nameof(DaemonEventLogUnavailable);

        /// <summary>Every id above, for the documentation test.</summary>
        public static IReadOnlyList<string> All { get; } = typeof(ErrorIds)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(field => (string)field.GetRawConstantValue()!)
            .ToArray();
    }
}
