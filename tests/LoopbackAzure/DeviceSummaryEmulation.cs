using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.LoopbackAzure
{
    /// <summary>
    /// The Log Analytics side of Get-IoTHubDisconnectDiagnosis -WorkspaceId, computed in C# from the server's
    /// AzureDiagnostics rows: recognised from the query's text, and reading from that text what it asks for
    /// (time range, hub, -DeviceId literals, partition, cap, origin), so a query that asks for something else
    /// gets something else. Semantics follow the KQL: Connections connects and disconnects with a device id;
    /// Key = device or device/module; Kind and Code from the operation and result type; one row per Key, time,
    /// kind and code; the newest cap rows per Key; the first 15 distinct masked addresses per Key; the latest
    /// non-empty protocol and SDK. The partition predicate uses this server's own hash (FNV-1a of the UTF-8
    /// id): the service's hash differs, but the client relies only on partitions being disjoint and covering.
    /// </summary>
    internal static class DeviceSummaryEmulation
    {
        private const string SummaryMarker = "| summarize Total = count(), Connects = countif(Kind == 0), Entries = make_list_if(Entry, Rank <= ";
        private const string CountMarker = "| summarize Rows = count(), Devices = dcount(Key)";

        public static bool Recognises(string kql) => kql.Contains(SummaryMarker, StringComparison.Ordinal) || kql.Contains(CountMarker, StringComparison.Ordinal);

        private sealed class Row
        {
            public string Key = string.Empty;
            public DateTimeOffset Time;
            public int Kind;
            public int Code;
            public string Ip = string.Empty;
            public string Protocol = string.Empty;
            public string Sdk = string.Empty;
        }

        public static string Answer(string kql, List<JsonObject> source, int serviceRowLimit)
        {
            var range = Regex.Match(kql, @"\| where TimeGenerated >= datetime\((?<start>[^)]+)\) and TimeGenerated < datetime\((?<end>[^)]+)\)");
            var start = DateTimeOffset.Parse(range.Groups["start"].Value, CultureInfo.InvariantCulture);
            var end = DateTimeOffset.Parse(range.Groups["end"].Value, CultureInfo.InvariantCulture);
            var hubFilters = Regex.Matches(kql, @"^\| where (?<column>_ResourceId|Resource) =~ (?<literal>""(?:[^""\\]|\\.)*"")$", RegexOptions.Multiline)
                .Select(m => (Column: m.Groups["column"].Value, Value: Literal(m.Groups["literal"].Value)))
                .ToList();
            var deviceLine = Regex.Match(kql, @"^\| where DeviceId (?:=~|matches regex) .*$", RegexOptions.Multiline);
            var deviceTests = deviceLine.Success
                ? Regex.Matches(deviceLine.Value, @"DeviceId (?<op>=~|matches regex) (?<literal>""(?:[^""\\]|\\.)*"")")
                    .Select(m => (Exact: m.Groups["op"].Value == "=~", Value: Literal(m.Groups["literal"].Value)))
                    .Select(t => t.Exact
                        ? (Func<string, bool>)(id => string.Equals(id, t.Value, StringComparison.OrdinalIgnoreCase))
                        : id => Regex.IsMatch(id, t.Value.Replace("(?i)", string.Empty, StringComparison.Ordinal), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
                    .ToList()
                : null;
            var partition = Regex.Match(kql, @"\| where hash\(DeviceId, (?<n>\d+)\) == (?<k>\d+)");

            var rows = new List<Row>();
            foreach (var r in source)
            {
                var time = DateTimeOffset.Parse((string)r["TimeGenerated"]!, CultureInfo.InvariantCulture);
                if (time < start || time >= end) continue;
                if (!string.Equals((string?)r["Category"], "Connections", StringComparison.Ordinal)) continue;
                if (!hubFilters.All(f => string.Equals((string?)r[f.Column], f.Value, StringComparison.OrdinalIgnoreCase))) continue;
                string operation = (string?)r["OperationName"] ?? string.Empty;
                bool connect = string.Equals(operation, "deviceConnect", StringComparison.OrdinalIgnoreCase);
                if (!connect && !string.Equals(operation, "deviceDisconnect", StringComparison.OrdinalIgnoreCase)) continue;
                var properties = Properties((string?)r["properties_s"]);
                string deviceId = Text(properties, "deviceId");
                if (deviceId.Length == 0) continue;
                if (deviceTests != null && !deviceTests.Any(t => t(deviceId))) continue;
                if (partition.Success && Hash(deviceId) % ulong.Parse(partition.Groups["n"].Value, CultureInfo.InvariantCulture) != ulong.Parse(partition.Groups["k"].Value, CultureInfo.InvariantCulture)) continue;
                string moduleId = Text(properties, "moduleId");
                string resultType = (string?)r["ResultType"] ?? string.Empty;
                bool error = resultType.Length > 0 && resultType != "0" && resultType != "200";
                rows.Add(new Row
                {
                    Key = moduleId.Length == 0 ? deviceId : deviceId + "/" + moduleId,
                    Time = time,
                    Kind = connect ? (error ? 3 : 0) : (error ? 2 : 1),
                    Code = resultType.Length == 0 ? 0 : Regex.IsMatch(resultType, "^[0-9]+$") && int.TryParse(resultType, NumberStyles.None, CultureInfo.InvariantCulture, out int code) ? code : -1,
                    Ip = Text(properties, "maskedIpAddress"),
                    Protocol = Text(properties, "protocol"),
                    Sdk = Text(properties, "sdkVersion"),
                });
            }

            if (kql.Contains(CountMarker, StringComparison.Ordinal))
            {
                return Table(new[] { ("Rows", "long"), ("Devices", "long") }, new[] { new JsonArray(rows.Count, rows.Select(x => x.Key).Distinct(StringComparer.Ordinal).Count()) }, cut: false);
            }

            int cap = int.Parse(Regex.Match(kql, @"Rank <= (\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
            int addresses = int.Parse(Regex.Match(kql, @"make_set\(Ip, (\d+)\)").Groups[1].Value, CultureInfo.InvariantCulture);
            var origin = DateTimeOffset.Parse(Regex.Match(kql, @"tolong\(\(TimeGenerated - datetime\(([^)]+)\)\) / 1tick\)").Groups[1].Value, CultureInfo.InvariantCulture);
            var answer = new List<JsonArray>();
            foreach (var device in rows.GroupBy(x => x.Key, StringComparer.Ordinal))
            {
                // summarize ... by Key, TimeGenerated, Kind, Code: one row each, the first address and the non-empty protocol and SDK.
                var distinct = device.GroupBy(x => (x.Time.UtcTicks, x.Kind, x.Code)).Select(g => new Row
                {
                    Key = device.Key,
                    Time = g.First().Time,
                    Kind = g.Key.Kind,
                    Code = g.Key.Code,
                    Ip = g.First().Ip,
                    Protocol = g.Select(x => x.Protocol).FirstOrDefault(p => p.Length > 0) ?? string.Empty,
                    Sdk = g.Select(x => x.Sdk).FirstOrDefault(p => p.Length > 0) ?? string.Empty,
                }).ToList();
                var ips = distinct.OrderBy(x => x.Time).Select(x => x.Ip).Where(ip => ip.Length > 0).Distinct(StringComparer.Ordinal).Take(addresses).ToList();
                var newestFirst = distinct.OrderByDescending(x => x.Time).ThenByDescending(x => x.Kind).ThenByDescending(x => x.Code).ToList();
                var entries = new JsonArray(newestFirst.Take(cap).Select(x =>
                {
                    int ip = x.Ip.Length == 0 ? 0 : ips.IndexOf(x.Ip) + 1;
                    return (JsonNode)new JsonArray(x.Time.UtcTicks - origin.UtcTicks, (x.Code + 1) * 64 + ip * 4 + x.Kind);
                }).ToArray());
                string protocol = newestFirst.FirstOrDefault(x => x.Protocol.Length > 0)?.Protocol ?? string.Empty;
                string sdk = newestFirst.FirstOrDefault(x => x.Sdk.Length > 0)?.Sdk ?? string.Empty;
                // Log Analytics sends a dynamic column as JSON text.
                answer.Add(new JsonArray(device.Key, distinct.Count, distinct.Count(x => x.Kind == 0), protocol, sdk, entries.ToJsonString()));
            }

            bool cut = answer.Count > serviceRowLimit;
            if (cut) answer = answer.Take(serviceRowLimit).ToList();
            return Table(new[] { ("Key", "string"), ("Total", "long"), ("Connects", "long"), ("Protocol", "string"), ("Sdk", "string"), ("Entries", "dynamic") }, answer, cut);
        }

        private static string Table(IEnumerable<(string Name, string Type)> columns, IEnumerable<JsonArray> rows, bool cut)
        {
            var answer = new JsonObject
            {
                ["tables"] = new JsonArray(new JsonObject
                {
                    ["name"] = "PrimaryResult",
                    ["columns"] = new JsonArray(columns.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["type"] = c.Type }).ToArray()),
                    ["rows"] = new JsonArray(rows.Select(r => (JsonNode)r).ToArray()),
                }),
            };
            if (cut)
            {
                answer["error"] = JsonNode.Parse("{\"code\":\"PartialError\",\"message\":\"There were some errors when processing your query.\",\"details\":[{\"code\":\"EngineError\",\"message\":\"Query result set has exceeded the internal record count limit 500000.\"}]}");
            }

            return answer.ToJsonString();
        }

        private static JsonElement? Properties(string? json)
        {
            if (string.IsNullOrEmpty(json)) return null;
            try
            {
                using var document = JsonDocument.Parse(json);
                return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
            }
            catch (JsonException)
            {
                return null; // parse_json of text that is not JSON: no properties
            }
        }

        private static string Text(JsonElement? properties, string name) =>
            properties is JsonElement p && p.TryGetProperty(name, out var value)
                ? value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : value.ValueKind == JsonValueKind.Null ? string.Empty : value.GetRawText()
                : string.Empty;

        // KQL's escapes, as the module writes them, are JSON's.
        private static string Literal(string literal) => JsonNode.Parse(literal)!.GetValue<string>();

        private static ulong Hash(string id)
        {
            ulong hash = 14695981039346656037UL;
            foreach (byte b in Encoding.UTF8.GetBytes(id)) hash = (hash ^ b) * 1099511628211UL;
            return hash;
        }
    }
}
