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

        /// <summary>systemctl or journalctl found no systemd to talk to (a container, WSL without systemd).</summary>
        public const string SystemdNotRunning = nameof(SystemdNotRunning);

        /// <summary>The daemon restart after an edit failed (the edit itself is written).</summary>
        public const string DaemonRestartFailed = nameof(DaemonRestartFailed);

        /// <summary>'iotedge config apply' failed after an edit (the edit itself is written).</summary>
        public const string ConfigApplyFailed = nameof(ConfigApplyFailed);

        /// <summary>'iotedge config apply' refused a new hostname because modules exist: revert it, or remove the modules and apply.</summary>
        public const string HostnameChangeRefused = nameof(HostnameChangeRefused);

        // IoT Hub in the cloud (Log Analytics, Azure Monitor, Resource Manager, device registry)
        /// <summary>-LogAnalyticsEndpoint, -ResourceManagerEndpoint or -HubEndpoint is not an absolute https:// address.</summary>
        public const string InvalidAzureEndpoint = nameof(InvalidAzureEndpoint);

        /// <summary>No credential could get a token (not signed in, no managed identity): sign in or pass -AccessToken.</summary>
        public const string AzureSignInFailed = nameof(AzureSignInFailed);

        /// <summary>The service refused the identity (401/403): the message names the identity and the role it needs.</summary>
        public const string AzureAccessDenied = nameof(AzureAccessDenied);

        /// <summary>The service refused the request (400), its own error shown (a KQL error, a bad setting).</summary>
        public const string AzureRequestRejected = nameof(AzureRequestRejected);

        /// <summary>The workspace, hub or setting was not found (404).</summary>
        public const string AzureResourceNotFound = nameof(AzureResourceNotFound);

        /// <summary>429 or 5xx still after the bounded retries, a Retry-After too long, or no answer in time.</summary>
        public const string AzureServiceUnavailable = nameof(AzureServiceUnavailable);

        /// <summary>Any other failing status from an Azure service.</summary>
        public const string AzureRequestFailed = nameof(AzureRequestFailed);

        /// <summary>No answer at all: name resolution, connection or TLS failed.</summary>
        public const string AzureConnectionFailed = nameof(AzureConnectionFailed);

        /// <summary>A success answer whose body is not the JSON the API documents.</summary>
        public const string AzureResponseMalformed = nameof(AzureResponseMalformed);

        /// <summary>A time slice too small to split still holds more rows than one answer may carry.</summary>
        public const string QueryResultTooLarge = nameof(QueryResultTooLarge);

        /// <summary>-ResourceId or -WorkspaceResourceId is not an Azure resource id of the expected type.</summary>
        public const string InvalidResourceId = nameof(InvalidResourceId);

        /// <summary>The hub has no such device (IoT Hub error 404001).</summary>
        public const string DeviceNotFound = nameof(DeviceNotFound);

        /// <summary>-ConnectionString is not an IoT Hub connection string with HostName, SharedAccessKeyName and SharedAccessKey.</summary>
        public const string InvalidHubConnectionString = nameof(InvalidHubConnectionString);

        /// <summary>The diagnostic setting of that name already sends to another workspace: nothing was changed.</summary>
        public const string DiagnosticSettingConflict = nameof(DiagnosticSettingConflict);

        /// <summary>-WindowSize or -Frequency is not one a metric alert accepts.</summary>
        public const string InvalidAlertTiming = nameof(InvalidAlertTiming);

        /// <summary>-Interval is not a time grain of the connectedDeviceCount metric.</summary>
        public const string InvalidMetricInterval = nameof(InvalidMetricInterval);
        // Edge firewall and ports
        /// <summary>Test-IoTEdgeFirewall has nothing to probe: no -HubHostName, and the config names no hub, DPS endpoint or parent.</summary>
        public const string FirewallHubUnknown = nameof(FirewallHubUnknown);

        /// <summary>Test-IoTEdgeFirewall -Local cannot read the system's table of listening sockets (or this OS has none it reads).</summary>
        public const string ListenerTableUnavailable = nameof(ListenerTableUnavailable);
        // Edge daemon and module operations (status, log level, restarts)
        /// <summary>The systemd drop-in that sets the daemon's log level cannot be read or written for lack of rights: run elevated.</summary>
        public const string DropInAccessDenied = nameof(DropInAccessDenied);

        /// <summary>The systemd drop-in that sets the daemon's log level could not be read or written (I/O error, disk full); nothing was changed.</summary>
        public const string DropInWriteFailed = nameof(DropInWriteFailed);

        /// <summary>The drop-in has a form the edit does not change safely (a continued line), at path:line:column; nothing was written.</summary>
        public const string DropInNotEditable = nameof(DropInNotEditable);

        /// <summary>What Windows cannot do natively: IoT Edge 1.2+ (it runs in EFLOW's Linux VM), or the 1.0/1.1 daemon's log level (a systemd setting).</summary>
        public const string NotSupportedOnWindows = nameof(NotSupportedOnWindows);

        /// <summary>Restart-IoTEdgeModule was given the name of an IoT Edge service, not a module (iotedge, aziot-edged ...): Restart-IoTEdgeDaemon restarts those.</summary>
        public const string NotAModule = nameof(NotAModule);
        // Edge DNS, deployment manifests, module Dockerfiles and the Windows event log
        /// <summary>A daemon.json or deployment manifest that is not valid JSON (or not an object), at path:line:column; nothing written.</summary>
        public const string JsonNotValid = nameof(JsonNotValid);

        /// <summary>A module's createOptions (joined from its chunks) that is not valid JSON; the edit refuses it.</summary>
        public const string CreateOptionsNotValidJson = nameof(CreateOptionsNotValidJson);

        /// <summary>A deployment manifest without the parts an edit needs ($edgeAgent, systemModules, a module's settings).</summary>
        public const string ManifestShapeUnexpected = nameof(ManifestShapeUnexpected);

        /// <summary>A -Module name that the manifest does not deploy.</summary>
        public const string ManifestModuleNotFound = nameof(ManifestModuleNotFound);

        /// <summary>A -Server value that is not an IPv4 or IPv6 address.</summary>
        public const string InvalidDnsServer = nameof(InvalidDnsServer);

        /// <summary>Restarting the container engine after an edit failed (the edit itself is written).</summary>
        public const string EngineRestartFailed = nameof(EngineRestartFailed);

        /// <summary>A Dockerfile that cannot be read.</summary>
        public const string DockerfileUnreadable = nameof(DockerfileUnreadable);

        /// <summary>Writing the event log key needs an elevated session.</summary>
        public const string EventLogElevationRequired = nameof(EventLogElevationRequired);

        /// <summary>Reading or writing the event log key failed for another reason than rights.</summary>
        public const string EventLogRegistryFailed = nameof(EventLogRegistryFailed);

        /// <summary>Repair-IoTEdgeEventLog without -ExportPath off Windows: there is no registry to repair.</summary>
        public const string EventLogNeedsWindows = nameof(EventLogNeedsWindows);
        // Edge daemon and module logs
        /// <summary>The Windows daemon's events cannot be read (EventLogException: the iotedged event source is not registered); Repair-IoTEdgeEventLog fixes it.</summary>
        public const string DaemonEventLogUnavailable = nameof(DaemonEventLogUnavailable);

        // Edge DNS, deployment manifests, Dockerfiles and the event log: what the issue 12 audit added
        /// <summary>A -EventMessageFile that cannot be a Windows file path (a line break, a quote, a control character): nothing written.</summary>
        public const string InvalidEventMessageFile = nameof(InvalidEventMessageFile);

        /// <summary>A file to read, create or edit that is a folder (daemon.json, a manifest, a .reg file): nothing written.</summary>
        public const string PathIsFolder = nameof(PathIsFolder);

        // IoT Hub in the cloud: values refused before any request (issue 13 audit)
        /// <summary>-AccessToken is empty or blank.</summary>
        public const string InvalidAccessToken = nameof(InvalidAccessToken);

        /// <summary>A -DeviceId or -Name that is a dot segment ("." or ".."): in a URL it would name another resource.</summary>
        public const string InvalidAzureName = nameof(InvalidAzureName);

        // Remote edge devices through IoT Hub: edgeAgent direct methods (issue 14)
        /// <summary>The device is not connected to IoT Hub (404103 DeviceNotOnline): the direct method could not reach it.</summary>
        public const string EdgeDeviceNotOnline = nameof(EdgeDeviceNotOnline);

        /// <summary>The device did not answer the direct method within its timeout (504101 GatewayTimeout).</summary>
        public const string EdgeMethodTimedOut = nameof(EdgeMethodTimedOut);

        /// <summary>edgeAgent answered the direct method with a status other than 200 (an unknown module, a refused payload).</summary>
        public const string EdgeAgentMethodFailed = nameof(EdgeAgentMethodFailed);

        /// <summary>A -SasUrl that is not an https URL with a SAS query (sig=): nothing sent.</summary>
        public const string InvalidSasUrl = nameof(InvalidSasUrl);

        /// <summary>The support bundle upload ended Failed or Cancelled on the device (GetTaskStatus).</summary>
        public const string SupportBundleUploadFailed = nameof(SupportBundleUploadFailed);

        /// <summary>The support bundle upload did not end within the polling time; it may still finish on the device.</summary>
        public const string SupportBundleUploadTimedOut = nameof(SupportBundleUploadTimedOut);

        // Edge support bundle (Export-IoTEdgeSupportBundle)
        /// <summary>A file is already where the support bundle would go, and -Force was not given: nothing written.</summary>
        public const string SupportBundleExists = nameof(SupportBundleExists);

        /// <summary>The support bundle could not be written (no space, no right to the folder): no partial zip is left.</summary>
        public const string SupportBundleWriteFailed = nameof(SupportBundleWriteFailed);

        /// <summary>Every id above, for the documentation test.</summary>
        public static IReadOnlyList<string> All { get; } = typeof(ErrorIds)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(field => (string)field.GetRawConstantValue()!)
            .ToArray();
    }
}
