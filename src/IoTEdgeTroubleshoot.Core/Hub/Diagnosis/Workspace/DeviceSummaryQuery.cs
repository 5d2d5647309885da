using System;
using System.Globalization;
using System.Text;
using IoTEdgeTroubleshoot.Hub.Cloud;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis.Workspace
{
    /// <summary>
    /// The KQL of Get-IoTHubDisconnectDiagnosis -WorkspaceId. Log Analytics does the heavy part: one row per
    /// device (or module) with what the detectors read of its events and nothing else, so that an answer
    /// carries devices, not events. The entries are what <see cref="TimelineEntry"/> holds, made by the same
    /// rules as <see cref="ObservedEvent.From"/>: the kind from the operation and whether the result type is
    /// an error, the code as a number (0 none, -1 not a number), duplicates (same time, kind, code) removed,
    /// the newest <see cref="DeviceTimeline.MaxEntries"/> kept (the cap -Path applies, so both give the same
    /// verdicts; the row's Total says how many there were). Masked addresses become an index into the
    /// device's first 15 distinct ones (-Path keeps 15 too: the detectors only count them).
    /// User values enter only as escaped literals (<see cref="Kql"/>).
    /// </summary>
    public sealed class DeviceSummaryQuery
    {
        /// <summary>An entry is [ticks after the range's start, (code + 1) * 64 + address index * 4 + kind].</summary>
        internal const int CodeFactor = 64;
        internal const int AddressFactor = 4;

        /// <summary>The hub, the time range and -DeviceId: the filters the raw-row query has.</summary>
        public ConnectionWorkspaceQuery Source { get; set; } = new ConnectionWorkspaceQuery();

        /// <summary>The cheap first query: how many rows and devices the range holds, to choose the partitions.</summary>
        public string CountKql()
        {
            var kql = new StringBuilder();
            AppendEvents(kql, partitions: 1, partition: 0);
            kql.Append("| summarize Rows = count(), Devices = dcount(Key)");
            return kql.ToString();
        }

        /// <summary>
        /// One partition's summaries: the devices whose hash(DeviceId, <paramref name="partitions"/>) is
        /// <paramref name="partition"/> (no predicate for one partition). A device's modules share its partition.
        /// </summary>
        public string SummaryKql(int partitions, int partition)
        {
            string cap = DeviceTimeline.MaxEntries.ToString(CultureInfo.InvariantCulture);
            var kql = new StringBuilder("let Events = ");
            AppendEvents(kql, partitions, partition);
            kql.Append("| project Key, TimeGenerated, Kind, Code, Ip = tostring(Properties.maskedIpAddress), Protocol = tostring(Properties.protocol), Sdk = tostring(Properties.sdkVersion)\n");
            // The hub may log a record twice: one entry per time, kind and code, as -Path keeps.
            kql.Append("| summarize Ip = take_any(Ip), Protocol = take_anyif(Protocol, isnotempty(Protocol)), Sdk = take_anyif(Sdk, isnotempty(Sdk)) by Key, TimeGenerated, Kind, Code\n");
            // Newest first, numbered per device: the cap keeps the newest.
            kql.Append("| order by Key asc, TimeGenerated desc, Kind desc, Code desc\n");
            kql.Append("| extend Rank = row_number(1, prev(Key) != Key);\n");
            kql.Append("let Addresses = Events | where isnotempty(Ip) | summarize Ips = make_set(Ip, 15) by Key;\n");
            kql.Append("Events\n");
            kql.Append("| lookup kind=leftouter Addresses on Key\n");
            kql.Append("| extend IpIndex = iff(isempty(Ip), 0, array_index_of(Ips, Ip) + 1)\n");
            // timespan / 1tick is a real holding whole ticks (exact in a double for 28 years): the offset in 100 ns units.
            kql.Append("| extend Entry = pack_array(tolong((TimeGenerated - ").Append(Kql.DateTime(Source.StartTime)).Append(") / 1tick), (Code + 1) * ")
                .Append(CodeFactor).Append(" + IpIndex * ").Append(AddressFactor).Append(" + Kind)")
                .Append(", ProtocolAt = iff(isempty(Protocol), datetime(1601-01-01), TimeGenerated), SdkAt = iff(isempty(Sdk), datetime(1601-01-01), TimeGenerated)\n");
            kql.Append("| summarize Total = count(), Connects = countif(Kind == 0), Entries = make_list_if(Entry, Rank <= ").Append(cap).Append(", ").Append(cap)
                .Append("), arg_max(ProtocolAt, Protocol), arg_max(SdkAt, Sdk) by Key\n");
            kql.Append("| project Key, Total, Connects, Protocol, Sdk, Entries");
            return kql.ToString();
        }

        // The Connections records of the hub and range, as (Key, TimeGenerated, Kind, Code, Properties).
        private void AppendEvents(StringBuilder kql, int partitions, int partition)
        {
            Source.AppendSourceFilters(kql, Source.StartTime, Source.EndTime);
            kql.Append("| where OperationName in~ (\"deviceConnect\", \"deviceDisconnect\")\n");
            kql.Append("| extend Properties = parse_json(properties_s)\n");
            kql.Append("| extend DeviceId = tostring(Properties.deviceId), ModuleId = tostring(Properties.moduleId)\n");
            kql.Append("| where isnotempty(DeviceId)\n");
            Source.AppendDeviceFilter(kql);
            if (partitions > 1)
            {
                kql.Append("| where hash(DeviceId, ").Append(partitions.ToString(CultureInfo.InvariantCulture)).Append(") == ")
                    .Append(partition.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            kql.Append("| extend Key = iff(isempty(ModuleId), DeviceId, strcat(DeviceId, \"/\", ModuleId)), IsError = isnotempty(ResultType) and ResultType != \"0\" and ResultType != \"200\"\n");
            kql.Append("| extend Kind = iff(OperationName =~ \"deviceConnect\", iff(IsError, 3, 0), iff(IsError, 2, 1)), ")
                .Append("Code = iff(isempty(ResultType), 0, iff(ResultType matches regex \"^[0-9]+$\", coalesce(toint(ResultType), -1), -1))\n");
        }
    }
}
