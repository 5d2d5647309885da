using System;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.Logs;
using Xunit;
using static IoTEdgeTroubleshoot.Tests.Edge.Logs.LogReading;

namespace IoTEdgeTroubleshoot.Tests.Edge.Logs
{
    /// <summary>The log forms of both IoT Edge generations, read into entries.</summary>
    public class LogParsingTests
    {
        private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi, int s, int ms = 0) => new DateTimeOffset(y, mo, d, h, mi, s, ms, TimeSpan.Zero);

        [Fact]
        public void JournalJson_1_1_ReadsTimeLevelSourcePidAndTheDaemonPrefix()
        {
            var reporter = new CollectingReporter();
            var entries = Read(Fixture("journal-1.1.json"), reporter);

            Assert.Empty(reporter.Problems);
            var start = entries[1];
            Assert.Equal("iotedged", start.Source);
            Assert.Equal(812, start.ProcessId);
            Assert.Equal(IoTEdgeLogLevel.Information, start.Level);
            Assert.Equal("Starting Azure IoT Edge Security Daemon", start.Message);
            Assert.Equal(Utc(2026, 5, 20, 10, 11, 12, 120), start.TimeCreated); // __REALTIME_TIMESTAMP, to the microsecond
            Assert.Equal("systemd", entries[0].Source);
            Assert.Equal(IoTEdgeLogLevel.Information, entries[0].Level); // PRIORITY 6
            Assert.Equal(IoTEdgeLogLevel.Warning, entries.Single(e => e.Message.StartsWith("Could not find edge agent image", StringComparison.Ordinal)).Level);
        }

        [Fact]
        public void JournalJson_FoldsTheDaemonsNextLinesIntoItsError_ButNotSystemdsLines()
        {
            var entries = Read(Fixture("journal-1.1.json"));

            var error = entries.Single(e => e.Level == IoTEdgeLogLevel.Error && e.Source == "iotedged");
            Assert.StartsWith("The daemon could not start up successfully", error.Message);
            Assert.Contains("\n\tcaused by: Edge device information is required.", error.Message);
            Assert.Contains("Config \uFFFD\uFFFD bad", error.Message); // MESSAGE as bytes that are not UTF-8
            Assert.Equal(IoTEdgeLogLevel.Information, entries.Single(e => e.Message.StartsWith("iotedge.service: Main process exited", StringComparison.Ordinal)).Level);
        }

        [Fact]
        public void JournalJson_NullMessageAndRepeatedField_AreKeptAndSaid()
        {
            var entries = Read(Fixture("journal-1.1.json"));

            var leftOut = entries.Single(e => e.ProcessId == 845 && e.Message.Contains("left the message out"));
            Assert.Contains("journalctl --all", leftOut.Message);
            var twice = entries.Single(e => e.Message.StartsWith("first value", StringComparison.Ordinal));
            Assert.Equal("first value\nsecond value", twice.Message);
            Assert.Equal(IoTEdgeLogLevel.Debug, twice.Level);
        }

        [Fact]
        public void JournalJson_1_5_ReadsAllFiveServices_NamedAsServices_WithOrWithoutThePriorityPrefix()
        {
            var entries = Read(Fixture("journal-1.5.json"));

            Assert.Equal(new[] { "aziot-certd", "aziot-edged", "aziot-identityd", "aziot-keyd", "aziot-tpmd" }, entries.Select(e => e.Source).Distinct().OrderBy(s => s));
            var withPrefix = entries.Single(e => e.Message.StartsWith("Provisioning with backup", StringComparison.Ordinal));
            Assert.Equal(IoTEdgeLogLevel.Warning, withPrefix.Level);
            Assert.Equal(IoTEdgeLogLevel.Error, entries.Last().Level);
            Assert.Equal("Failed to start the module runtime", entries.Last().Message);
        }

        [Fact]
        public void JournalShortText_TakesTheDaemonsUtcTime_FoldsItsNextLines_AndSkipsMarkers()
        {
            var reporter = new CollectingReporter();
            var entries = Read(Fixture("journal-1.1-short.txt"), reporter);

            Assert.Empty(reporter.Problems);
            Assert.DoesNotContain(entries, e => e.Message.StartsWith("--", StringComparison.Ordinal) || e.Message.StartsWith("Logs begin", StringComparison.Ordinal));
            var error = entries.Single(e => e.Level == IoTEdgeLogLevel.Error);
            Assert.Equal(Utc(2026, 5, 20, 10, 11, 13), error.TimeCreated);
            Assert.Equal(812, error.ProcessId);
            Assert.Equal("The daemon could not start up successfully: Could not configure the device\nFix the provisioning section of config.yaml.\nSee the configuration guide for details.", error.Message);
            Assert.Equal("systemd", entries.Single(e => e.Message.Contains("Main process exited")).Source);
            Assert.Equal(IoTEdgeLogLevel.Debug, entries.Last().Level);
            Assert.Equal(7, entries.Count);
        }

