using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Logs;

namespace IoTEdgeTroubleshoot.Tests.Edge.Logs
{
    /// <summary>Reads fixtures and test-made files the way the commands do, keeping entries and problems.</summary>
    internal static class LogReading
    {
        public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Edge", "Logs", "Fixtures", name);

        public static List<IoTEdgeLogEntry> Read(string path, CollectingReporter? reporter = null, string? source = null,
            DateTimeOffset? start = null, DateTimeOffset? end = null, int? tail = null)
        {
            var entries = new List<IoTEdgeLogEntry>();
            var reader = new LogFileReader(reporter ?? new CollectingReporter(), CancellationToken.None) { Source = source };
            reader.Read(path, new LogWindow(start, end, tail, entries.Add));
            return entries;
        }

        /// <summary>Reads bytes as the file <paramref name="name"/> (a real file in a temp folder).</summary>
        public static List<IoTEdgeLogEntry> ReadBytes(TempFolder folder, string name, byte[] bytes, CollectingReporter reporter)
        {
            string path = Path.Combine(folder.Path, name);
            File.WriteAllBytes(path, bytes);
            return Read(path, reporter);
        }

        public static List<IoTEdgeLogEntry> ReadText(TempFolder folder, string name, string text, CollectingReporter reporter) =>
            ReadBytes(folder, name, new UTF8Encoding(false).GetBytes(text), reporter);

        public static List<IoTEdgeLogEntry> Feed(IEnumerable<string> lines, string? source = null, CollectingReporter? reporter = null)
        {
            var entries = new List<IoTEdgeLogEntry>();
            var feed = new LogLineFeed("the test", source, entries.Add, reporter ?? new CollectingReporter());
            foreach (var line in lines) feed.Add(line);
            feed.Complete();
            return entries;
        }
    }
}
