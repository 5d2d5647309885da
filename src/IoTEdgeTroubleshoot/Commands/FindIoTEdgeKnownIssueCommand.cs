using System;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge.KnownIssues;
using IoTEdgeTroubleshoot.Edge.Logs;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The guide's symptoms, recognised in the logs: daemon and module log entries from the pipeline (or lines of
    /// text, or saved logs with -Path) in, one IoTEdgeKnownIssue per issue found out, with its evidence and fix.
    /// </summary>
    [Cmdlet(VerbsCommon.Find, "IoTEdgeKnownIssue", DefaultParameterSetName = EntrySet)]
    [OutputType(typeof(IoTEdgeKnownIssue))]
    public sealed class FindIoTEdgeKnownIssueCommand : EdgeLogCommandBase
    {
        private const string EntrySet = "Entry";

        private readonly KnownIssueMatcher _matcher = new KnownIssueMatcher();
        private LogLineFeed? _lines;

        /// <summary>Entries from Get-IoTEdgeDaemonLog or Get-IoTEdgeModuleLog, saved ones (Import-Clixml), log lines as text, or files from Get-ChildItem.</summary>
        [Parameter(Mandatory = true, ParameterSetName = EntrySet, ValueFromPipeline = true)]
        [AllowEmptyString]
        [AllowNull]
        public object[] InputObject { get; set; } = Array.Empty<object>();

        /// <summary>Saved logs, daemon and module alike; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            if (ReadsSavedLogs)
            {
                ReadSavedLogs(Path, null, null, null, null, _matcher.Observe);
                return;
            }

            foreach (var item in InputObject ?? Array.Empty<object>()) // $null piped in binds as a null array
            {
                object? value = item is PSObject wrapped ? wrapped.BaseObject : item;
                switch (value)
                {
                    case null:
                        continue;
                    case IoTEdgeLogEntry entry:
                        _matcher.Observe(entry);
                        break;
                    case string line:
                        (_lines ??= new LogLineFeed("the lines piped in", null, _matcher.Observe, Reporter)).Add(line);
                        break;
                    case System.IO.FileSystemInfo file: // Get-ChildItem ./logs | Find-IoTEdgeKnownIssue: the files' logs, not the objects
                        ReadSavedLogs(new[] { file.FullName }, literal: true, null, null, null, null, _matcher.Observe);
                        break;
                    default:
                        if (FromProperties(PSObject.AsPSObject(item)) is IoTEdgeLogEntry adapted) _matcher.Observe(adapted);
                        else WriteVerbose($"A {value.GetType().Name} without a Message property was passed over.");
                        break;
                }
            }
        }

        protected override void EndProcessing()
        {
            _lines?.Complete();
            WriteVerbose($"{_matcher.Entries} log entries looked at.");
            WriteObject(_matcher.Complete(), enumerateCollection: true);
            base.EndProcessing();
        }

        // A saved entry (Import-Clixml, ConvertFrom-Json, Import-Csv) keeps the properties, not the type.
        private static IoTEdgeLogEntry? FromProperties(PSObject item)
        {
            if (item.Properties["Message"]?.Value is not object message) return null;
            var entry = new IoTEdgeLogEntry { Message = message.ToString(), Source = item.Properties["Source"]?.Value?.ToString() ?? string.Empty };
            object? time = item.Properties["TimeCreated"]?.Value;
            if (time is PSObject wrappedTime)
            {
                // Import-Clixml gives a DateTimeOffset back as a property bag: its UtcDateTime is a DateTime again.
                time = wrappedTime.BaseObject is PSCustomObject || wrappedTime.BaseObject is PSObject
                    ? wrappedTime.Properties["UtcDateTime"]?.Value is DateTime utc ? DateTime.SpecifyKind(utc, DateTimeKind.Utc) : null
                    : wrappedTime.BaseObject;
            }

            if (time is DateTimeOffset offset) entry.TimeCreated = offset;
            else if (time is DateTime date) entry.TimeCreated = new DateTimeOffset(date);
            else if (time is string text && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)) entry.TimeCreated = parsed;
            return entry;
        }
    }
}
