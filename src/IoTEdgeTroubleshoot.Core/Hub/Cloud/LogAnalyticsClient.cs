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

        public QueryAnswer Query(Guid workspaceId, string kql, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
        {
            var uri = new Uri(_rest.Endpoints.LogAnalytics, $"v1/workspaces/{workspaceId:D}/query");
            string body = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["query"] = kql,
                ["timespan"] = Timespan(start, end),
            });
            var headers = new Dictionary<string, string> { ["Prefer"] = "wait=600" };
            using var document = _rest.Send(RequestMethod.Post, uri, body, _access, workspaceId, cancellationToken, headers);
            return document == null ? QueryAnswer.Empty : Read(document.RootElement, uri);
        }

        internal static string Timespan(DateTimeOffset start, DateTimeOffset end) =>
            start.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture) + "/" + end.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture);

        private static QueryAnswer Read(JsonElement root, Uri uri)
        {
            var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var rows = new List<JsonElement[]>();
            ServiceError? partial = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                ? ServiceError.From(root)
                : null;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("tables", out var tables) || tables.ValueKind != JsonValueKind.Array)
            {
                if (partial != null) return new QueryAnswer(columns, rows, partial);
                throw Malformed(uri, "it has no \"tables\" array");
            }

            foreach (var table in tables.EnumerateArray())
            {
                // The primary result is the first table (PrimaryResult); the others are statistics.
                if (!table.TryGetProperty("columns", out var columnList) || columnList.ValueKind != JsonValueKind.Array
                    || !table.TryGetProperty("rows", out var rowList) || rowList.ValueKind != JsonValueKind.Array)
                {
                    throw Malformed(uri, "a table has no \"columns\" or \"rows\" array");
                }

                int i = 0;
                foreach (var column in columnList.EnumerateArray())
                {
                    if (column.ValueKind == JsonValueKind.Object && column.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String) columns[name.GetString()!] = i;
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

        private static TroubleshootException Malformed(Uri uri, string why) =>
            new TroubleshootException(ErrorIds.AzureResponseMalformed, ProblemKind.InvalidData, uri.AbsolutePath,
                $"The Logs query API's answer is not the documented shape: {why}. Check -LogAnalyticsEndpoint.");
    }
}
