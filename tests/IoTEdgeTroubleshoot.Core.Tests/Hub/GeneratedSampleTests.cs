using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.LogGenerator;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    /// <summary>The generator's three forms of one log must read back as the same events.</summary>
    public class GeneratedSampleTests
    {
        private static List<IoTHubConnectionEvent> ReadAll(string path, CollectingReporter reporter, bool errorsOnly = false) =>
            new ConnectionLogReader(new ConnectionEventFilter { ErrorsOnly = errorsOnly }, reporter)
                .ReadFiles(ConnectionLogReader.ExpandPath(path).ToList(), CancellationToken.None).ToList();

        private static string Key(IoTHubConnectionEvent e) => $"{e.TimeGenerated.UtcTicks / 10000}|{e.DeviceId}|{e.OperationName}|{e.ResultType}";

        // On a short window some flaky devices drop only once or twice: no Random pattern is planted for them, so a
        // benchmark's recall counts only what is there to find.
        [Fact]
        public void ADeviceIsPlantedRandom_OnlyWhenItDroppedAtLeastThreeTimes()
        {
            var log = ConnectionLogScenario.Generate(new GeneratorOptions { Devices = 2000, Hours = 10, Seed = 42 });
            var drops = log.Records.Where(r => r.DeviceId.StartsWith("truck-") && r.Operation == "deviceDisconnect" && r.ResultType != null)
                .GroupBy(r => r.DeviceId).ToDictionary(g => g.Key, g => g.Count());
            var flaky = log.Records.Select(r => r.DeviceId).Where(id => id.StartsWith("truck-")).Distinct().ToList();
            var planted = log.Planted.Where(p => p.Pattern == "Random").Select(p => p.DeviceId).ToHashSet();

            Assert.Contains(flaky, id => drops.GetValueOrDefault(id) < 3); // the window is short enough to leave some out
            Assert.Equal(flaky.Where(id => drops.GetValueOrDefault(id) >= 3).OrderBy(id => id, StringComparer.Ordinal), planted.OrderBy(id => id, StringComparer.Ordinal));
        }

        [Fact]
        public void StorageEventHubsAndCsvForms_AgreeWithThePlan()
        {
            using var dir = new TempFolder();
            var options = new GeneratorOptions { Devices = 60, Hours = 6, Seed = 7 };
            var log = ConnectionLogScenario.Generate(options);
            var writer = new ConnectionLogWriter(log, options);
            writer.WriteStorageTree(Path.Combine(dir.Path, "connections"));
            writer.WriteEventHubRecords(Path.Combine(dir.Path, "exports", "eh.json"));
            writer.WriteLogAnalyticsCsv(Path.Combine(dir.Path, "exports", "la.csv"));
            var reporter = new CollectingReporter();

            var storage = ReadAll(Path.Combine(dir.Path, "connections"), reporter);
            var eventHubs = ReadAll(Path.Combine(dir.Path, "exports", "eh.json"), reporter);
            var csvErrors = ReadAll(Path.Combine(dir.Path, "exports", "la.csv"), reporter);

            Assert.Empty(reporter.Problems);
            Assert.Equal(6, Directory.GetFiles(Path.Combine(dir.Path, "connections"), "PT1H.json", SearchOption.AllDirectories).Length);
            Assert.Equal(log.Records.Count, eventHubs.Count);
            Assert.True(storage.Count >= log.Records.Count, "the storage form repeats a few records, as the hub may");
            Assert.Equal(eventHubs.Select(Key).ToHashSet(), storage.Select(Key).ToHashSet());
            var errorKeys = eventHubs.Where(e => e.IsError).Select(Key).OrderBy(k => k).ToList();
            Assert.Equal(errorKeys, csvErrors.Select(Key).OrderBy(k => k).ToList());
            Assert.Contains(storage, e => e.DeviceId == "sensor-sas-065" && e.ResultType == "404104");
        }

        [Fact]
        public void SameSeed_SameBytes()
        {
            using var a = new TempFolder();
            using var b = new TempFolder();
            foreach (var dir in new[] { a, b })
            {
                var options = new GeneratorOptions { Devices = 40, Hours = 2 };
                new ConnectionLogWriter(ConnectionLogScenario.Generate(options), options).WriteEventHubRecords(Path.Combine(dir.Path, "eh.json"));
            }

            Assert.Equal(File.ReadAllBytes(Path.Combine(a.Path, "eh.json")), File.ReadAllBytes(Path.Combine(b.Path, "eh.json")));
        }
    }
}
