using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Cloud
{
    /// <summary>
    /// The guide's Log Analytics query for Connections records (AzureDiagnostics, MICROSOFT.DEVICES,
    /// IOTHUBS, Connections, and Level == "Error" for the errors), with the time range and the same
    /// filters as the exported-log readers. User values enter only as escaped literals (<see cref="Kql"/>).
    /// The range is read in pages small enough that no answer is cut at the service's limits.
    /// </summary>
    public sealed class ConnectionWorkspaceQuery
    {
        /// <summary>Rows one page may hold: well under the API's 500,000 rows and, at about 600 bytes a row, its 100 MB.</summary>
        internal int PageRowLimit { get; set; } = 100_000;

        /// <summary>The first pages span at most this; a page over the limit is halved.</summary>
        internal TimeSpan PageSpan { get; set; } = TimeSpan.FromDays(1);

        /// <summary>Sparse pages grow up to this.</summary>
        internal TimeSpan LongestPage { get; set; } = TimeSpan.FromDays(366);

        /// <summary>A page this short that is still over the limit is not split further.</summary>
        internal TimeSpan ShortestPage { get; set; } = TimeSpan.FromMinutes(1);

        public Guid WorkspaceId { get; set; }

        /// <summary>The hub's ARM id (compared with _ResourceId, case-insensitive).</summary>
        public string? ResourceId { get; set; }

        /// <summary>The hub's name (compared with Resource, case-insensitive).</summary>
        public string? HubName { get; set; }

        public DateTimeOffset StartTime { get; set; }

        public DateTimeOffset EndTime { get; set; }

        public bool ErrorsOnly { get; set; }

        /// <summary>PowerShell wildcard patterns, as -DeviceId takes them.</summary>
        public IList<string> DeviceIds { get; set; } = new List<string>();

        public IList<string> ResultTypes { get; set; } = new List<string>();

        /// <summary>The whole query, for the portal (-ShowQuery).</summary>
        public string ToKql() => Build(StartTime, EndTime, take: null);

        internal string Build(DateTimeOffset start, DateTimeOffset end, int? take)
        {
            var kql = new StringBuilder();
            AppendSourceFilters(kql, start, end);
            if (ResultTypes.Count > 0) kql.Append("| where ResultType in (").Append(string.Join(", ", ResultTypes.Select(r => Kql.String(r.Trim())))).Append(")\n");
            if (DeviceIds.Count > 0)
            {
                kql.Append("| extend DeviceId = tostring(parse_json(properties_s).deviceId)\n");
                AppendDeviceFilter(kql);
            }

            kql.Append("| project TimeGenerated, _ResourceId, Resource, OperationName, Category, Level, ResultType, ResultDescription, properties_s\n");
            kql.Append("| order by TimeGenerated asc");
            if (take.HasValue) kql.Append("\n| take ").Append(take.Value.ToString(CultureInfo.InvariantCulture));
            return kql.ToString();
        }

        /// <summary>The table, the time range, the Connections category and the hub: what every query of the hub's connections starts with.</summary>
        internal void AppendSourceFilters(StringBuilder kql, DateTimeOffset start, DateTimeOffset end)
        {
            kql.Append("AzureDiagnostics\n");
            kql.Append("| where TimeGenerated >= ").Append(Kql.DateTime(start)).Append(" and TimeGenerated < ").Append(Kql.DateTime(end)).Append('\n');
            kql.Append("| where ResourceProvider == \"MICROSOFT.DEVICES\" and ResourceType == \"IOTHUBS\"\n");
            kql.Append("| where Category == \"Connections\"").Append(ErrorsOnly ? " and Level == \"Error\"" : string.Empty).Append('\n');
            if (!string.IsNullOrEmpty(ResourceId)) kql.Append("| where _ResourceId =~ ").Append(Kql.String(ResourceId!.TrimEnd('/'))).Append('\n');
            if (!string.IsNullOrEmpty(HubName)) kql.Append("| where Resource =~ ").Append(Kql.String(HubName!)).Append('\n');
        }

        /// <summary>-DeviceId's patterns on a DeviceId column the query has already extended (nothing when none is given).</summary>
        internal void AppendDeviceFilter(StringBuilder kql)
        {
            if (DeviceIds.Count == 0) return;
            kql.Append("| where ");
            kql.Append(string.Join(" or ", DeviceIds.Select(p => Kql.WildcardToRegex(p) is string regex
                ? "DeviceId matches regex " + Kql.String(regex)
                : "DeviceId =~ " + Kql.String(Kql.Unescape(p)))));
            kql.Append('\n');
        }

        /// <summary>
        /// Runs the query page by page, oldest first, and yields the events that <paramref name="filter"/> keeps
        /// (the same filter the file readers apply). Use on the caller's thread: it reports as it goes.
        /// Pages run one after another, never side by side: the API runs at most 5 queries per user at once,
        /// and a user's other sessions share them. A page over the limit is halved and read again; after a
        /// sparse page the next one is twice as long (up to <see cref="LongestPage"/>), so that ten quiet years
        /// take a few dozen requests, not thousands.
        /// </summary>
        public IEnumerable<IoTHubConnectionEvent> Run(AzureConnectionSettings settings, ConnectionEventFilter filter, IReporter reporter, CancellationToken cancellationToken)
        {
            var client = new LogAnalyticsClient(new AzureRestClient(settings, reporter));
            var parser = new ConnectionRecordParser();
            reporter.Verbose($"Querying workspace {WorkspaceId:D} from {StartTime:o} to {EndTime:o}, one page at a time (the API runs at most 5 queries per user at once): "
                + $"pages of at most {PageRowLimit} rows, {PageSpan.TotalHours:0.##} h first, halved when full, doubled while sparse.");
            var span = PageSpan;
            var cursor = StartTime;
            int done = 0;
            double total = Math.Max(1, (EndTime - StartTime).Ticks);
            while (cursor < EndTime)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var start = cursor;
                var end = EndTime - start > span ? start + span : EndTime;
                reporter.Progress(new ProgressReport(13, "Querying Log Analytics", $"{start:u} to {end:u}", (int)Math.Min(99, 100 * (start - StartTime).Ticks / total)));
                var answer = client.Query(WorkspaceId, Build(start, end, PageRowLimit + 1), start, end, cancellationToken, "TimeGenerated");
                if (answer.Rows.Count > PageRowLimit || answer.IsTruncated)
                {
                    if (end - start <= ShortestPage)
                    {
                        throw new TroubleshootException(ErrorIds.QueryResultTooLarge, ProblemKind.InvalidOperation, WorkspaceId,
                            $"The {end - start:g} from {start:o} alone hold more rows than one answer may carry ({(answer.PartialError?.Text ?? answer.Rows.Count + " rows")}). "
                            + "Narrow the query with -DeviceId, -ResultType or -ResourceId.");
                    }

                    span = TimeSpan.FromTicks((end - start).Ticks / 2);
                    reporter.Verbose($"The page {start:o} to {end:o} is over the limit ({(answer.IsTruncated ? "truncated by the service" : answer.Rows.Count + " rows")}): split in two.");
                    continue;
                }

                if (answer.PartialError != null)
                {
                    reporter.Warning($"Log Analytics returned part of the answer for {start:o} to {end:o}: {answer.PartialError.Text}");
                }

                reporter.Verbose($"Page {start:o} to {end:o}: {answer.Rows.Count} row(s).");
                done++;
                foreach (var row in answer.Rows)
                {
                    var e = ToEvent(answer, row, parser, reporter);
                    if (e != null && filter.Accepts(e)) yield return e;
                }

                cursor = end;
                if (answer.Rows.Count < PageRowLimit / 4 && span < LongestPage) span = span + span < LongestPage ? span + span : LongestPage;
            }

            reporter.Verbose($"Read {done} page(s) of workspace {WorkspaceId:D}.");
            reporter.Progress(new ProgressReport(13, "Querying Log Analytics", "Done", 100, completed: true));
        }

        private IoTHubConnectionEvent? ToEvent(QueryAnswer answer, System.Text.Json.JsonElement[] row, ConnectionRecordParser parser, IReporter reporter)
        {
            string? time = answer.Text(row, "TimeGenerated");
            if (time == null || !DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var generated))
            {
                reporter.Warning(SecretMasker.Mask($"A row of workspace {WorkspaceId:D} has no readable TimeGenerated ('{ConnectionRecordParser.Shorten(time ?? string.Empty)}'): skipped."));
                return null;
            }

            var e = new IoTHubConnectionEvent
            {
                TimeGenerated = generated.ToUniversalTime(),
                ResourceId = answer.Text(row, "_ResourceId") ?? string.Empty,
                OperationName = answer.Text(row, "OperationName") ?? string.Empty,
                Category = answer.Text(row, "Category") ?? string.Empty,
                Level = answer.Text(row, "Level") ?? string.Empty,
                ResultType = answer.Text(row, "ResultType") ?? string.Empty,
                ResultDescription = answer.Text(row, "ResultDescription") ?? string.Empty,
                Source = $"workspace {WorkspaceId:D}",
            };
            string? resource = answer.Text(row, "Resource");
            e.HubName = !string.IsNullOrEmpty(resource) ? resource! : ConnectionRecordParser.HubNameOf(e.ResourceId);
            try
            {
                parser.ApplyPropertiesJson(answer.Text(row, "properties_s") ?? string.Empty, e);
            }
            catch (MalformedRecordException ex)
            {
                reporter.Warning(SecretMasker.Mask($"The properties_s of the {e.TimeGenerated:o} {e.OperationName} row do not parse ({ex.Message}); the event is kept without them."));
            }

            // What the hub wrote is shown as it is, but a key or token in it never is.
            if (SecretMasker.MayHoldSecret(e.ResultDescription)) e.ResultDescription = SecretMasker.Mask(e.ResultDescription);
            if (SecretMasker.MayHoldSecret(e.ErrorMessage)) e.ErrorMessage = SecretMasker.Mask(e.ErrorMessage);

            return e;
        }
    }
}
