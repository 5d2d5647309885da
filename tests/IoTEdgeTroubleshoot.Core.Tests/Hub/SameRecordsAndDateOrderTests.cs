using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Hub;
using Xunit;
using static IoTEdgeTroubleshoot.Tests.Hub.Hostile;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    /// <summary>
    /// Issue 8, class 4 (the readers' part): the same records held in several forms under one folder, and CSV
    /// dates whose day and month read both ways, are said, not silently counted twice or decided by culture.
    /// </summary>
    public class SameRecordsAndDateOrderTests
    {
        private static string Samples => Path.Combine(TestPaths.RepositoryRoot, "samples");

        [Fact]
        public void TheSameDayInThreeForms_IsAWarningNamingEachForm_InBothReaders()
        {
            // samples/ holds one day as a storage tree, an Event Hubs file and a Log Analytics CSV (errors only).
            var finder = new CollectingReporter();
            var files = LogFileFinder.Find(Samples, finder, CancellationToken.None);
            var reporter = new CollectingReporter();
            var threads = new CollectingReporter();

            var events = ReadFull(files, reporter);
            Analyze(files, threads);

            foreach (var warnings in new[] { reporter.Warnings, threads.Warnings })
            {
                var warning = Assert.Single(warnings, w => w.Contains("in 3 forms", StringComparison.Ordinal));
                Assert.Contains("a storage-account export (24 files, such as '", warning);
                Assert.Contains("Event Hubs records ('" + Path.Combine(Samples, "exports", "eventhub-records.json") + "')", warning);
                Assert.Contains("a Log Analytics CSV export ('" + Path.Combine(Samples, "exports", "loganalytics-connection-errors.csv") + "')", warning);
                Assert.Contains("2026-11-20 00:00 to 2026-11-20 23:59 UTC", warning);
                Assert.Contains("counted more than once", warning);
            }

            Assert.True(events.Count > 5_000);
            // The other files of samples/: the metric CSV, the planted patterns and the edge device's files (a journal, daemon.json, a manifest) are no Connections logs.
            Assert.All(reporter.Problems, p => Assert.Contains(Path.GetFileName((string)p.Target!), new[] { "connected-devices.csv", "planted-patterns.json", "journal-aziot-1.5.json", "daemon.json", "deployment.amd64.json" }));
        }

        [Fact]
        public void OneForm_OrFormsOfDifferentDays_AreNoWarning()
        {
            using var dir = new TempFolder();
            string storage = dir.Write("storage/PT1H.json", Records.Line("2026-11-20T10:00:00Z", "a") + "\n" + Records.Line("2026-11-20T10:59:00Z", "b") + "\n");
            string eventHubs = dir.Write("eh.json", "{\"records\":[" + Records.Line("2026-11-21T10:00:00Z", "c") + "]}\n");
            string overlapping = dir.Write("eh-same-day.json", "{\"records\":[" + Records.Line("2026-11-20T10:30:00Z", "d") + "]}\n");
            var reporter = new CollectingReporter();

            ReadFull(LogFileFinder.Find(Path.Combine(TestPaths.RepositoryRoot, "samples", "connections"), reporter, CancellationToken.None), reporter);
            ReadFull(new[] { storage, eventHubs }, reporter);
            Assert.Empty(reporter.Warnings);

            ReadFull(new[] { storage, eventHubs, overlapping }, reporter);
            var warning = Assert.Single(reporter.Warnings);
            Assert.Contains("in 2 forms", warning);
            Assert.Contains("Event Hubs records (2 files, such as '" + overlapping + "')", warning);
            Assert.Contains("2026-11-20 10:30 to 2026-11-20 10:30 UTC", warning);
        }

        private const string Header = "TimeGenerated [UTC],OperationName,Level,properties_s";

        private static string Row(string time, string device) => $"\"{time}\",deviceDisconnect,Error,\"{{\"\"deviceId\"\":\"\"{device}\"\"}}\"";

        [Fact]
        public void DatesThatReadBothWays_AreAWarningNamingTheFileAndTheOrderChosen()
        {
            using var dir = new TempFolder();
            string file = dir.Write("export.csv", Header + "\n" + Row("05/06/2026, 10:00:00", "a") + "\n" + Row("07/06/2026, 10:00:00", "b") + "\n");
            var reporter = new CollectingReporter();
            var threads = new CollectingReporter();

            var previous = CultureInfo.CurrentCulture;
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en-US");
            try
            {
                var events = ReadFull(new[] { file }, reporter);
                Assert.Equal(new DateTimeOffset(2026, 5, 6, 10, 0, 0, TimeSpan.Zero), events[0].TimeGenerated);
            }
            finally
            {
                CultureInfo.CurrentCulture = previous;
            }

            Analyze(new[] { file }, threads);
            foreach (var warnings in new[] { reporter.Warnings, threads.Warnings })
            {
                var warning = Assert.Single(warnings);
                Assert.StartsWith($"Every date of '{file}' reads both ways", warning);
                Assert.Contains("'05/06/2026, 10:00:00'", warning);
                Assert.Contains("-DateOrder", warning);
            }

            Assert.Contains("month first (MM/dd), the order of this computer's culture (en-US)", reporter.Warnings[0]);
            Assert.Contains("-DateOrder DayFirst", reporter.Warnings[0]);
        }

        [Theory]
        [InlineData(DateOrder.DayFirst, 6, 5)]
        [InlineData(DateOrder.MonthFirst, 5, 6)]
        public void AGivenOrder_Decides_WithoutAWarning(DateOrder order, int month, int day)
        {
            using var dir = new TempFolder();
            string file = dir.Write("export.csv", Header + "\n" + Row("05/06/2026, 10:00:00", "a") + "\n");
            var reporter = new CollectingReporter();

            var e = Assert.Single(ReadFull(new[] { file }, reporter, new ConnectionEventFilter { DateOrder = order }));

            Assert.Equal(new DateTimeOffset(2026, month, day, 10, 0, 0, TimeSpan.Zero), e.TimeGenerated);
            Assert.Empty(reporter.Warnings);
        }

        [Fact]
        public void AnUnambiguousRow_SettlesTheOrder_WithoutAWarning()
        {
            using var dir = new TempFolder();
            string file = dir.Write("export.csv", Header + "\n" + Row("05/06/2026, 10:00:00", "a") + "\n" + Row("25/06/2026, 10:00:00", "b") + "\n");
            var reporter = new CollectingReporter();

            var events = ReadFull(new[] { file }, reporter);

            Assert.Equal(new DateTimeOffset(2026, 6, 5, 10, 0, 0, TimeSpan.Zero), events[0].TimeGenerated);
            Assert.Empty(reporter.Warnings);
        }
    }
}