        [Fact]
        public void JournalShortIsoText_ReadsTheAziotServices_AndAZonedJournalTime()
        {
            var entries = Read(Fixture("journal-1.5-short-iso.txt"));

            Assert.Equal(5, entries.Count);
            Assert.Equal(new DateTimeOffset(2026, 7, 20, 10, 11, 12, TimeSpan.Zero), entries[0].TimeCreated);
            Assert.Equal("aziot-identityd", entries[2].Source);
            Assert.Equal("Provisioning starting. Reason: Startup", entries[2].Message);
            Assert.Equal(IoTEdgeLogLevel.Trace, entries[4].Level);
            Assert.Equal(new DateTimeOffset(2026, 7, 20, 8, 11, 14, TimeSpan.Zero), entries[4].TimeCreated);
        }

        [Fact]
        public void ModuleLog_1_1_WithoutPriority_FoldsBannerAndStackTrace_AndReadsEveryLevel()
        {
            var entries = Read(Fixture("edgeAgent.log"));

            Assert.All(entries, e => Assert.Equal("edgeAgent", e.Source)); // from the file's name
            Assert.Equal("Starting Edge Agent", entries[0].Message);
            Assert.Equal(IoTEdgeLogLevel.Unknown, entries[0].Level);
            Assert.Equal(Utc(2026, 5, 20, 10, 12, 1), entries[0].TimeCreated);
            Assert.Equal("Edge Agent Main()", entries[1].Message);
            var banner = entries.Single(e => e.Message.Contains("█████╗"));
            Assert.Equal(IoTEdgeLogLevel.Information, banner.Level);
            var warning = entries.Single(e => e.Level == IoTEdgeLogLevel.Warning);
            Assert.Equal(3, warning.Message.Split('\n').Length - 1);
            Assert.Contains("   at Microsoft.Azure.Devices.Edge.Agent.Core.Agent.ReconcileAsync", warning.Message);
            Assert.Equal(Utc(2026, 5, 20, 10, 12, 9, 117), warning.TimeCreated);
            Assert.Contains(entries, e => e.Level == IoTEdgeLogLevel.Critical);
            Assert.Contains(entries, e => e.Level == IoTEdgeLogLevel.Trace);
            Assert.Contains(entries, e => e.Level == IoTEdgeLogLevel.Debug);
            Assert.Equal(11, entries.Count);
        }

        [Fact]
        public void ModuleLog_1_4_WithPriorityCategoryAndZones()
        {
            var entries = Read(Fixture("edgeHub_log.txt"), source: "edgeHub");

            Assert.Equal(6, entries.Count);
            Assert.Equal(new DateTimeOffset(2026, 7, 20, 15, 41, 12, 101, TimeSpan.FromHours(5.5)), entries[0].TimeCreated);
            Assert.Equal("Microsoft.Azure.Devices.Edge.Hub.Service.Program", entries[0].Category);
            Assert.Equal("Initializing Edge Hub.", entries[0].Message);
            Assert.Contains("--- End of inner exception stack trace ---", entries[2].Message);
            Assert.Equal(IoTEdgeLogLevel.Error, entries[3].Level);
            Assert.Equal(TimeSpan.FromHours(-8), entries[3].TimeCreated!.Value.Offset);
            Assert.Equal(TimeSpan.FromHours(5.5), entries[4].TimeCreated!.Value.Offset);
            Assert.Equal(Utc(2026, 7, 20, 15, 41, 18), entries[5].TimeCreated);
            Assert.EndsWith("edgeHub_log.txt:1", entries[0].Origin);
        }

        [Fact]
        public void TheDaemonsLiveLines_WithAndWithoutThePriorityPrefix()
        {
            var entries = Feed(new[] { "<6>2026-07-20T10:11:12Z [INFO] - msg one", "2026-07-20T10:11:13Z [ERR!] - msg two", "<3>2026-07-20T10:11:14Z [ERR!] - caused by: x" }, source: "aziot-edged");

            Assert.Equal(3, entries.Count);
            Assert.Equal("msg one", entries[0].Message);
            Assert.Equal(IoTEdgeLogLevel.Information, entries[0].Level);
            Assert.Equal(IoTEdgeLogLevel.Error, entries[2].Level);
            Assert.All(entries, e => Assert.Equal("aziot-edged", e.Source));
        }

