using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Remote
{
    /// <summary>What to ask a device's edgeAgent for: modules (none: all of them), the last entries, a time range.</summary>
    public sealed class ModuleLogQuery
    {
        /// <summary>Module names, matched exactly (edgeAgent takes a regex: each name is escaped and anchored).</summary>
        public IReadOnlyList<string> Names { get; set; } = Array.Empty<string>();

        public int? Tail { get; set; }

        public DateTimeOffset? Since { get; set; }

        public DateTimeOffset? Until { get; set; }
    }

    /// <summary>
    /// GetModuleLogs: {schemaVersion, items:[{id, filter:{tail, since, until}}], encoding, contentType}, answered
    /// [{id, payload}] (or payloadBytes, base64 and gzip when asked so). The text goes through the same parser as
    /// the local command, so the entries are the same IoTEdgeLogEntry objects, with DeviceId set. The answer is
    /// capped at about 128 KB: an answer that close to the cap was cut, and a warning says how to page.
    /// </summary>
    internal static class RemoteModuleLogs
    {
        internal const string MethodName = "GetModuleLogs";

        /// <summary>The largest direct method answer IoT Hub passes on.</summary>
        internal const int AnswerCapBytes = 128 * 1024;

        // Headroom for the JSON around the text: an answer within this of the cap is taken as cut.
        private const int CutMargin = 4 * 1024;

        public static List<IoTEdgeLogEntry> Read(EdgeAgentMethods methods, string deviceId, ModuleLogQuery query, IReporter reporter, CancellationToken cancellationToken)
        {
            var entries = new List<IoTEdgeLogEntry>();
            // One call per module: each gets the whole 128 KB.
            var names = query.Names.Count == 0 ? new string?[] { null } : query.Names.Distinct(StringComparer.Ordinal).ToArray();
            foreach (var name in names)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string id = name == null ? ".*" : ToId(name);
                var answer = methods.Invoke(deviceId, MethodName, writer => WritePayload(writer, id, query), cancellationToken);
                int before = entries.Count;
                var logs = Logs(answer.Payload, deviceId).ToList();
                if (name != null && logs.Count == 0)
                {
                    // edgeAgent answers a module of that name, even with an empty log: none means the device runs no such module.
                    reporter.Problem(new Problem(ErrorIds.EdgeAgentMethodFailed, ProblemKind.ObjectNotFound, deviceId,
                        $"edgeAgent on '{deviceId}' has no module '{name}' (names are case-sensitive). Without -Name, the logs of every module it runs come back."));
                    continue;
                }

                for (int item = 0; item < logs.Count; item++)
                {
                    var (module, text) = logs[item];
                    var moduleEntries = new List<IoTEdgeLogEntry>();
                    var feed = new LogLineFeed($"the log of {module} on {deviceId}", module, entry =>
                    {
                        entry.DeviceId = deviceId;
                        moduleEntries.Add(entry);
                    }, reporter);
                    var lines = text.Split('\n');
                    int count = lines.Length > 0 && lines[lines.Length - 1].Length == 0 ? lines.Length - 1 : lines.Length; // the text ends with a line break
                    for (int i = 0; i < count; i++) feed.Add(lines[i].TrimEnd('\r'));
                    feed.Complete();
                    entries.AddRange(moduleEntries);
                    // The cap cuts the answer's end: the last module's log is the one cut.
                    if (item == logs.Count - 1 && IsCut(answer.PayloadBytes)) reporter.Warning(CutWarning(module, deviceId, moduleEntries));
                }

                reporter.Verbose($"{MethodName} '{id}' on {deviceId}: {entries.Count - before} entries in {answer.PayloadBytes.ToString(CultureInfo.InvariantCulture)} bytes.");
            }

            return entries;
        }

        internal static bool IsCut(int payloadBytes) => payloadBytes >= AnswerCapBytes - CutMargin;

        // A name given twice is asked for once (Read): its entries would otherwise come back twice.
        internal static string ToId(string name) => "^" + Regex.Escape(name) + "$";

        internal static void WritePayload(Utf8JsonWriter writer, string id, ModuleLogQuery query)
        {
            writer.WriteStartObject();
            writer.WriteString("schemaVersion", "1.0");
            writer.WriteStartArray("items");
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteStartObject("filter");
            if (query.Tail is int tail) writer.WriteNumber("tail", tail);
            if (query.Since is DateTimeOffset since) writer.WriteString("since", Rfc3339(since));
            if (query.Until is DateTimeOffset until) writer.WriteString("until", Rfc3339(until));
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteString("encoding", "none");
            writer.WriteString("contentType", "text");
            writer.WriteEndObject();
        }

        internal static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        // [{id, payload}] as text; payloadBytes is base64, gzip when the caller asked for it (an older edgeAgent may send it anyway).
        private static IEnumerable<(string Module, string Text)> Logs(JsonElement payload, string deviceId)
        {
            if (payload.ValueKind != JsonValueKind.Array)
            {
                throw new TroubleshootException(ErrorIds.AzureResponseMalformed, ProblemKind.InvalidData, deviceId,
                    $"edgeAgent on '{deviceId}' answered {MethodName} without a list of module logs.");
            }

            foreach (var item in payload.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) continue;
                string module = Hub.Cloud.JsonValues.String(item, "id") ?? string.Empty;
                if (Hub.Cloud.JsonValues.String(item, "payload") is string text)
                {
                    yield return (module, text);
                }
                else if (Hub.Cloud.JsonValues.String(item, "payloadBytes") is string encoded)
                {
                    yield return (module, Decode(encoded, module, deviceId));
                }
            }
        }

        private static string Decode(string encoded, string module, string deviceId)
        {
            try
            {
                byte[] bytes = Convert.FromBase64String(encoded);
                if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) return Encoding.UTF8.GetString(bytes);
                using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var reader = new StreamReader(gzip, Encoding.UTF8);
                // A hostile answer may inflate without end: the text the cap allows, many times over, is enough.
                var buffer = new char[16 * AnswerCapBytes];
                int read = reader.ReadBlock(buffer, 0, buffer.Length);
                return new string(buffer, 0, read);
            }
            catch (Exception ex) when (ex is FormatException || ex is InvalidDataException)
            {
                throw new TroubleshootException(ErrorIds.AzureResponseMalformed, ProblemKind.InvalidData, deviceId,
                    $"edgeAgent on '{deviceId}' sent the log of {module} in a form that cannot be read: {ex.Message}", ex);
            }
        }

        private static string CutWarning(string module, string deviceId, List<IoTEdgeLogEntry> entries)
        {
            DateTimeOffset? first = null, last = null;
            foreach (var entry in entries)
            {
                if (entry.TimeCreated is not DateTimeOffset time) continue;
                if (first == null || time < first) first = time;
                if (last == null || time > last) last = time;
            }

            string range = first != null ? $" from {first.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} to {last!.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" : string.Empty;
            string paging = first != null
                ? $" Ask for the rest in pages: -Until '{Rfc3339(first.Value)}' for what came before, -Since '{Rfc3339(last!.Value)}' for what came after, or a smaller -Tail."
                : " Ask for less: a smaller -Tail, or a shorter -Since/-Until range.";
            return $"The log of {module} on {deviceId} was cut at about 128 KB (the direct method's limit): {entries.Count} entries{range}.{paging}";
        }
    }
}
