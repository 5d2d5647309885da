using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace IoTEdgeTroubleshoot.LogGenerator
{
    /// <summary>Writes a planned log in the shapes Azure produces. Same input, same bytes.</summary>
    public sealed class ConnectionLogWriter
    {
        private static readonly UTF8Encoding Utf8NoBom = new UTF8Encoding(false);
        // Escape like Azure does (\" rather than \u0022).
        private static readonly JsonWriterOptions Compact = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        private readonly GeneratedLog _log;
        private readonly GeneratorOptions _options;

        public ConnectionLogWriter(GeneratedLog log, GeneratorOptions options)
        {
            _log = log;
            _options = options;
        }

        /// <summary>
        /// The storage-account export: insights-logs-connections/resourceId=/.../y=/m=/d=/h=/m=00/PT1H.json,
        /// one record a line. Like the real thing, records inside an hour are not strictly ordered and a
        /// few appear twice.
        /// </summary>
        public void WriteStorageTree(string root)
        {
            var random = new Random(_options.Seed + 1);
            foreach (var hour in _log.Records.GroupBy(r => new DateTimeOffset(r.Time.Year, r.Time.Month, r.Time.Day, r.Time.Hour, 0, 0, TimeSpan.Zero)))
            {
                string dir = Path.Combine(root, "insights-logs-connections", "resourceId=" + _options.ResourceId.Replace('/', Path.DirectorySeparatorChar).TrimStart(Path.DirectorySeparatorChar),
                    $"y={hour.Key.Year:D4}", $"m={hour.Key.Month:D2}", $"d={hour.Key.Day:D2}", $"h={hour.Key.Hour:D2}", "m=00");
                // resourceId= is followed by the id's own segments: "resourceId=/SUBSCRIPTIONS/..." on the blob path.
                dir = dir.Replace("resourceId=" + "SUBSCRIPTIONS", "resourceId=" + Path.DirectorySeparatorChar + "SUBSCRIPTIONS");
                Directory.CreateDirectory(dir);
                var records = hour.ToList();
                for (int i = 1; i < records.Count; i++)
                {
                    if (random.NextDouble() < 0.05) (records[i - 1], records[i]) = (records[i], records[i - 1]);
                }

                using var stream = new FileStream(Path.Combine(dir, "PT1H.json"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                foreach (var record in records)
                {
                    WriteRecordLine(stream, record);
                    if (random.NextDouble() < 0.003) WriteRecordLine(stream, record);
                }
            }
        }

        /// <summary>What an Event Hubs consumer saves: one {"records":[...]} batch a line.</summary>
        public void WriteEventHubRecords(string path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
            for (int i = 0; i < _log.Records.Count; i += 50)
            {
                using (var writer = new Utf8JsonWriter(stream, Compact))
                {
                    writer.WriteStartObject();
                    writer.WriteStartArray("records");
                    foreach (var record in _log.Records.Skip(i).Take(50)) WriteRecord(writer, record);
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                stream.WriteByte((byte)'\n');
            }
        }

        /// <summary>The Log Analytics portal's "Export to CSV" of the guide's error query, in en-US date format.</summary>
        public void WriteLogAnalyticsCsv(string path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var us = CultureInfo.GetCultureInfo("en-US");
            using var writer = new StreamWriter(path, false, new UTF8Encoding(true));
            writer.Write("TenantId,TimeGenerated [UTC],ResourceId,Category,ResourceGroup,SubscriptionId,ResourceProvider,Resource,ResourceType,OperationName,ResultType,Level,Location,ResultDescription,properties_s,Type,_ResourceId\r\n");
            foreach (var r in _log.Records.Where(r => r.Level == "Error").OrderByDescending(r => r.Time))
            {
                var fields = new[]
                {
                    "5f1e8f6a-3c2d-4e7b-8a90-1b2c3d4e5f60",
                    r.Time.UtcDateTime.ToString("M/d/yyyy, h:mm:ss.fff tt", us),
                    _options.ResourceId,
                    "Connections",
                    _options.ResourceGroup,
                    _options.SubscriptionId.ToUpperInvariant(),
                    "MICROSOFT.DEVICES",
                    _options.HubName,
                    "IOTHUBS",
                    r.Operation,
                    r.ResultType ?? "",
                    r.Level,
                    _options.Location,
                    r.ResultDescription ?? "",
                    PropertiesJson(r),
                    "AzureDiagnostics",
                    _options.ResourceId.ToLowerInvariant(),
                };
                writer.Write(string.Join(",", fields.Select(Csv)));
                writer.Write("\r\n");
            }
        }

        /// <summary>
        /// The hub's connectedDeviceCount metric at one-minute grain (Minimum, Average, Maximum), as Azure
        /// Monitor returns it, replayed from the planned connects and disconnects.
        /// </summary>
        public void WriteConnectedDeviceMetric(string path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var connected = new HashSet<string>(StringComparer.Ordinal);
            using var writer = new StreamWriter(path, false, Utf8NoBom);
            writer.Write("Timestamp,Minimum,Average,Maximum\n");
            int index = 0;
            var records = _log.Records;
            for (var minute = _options.Start; minute < _options.End; minute = minute.AddMinutes(1))
            {
                int min = connected.Count, max = connected.Count;
                long sum = 0;
                int samples = 0;
                var next = minute.AddMinutes(1);
                while (index < records.Count && records[index].Time < next)
                {
                    var r = records[index++];
                    if (r.Operation == "deviceConnect" && r.Level != "Error") connected.Add(r.DeviceId);
                    else if (r.Operation == "deviceDisconnect") connected.Remove(r.DeviceId);
                    min = Math.Min(min, connected.Count);
                    max = Math.Max(max, connected.Count);
                    sum += connected.Count;
                    samples++;
                }

                double average = samples == 0 ? connected.Count : (double)sum / samples;
                writer.Write(string.Format(CultureInfo.InvariantCulture, "{0:yyyy-MM-ddTHH:mm:ssZ},{1},{2:0.##},{3}\n", minute.UtcDateTime, min, average, max));
            }
        }

        public void WritePlantedPatterns(string path)
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            writer.WriteStartArray();
            foreach (var p in _log.Planted)
            {
                writer.WriteStartObject();
                writer.WriteString("pattern", p.Pattern);
                writer.WriteString("deviceId", p.DeviceId);
                if (p.PeriodMinutes.HasValue) writer.WriteNumber("periodMinutes", p.PeriodMinutes.Value);
                if (p.WindowStart.HasValue) writer.WriteString("windowStart", p.WindowStart.Value.UtcDateTime.ToString("o", CultureInfo.InvariantCulture));
                if (p.WindowEnd.HasValue) writer.WriteString("windowEnd", p.WindowEnd.Value.UtcDateTime.ToString("o", CultureInfo.InvariantCulture));
                if (p.DeviceCount.HasValue) writer.WriteNumber("deviceCount", p.DeviceCount.Value);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        private void WriteRecordLine(Stream stream, GeneratedRecord record)
        {
            using (var writer = new Utf8JsonWriter(stream, Compact))
            {
                WriteRecord(writer, record);
            }

            stream.WriteByte((byte)'\n');
        }

        private void WriteRecord(Utf8JsonWriter writer, GeneratedRecord r)
        {
            writer.WriteStartObject();
            writer.WriteString("time", r.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
            writer.WriteString("resourceId", _options.ResourceId);
            writer.WriteString("operationName", r.Operation);
            writer.WriteString("category", "Connections");
            writer.WriteString("level", r.Level);
            if (r.ResultType != null)
            {
                writer.WriteString("resultType", r.ResultType);
                writer.WriteString("resultDescription", r.ResultDescription);
            }

            writer.WriteString("properties", PropertiesJson(r));
            writer.WriteString("location", _options.Location);
            writer.WriteEndObject();
        }

        // The hub writes properties as a JSON document inside a string, and authType as JSON inside that.
        private static string PropertiesJson(GeneratedRecord r)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, Compact))
            {
                writer.WriteStartObject();
                writer.WriteString("deviceId", r.DeviceId);
                writer.WriteString("protocol", r.Protocol);
                writer.WriteString("authType", $"{{\"scope\":\"device\",\"type\":\"{r.AuthType}\",\"issuer\":\"iothub\",\"acceptingIpFilterRule\":null}}");
                writer.WriteString("maskedIpAddress", r.MaskedIp);
                if (r.StatusCode != null) writer.WriteString("statusCode", r.StatusCode);
                else writer.WriteNull("statusCode");
                if (r.ErrorMessage != null) writer.WriteString("errorMessage", r.ErrorMessage);
                writer.WriteString("sdkVersion", r.SdkVersion);
                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private static string Csv(string value) =>
            value.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
