using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues.Issues
{
    /// <summary>The guide's "can't get the IoT Edge daemon logs on Windows": EventLogException from Get-WinEvent.</summary>
    public sealed class EventLogProviderMissing : SignatureIssue
    {
        private static readonly Regex Pattern = new Regex(
            @"EventLogException|There is not an event provider[^\n]{0,80}iotedged|NoMatchingProvidersFound[^\n]{0,120}iotedged|DaemonEventLogUnavailable",
            SignatureOptions);

        private static readonly string[] Words = { "eventlogexception", "event provider", "nomatchingprovidersfound", "daemoneventlogunavailable" };

        public override string Id => "eventlog-provider-missing";

        public override string Title => "The daemon's Windows event log cannot be read (EventLogException)";

        public override string RootCause => "Get-WinEvent finds the events of a ProviderName through a registry entry; the iotedged entry is missing or wrong.";

        public override string Resolution => "Create the registry entry HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\iotedged with CustomSource=1, EventMessageFile=C:\\ProgramData\\iotedge\\iotedged.exe and TypesSupported=7 (the guide imports it from an iotedge.reg file), then read the logs again.";

        public override string? RemedyCommand => "Repair-IoTEdgeEventLog";

        public override IReadOnlyList<string> Needles => Words;

        protected override Regex Signature => Pattern;
    }
}
