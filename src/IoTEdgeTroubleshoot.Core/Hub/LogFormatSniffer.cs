using System;
using System.IO;
using System.Text;
using System.Text.Json;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>How a log file is laid out, which decides the reader.</summary>
    internal enum LogFormat
    {
        Empty,
        JsonLines,
        JsonDocument,
        Csv,
    }

    /// <summary>Where a log file comes from: files of two forms may hold the same records.</summary>
    internal enum LogForm
    {
        StorageExport,
        EventHubs,
        JsonArray,
        LogAnalyticsCsv,
    }

    /// <summary>
    /// Decides a log file's layout and form from its first bytes: a CSV header, a JSON array, a record or
    /// wrapper that ends on its first line (JSON lines) or one that goes on (a pretty-printed document).
    /// A damaged first line does not make a file of JSON lines unreadable: the lines after it decide.
    /// </summary>
    internal static class LogFormatSniffer
    {
        public const int HeadLength = 64 * 1024;

        public static (LogFormat Format, LogForm Form) Detect(ArraySegment<byte> headSegment)
        {
            byte[] head = headSegment.Array!;
            int n = headSegment.Count;
            int first = SkipWhitespace(head, 0, n);
            if (first == n) return (n < head.Length ? LogFormat.Empty : LogFormat.JsonLines, LogForm.StorageExport); // more than the head of blanks: read on
            if (head[first] == '[') return (LogFormat.JsonDocument, LogForm.JsonArray);
            if (head[first] != '{')
            {
                if (LooksLikeCsvHeader(head, first, n)) return (LogFormat.Csv, LogForm.LogAnalyticsCsv);

                // A file of JSON lines whose first line is damaged: a later line starts a record.
                for (int i = Array.IndexOf(head, (byte)'\n', first, n - first); i >= 0 && i < n; i = Array.IndexOf(head, (byte)'\n', i + 1, n - i - 1))
                {
                    int start = SkipWhitespace(head, i + 1, n);
                    if (start < n && head[start] == '{') return (LogFormat.JsonLines, FormOfObject(head, start, n));
                    if (start >= n - 1) break;
                }

                return (LogFormat.Csv, LogForm.LogAnalyticsCsv); // the CSV reader says it is neither
            }

            var form = FormOfObject(head, first, n);
            int newline = Array.IndexOf(head, (byte)'\n', first, n - first);
            int lineEnd = newline < 0 ? n : newline;
            if (newline < 0 && n == head.Length) return (LogFormat.JsonDocument, form); // a first line longer than the head: stream it
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(head, first, lineEnd - first), isFinalBlock: true, default);
            try
            {
                return (reader.Read() && reader.TrySkip() && reader.TokenType == JsonTokenType.EndObject ? LogFormat.JsonLines : LogFormat.JsonDocument, form);
            }
            catch (JsonException)
            {
                // An incomplete first line is a pretty-printed document; a broken one is still read as lines.
                return (newline >= 0 && IsLoneOpeningLine(head, first, lineEnd) ? LogFormat.JsonDocument : LogFormat.JsonLines, form);
            }
        }

        public static string Describe(LogFormat format) => format switch
        {
            LogFormat.Csv => "a Log Analytics CSV export",
            LogFormat.JsonDocument => "a JSON document of records",
            LogFormat.Empty => "empty",
            _ => "JSON lines (one record a line)",
        };

        public static string Describe(LogForm form) => form switch
        {
            LogForm.EventHubs => "Event Hubs records",
            LogForm.JsonArray => "a JSON array of records (a Log Analytics query's output)",
            LogForm.LogAnalyticsCsv => "a Log Analytics CSV export",
            _ => "a storage-account export",
        };

        // An object whose first property is "records" is the Event Hubs wrapper.
        private static LogForm FormOfObject(byte[] head, int start, int n)
        {
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(head, start, n - start), isFinalBlock: false, default);
            try
            {
                return reader.Read() && reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("records")
                    ? LogForm.EventHubs
                    : LogForm.StorageExport;
            }
            catch (JsonException)
            {
                return LogForm.StorageExport;
            }
        }

        private static bool LooksLikeCsvHeader(byte[] head, int from, int n)
        {
            int newline = Array.IndexOf(head, (byte)'\n', from, n - from);
            string line = Encoding.UTF8.GetString(head, from, (newline < 0 ? n : newline) - from);
            return CsvColumns.FromHeader(new CsvReader(new StringReader(line)).ReadRow()) != null;
        }

        private static bool IsLoneOpeningLine(byte[] head, int from, int to)
        {
            string line = Encoding.UTF8.GetString(head, from, to - from).Trim();
            return line == "{" || line.EndsWith("[", StringComparison.Ordinal) || line.EndsWith("{", StringComparison.Ordinal);
        }

        private static int SkipWhitespace(byte[] head, int i, int n)
        {
            while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) i++;
            return i;
        }
    }
}
