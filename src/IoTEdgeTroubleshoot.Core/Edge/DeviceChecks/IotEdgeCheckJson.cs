using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks
{
    /// <summary>What the JSON says about the machine it ran on: iotedge check's additional_info.</summary>
    public sealed class IotEdgeCheckHost
    {
        public DateTimeOffset Now { get; set; }

        /// <summary>/etc/os-release ID (ubuntu, debian ...) or "windows".</summary>
        public string? OsId { get; set; }

        public string? OsVersionId { get; set; }

        public int Bitness { get; set; } = IntPtr.Size * 8;

        /// <summary>The generation checked, "1.0/1.1" or "1.2+".</summary>
        public string? Generation { get; set; }

        /// <summary>This machine, read now (os-release on Linux).</summary>
        public static IotEdgeCheckHost Here(DateTimeOffset now, bool windows, string osRelease = "/etc/os-release")
        {
            var host = new IotEdgeCheckHost { Now = now };
            if (windows)
            {
                host.OsId = "windows";
                host.OsVersionId = Environment.OSVersion.Version.ToString();
                return host;
            }

            try
            {
                foreach (var line in File.ReadAllLines(osRelease))
                {
                    int equals = line.IndexOf('=');
                    if (equals <= 0) continue;
                    string key = line.Substring(0, equals).Trim(), value = line.Substring(equals + 1).Trim().Trim('"', '\'');
                    if (key == "ID") host.OsId = value;
                    else if (key == "VERSION_ID") host.OsVersionId = value;
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // no os-release: id and version stay null, as iotedge check leaves them
            }

            return host;
        }
    }

    /// <summary>
    /// Test-IoTEdge -AsIotEdgeCheckJson: the shape 'iotedge check --output json' writes (serde's CheckResultsSerializable in
    /// Azure/iotedge): {"additional_info":{"now","os":{"id","version_id","bitness"}},"checks":{"&lt;id&gt;":{"result":
    /// {"result":"ok"|"warning"|"ignored"|"skipped"|"fatal"|"error","details":[...]},"additional_info":{...}}}}, ids in
    /// ordinal order (a BTreeMap), "details" only for warning, fatal and error. Results that share an id are one check:
    /// the worst status, every finding's message a detail.
    /// </summary>
    public static class IotEdgeCheckJson
    {
        /// <summary>iotedge check's word for a status; Skipped is "skipped", which its readers count as neither ok nor failed.</summary>
        public static string ResultOf(CheckStatus status) => status switch
        {
            CheckStatus.Pass => "ok",
            CheckStatus.Warning => "warning",
            CheckStatus.Error => "error",
            _ => "skipped",
        };

        public static string Write(IReadOnlyList<IoTEdgeCheckResult> results, IotEdgeCheckHost host)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                json.WriteStartObject();
                json.WriteStartObject("additional_info");
                json.WriteString("now", host.Now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                json.WriteStartObject("os");
                WriteStringOrNull(json, "id", host.OsId);
                WriteStringOrNull(json, "version_id", host.OsVersionId);
                json.WriteNumber("bitness", host.Bitness);
                json.WriteEndObject();
                WriteStringOrNull(json, "iotedge_generation", host.Generation);
                json.WriteString("checked_by", "Test-IoTEdge (IoTEdgeTroubleshoot)");
                json.WriteEndObject();

                json.WriteStartObject("checks");
                foreach (var group in results.GroupBy(r => r.CheckId).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    WriteCheck(json, group.Key, group.ToList());
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private static void WriteCheck(Utf8JsonWriter json, string id, IReadOnlyList<IoTEdgeCheckResult> findings)
        {
            var worst = findings.OrderBy(r => Severity(r.Status)).Last();
            string result = ResultOf(worst.Status);
            json.WriteStartObject(id);
            json.WriteStartObject("result");
            json.WriteString("result", result);
            if (result == "warning" || result == "error")
            {
                json.WriteStartArray("details");
                foreach (var finding in findings.Where(f => f.Status == CheckStatus.Warning || f.Status == CheckStatus.Error)) json.WriteStringValue(finding.Message);
                json.WriteEndArray();
            }

            json.WriteEndObject();

            // iotedge check puts what a check found out here; this module puts its own fields (never a secret: messages are masked).
            json.WriteStartObject("additional_info");
            json.WriteString("description", worst.Description);
            json.WriteStartArray("messages");
            foreach (var finding in findings) json.WriteStringValue(finding.Message);
            json.WriteEndArray();
            WriteStringOrNull(json, "remedy", findings.Select(f => f.Remedy).FirstOrDefault(r => r != null));
            WriteStringOrNull(json, "remedy_command", findings.Select(f => f.RemedyCommand).FirstOrDefault(r => r != null));
            WriteStringOrNull(json, "path", findings.Select(f => f.Path).FirstOrDefault(p => p != null));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        private static int Severity(CheckStatus status) => status switch
        {
            CheckStatus.Pass => 0,
            CheckStatus.Skipped => 1,
            CheckStatus.Warning => 2,
            _ => 3,
        };

        private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
        {
            if (value == null) json.WriteNull(name);
            else json.WriteString(name, value);
        }
    }
}