        [Fact]
        public void AModulesOwnJsonLines_AreItsText_NotJournalRecords()
        {
            var reporter = new CollectingReporter();
            var entries = Feed(new[] { "<6> 2026-07-20 10:11:12.000 +00:00 [INF] - payload follows", "{\"temperature\":21.5,\"unit\":\"C\"}", "{not json" }, "sensor", reporter);

            Assert.Empty(reporter.Problems);
            Assert.Equal("payload follows\n{\"temperature\":21.5,\"unit\":\"C\"}\n{not json", Assert.Single(entries).Message);
        }

        [Fact]
        public void SecretsThatALogPrints_AreMasked_AndPlainEntriesLeftAsTheyAre()
        {
            var entries = Feed(new[]
            {
                "<7> 2026-07-20 10:11:12.000 +00:00 [DBG] - Token: SharedAccessSignature sr=hub.azure-devices.net%2Fdevices%2Fgw&sig=c2lnbmF0dXJlc2lnbmF0dXJl&se=1784545872",
                "   connection string HostName=hub.azure-devices.net;DeviceId=gw;SharedAccessKey=a2V5a2V5a2V5a2V5a2V5a2V5",
                "<6> 2026-07-20 10:11:13.000 +00:00 [INF] - Processing subscription Methods for client gw/filter.",
            });

            Assert.DoesNotContain("c2lnbmF0dXJlc2lnbmF0dXJl", entries[0].Message);
            Assert.DoesNotContain("a2V5a2V5a2V5a2V5a2V5a2V5", entries[0].Message);
            Assert.Contains("SharedAccessKey=***", entries[0].Message);
            Assert.Equal("Processing subscription Methods for client gw/filter.", entries[1].Message);
            Assert.False(IoTEdgeTroubleshoot.Platform.SecretMasker.MayHoldSecret(entries[1].Message));
        }

        [Fact]
        public void AJournalShortLineInAnotherLanguage_KeepsTheDaemonsTime()
        {
            var entries = Feed(new[] { "touko 20 10:11:12 edge-gw-07 aziot-edged[9]: 2026-05-20T07:11:12Z [WARN] - Failed to send HTTP request" });

            var entry = Assert.Single(entries);
            Assert.Equal("aziot-edged", entry.Source);
            Assert.Equal(Utc(2026, 5, 20, 7, 11, 12), entry.TimeCreated);
            Assert.Equal(IoTEdgeLogLevel.Warning, entry.Level);
        }

        [Fact]
        public void Window_StartInclusiveEndExclusive_AndTailKeepsTheLast()
        {
            var start = Utc(2026, 5, 20, 10, 12, 2, 4);
            var end = Utc(2026, 5, 20, 10, 12, 19, 200);

            var inside = Read(Fixture("edgeAgent.log"), start: start, end: end);
            var last = Read(Fixture("edgeAgent.log"), tail: 2);

            Assert.Equal(start, inside.First().TimeCreated);
            Assert.All(inside, e => Assert.True(e.TimeCreated >= start && e.TimeCreated < end));
            Assert.Equal(3, inside.Count);
            Assert.Equal(new[] { "Fatal error, shutting down", "Verbose detail" }, last.Select(e => e.Message));
        }

        [Fact]
        public void SourceFromFileName_TakesOffLogSuffixes()
        {
            Assert.Equal("edgeAgent", LogFileReader.SourceFromFileName("/x/edgeAgent_log.txt"));
            Assert.Equal("edgeHub", LogFileReader.SourceFromFileName("edgeHub.log"));
            Assert.Equal("aziot-edged", LogFileReader.SourceFromFileName("logs/aziot-edged-log.txt"));
            Assert.Equal("journal", LogFileReader.SourceFromFileName("journal.json"));
        }

        [Fact]
        public void AFolderAndASupportBundle_AreReadFileByFile_SourcesFromTheirNames()
        {
            using var folder = new TempFolder();
            System.IO.File.Copy(Fixture("edgeAgent.log"), System.IO.Path.Combine(folder.Path, "edgeAgent_log.txt"));
            System.IO.Directory.CreateDirectory(System.IO.Path.Combine(folder.Path, "logs"));
            System.IO.File.Copy(Fixture("edgeHub_log.txt"), System.IO.Path.Combine(folder.Path, "logs", "edgeHub_log.txt"));
            string zip = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "iet-bundle-" + Guid.NewGuid().ToString("N") + ".zip");
            try
            {
                System.IO.Compression.ZipFile.CreateFromDirectory(folder.Path, zip);

                var fromFolder = Read(folder.Path);
                var fromZip = Read(zip);

                Assert.Equal(new[] { "edgeAgent", "edgeHub" }, fromFolder.Select(e => e.Source).Distinct());
                Assert.Equal(fromFolder.Select(e => e.Message), fromZip.Select(e => e.Message));
                Assert.Contains(fromZip, e => e.Origin!.Contains(".zip!logs/edgeHub_log.txt:"));
            }
            finally
            {
                System.IO.File.Delete(zip);
            }
        }
    }
}
