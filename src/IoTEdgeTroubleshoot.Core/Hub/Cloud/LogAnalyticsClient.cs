using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Threading;
using Azure.Core;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Cloud
{
    /// <summary>One answer of the Logs query API: the primary table's columns and rows, and a partial error if any.</summary>
    internal sealed class QueryAnswer
    {
        public QueryAnswer(Dictionary<string, int> columns, List<JsonElement[]> rows, ServiceError? partialError)
        {
            Columns = columns;
            Rows = rows;
            PartialError = partialError;
        }

        public static QueryAnswer Empty { get; } = new QueryAnswer(new Dictionary<string, int>(), new List<JsonElement[]>(), null);

        public Dictionary<string, int> Columns { get; }

        public List<JsonElement[]> Rows { get; }

        public ServiceError? PartialError { get; }

        /// <summary>A partial error about the answer's limits (rows, size, time): the rows are not all there.</summary>
        public bool IsTruncated
        {
            get
            {
                if (PartialError == null) return false;
                string text = PartialError.Text;
                foreach (var word in new[] { "limit", "exceed", "truncat", "too large", "maximum" })
                {
                    if (text.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0) return true;
                }

                return false;
            }
        }

        public string? Text(JsonElement[] row, string column)
        {
            if (!Columns.TryGetValue(column, out int index) || index >= row.Length) return null;
            var cell = row[index];
            return cell.ValueKind switch
            {
                JsonValueKind.String => cell.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => cell.GetRawText(),
            };
        }
    }

    /// <summary>
    /// The Azure Monitor Logs query API: POST {endpoint}/v1/workspaces/{id}/query with {"query","timespan"}
    /// and Prefer: wait=600 (the service's longest run). 204 is no data; 200 with error.code PartialError
    /// carries rows and a message.
    /// </summary>
    internal sealed class LogAnalyticsClient
    {
        private readonly AzureRestClient _rest;
        private readonly ServiceAccess _access;

        public LogAnalyticsClient(AzureRestClient rest)
        {
            _rest = rest;
            _access = new ServiceAccess("Log Analytics", rest.Endpoints.LogAnalyticsScope,
                "'Log Analytics Reader' on the workspace (or 'Reader' on the hub for resource-context queries)");
        }

        /// <summary>Runs <paramref name="kql"/>; an answer with rows but without one of <paramref name="requiredColumns"/> is malformed.</summary>
        public QueryAnswer Query(Guid workspaceId, string kql, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken, params string[] requiredColumns)
        {
            var uri = new Uri(_rest.Endpoints.LogAnalytics, $"v1/workspaces/{workspaceId:D}/query");
            string body = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["query"] = kql,
                ["timespan"] = Timespan(start, end),
            });
            var headers = new Dictionary<string, string> { ["Prefer"] = "wait=600" };
            using var document = _rest.Send(RequestMethod.Post, uri, body, _access, workspaceId, cancellationToken, headers);
            if (document == null) return QueryAnswer.Empty;
            var answer = Read(document.RootElement, uri);
            foreach (var column in requiredColumns)
            {
                if (answer.Rows.Count > 0 && !answer.Columns.ContainsKey(column)) throw Malformed(uri, $"its rows have no {column} column");
            }

            return answer;
        }

        internal static string Timespan(DateTimeOffset start, DateTimeOffset end) =>
            start.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture) + "/" + end.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture);

        private static QueryAnswer Read(JsonElement root, Uri uri)
        {
            var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var rows = new List<JsonElement[]>();
            ServiceError? partial = JsonValues.Member(root, "error", out var error) && error.ValueKind == JsonValueKind.Object
                ? ServiceError.From(root)
                : null;
            if (!JsonValues.Array(root, "tables", out var tables))
            {
                // An error without any table is a failure, whatever the status: there is nothing to return.
                if (partial != null)
                {
                    throw new TroubleshootException(ErrorIds.AzureRequestFailed, ProblemKind.InvalidOperation, uri.AbsolutePath,
                        $"The Logs query API answered with an error and no rows. The service says: {partial.Text} Try again; if it persists, a shorter time range.");
                }

                throw Malformed(uri, "it has no \"tables\" array");
            }

            foreach (var table in tables.EnumerateArray())
            {
                // The primary result is the first table (PrimaryResult); the others are statistics.
                if (!JsonValues.Array(table, "columns", out var columnList) || !JsonValues.Array(table, "rows", out var rowList))
                {
                    throw Malformed(uri, "a table is not an object with \"columns\" and \"rows\" arrays");
                }

                int i = 0;
                foreach (var column in columnList.EnumerateArray())
                {
                    if (JsonValues.String(column, "name") is string name) columns[name] = i;
                    i++;
                }

                foreach (var row in rowList.EnumerateArray())
                {
                    if (row.ValueKind != JsonValueKind.Array) throw Malformed(uri, "a row is not an array");
                    var cells = new JsonElement[row.GetArrayLength()];
                    int c = 0;
                    foreach (var cell in row.EnumerateArray()) cells[c++] = cell.Clone();
                    rows.Add(cells);
                }

                break;
            }

            return new QueryAnswer(columns, rows, partial);
        }

        internal static TroubleshootException Malformed(Uri uri, string why) =>
            new TroubleshootException(ErrorIds.AzureResponseMalformed, ProblemKind.InvalidData, uri.AbsolutePath,
                $"The Logs query API's answer is not the documented shape: {why}. Check -LogAnalyticsEndpoint.");
    }
}
