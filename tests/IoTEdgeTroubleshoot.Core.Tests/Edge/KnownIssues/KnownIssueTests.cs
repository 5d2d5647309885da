using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.KnownIssues;
using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Tests.Edge.Logs;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.KnownIssues
{
    /// <summary>The catalog against a log corpus: one folder per issue (both generations' wording), and clean logs.</summary>
    public class KnownIssueTests
    {
        private static readonly string Corpus = Path.Combine(AppContext.BaseDirectory, "Edge", "KnownIssues", "Corpus");

        public static IEnumerable<object[]> IssueFolders() => KnownIssueCatalog.IssueIds.Select(id => new object[] { id });

        private static IReadOnlyList<IoTEdgeKnownIssue> Find(string path)
        {
            var matcher = new KnownIssueMatcher();
            var reporter = new CollectingReporter();
            new LogFileReader(reporter, CancellationToken.None).Read(path, new LogWindow(null, null, null, matcher.Observe));
            Assert.Empty(reporter.Problems);
            return matcher.Complete();
        }

        private static IReadOnlyList<IoTEdgeKnownIssue> Find(IEnumerable<IoTEdgeLogEntry> entries)
        {
            var matcher = new KnownIssueMatcher();
            foreach (var entry in entries) matcher.Observe(entry);
            return matcher.Complete();
        }

        private static IoTEdgeLogEntry Entry(string message, string source = "edgeAgent", int minute = 0) =>
            new IoTEdgeLogEntry { Message = message, Source = source, TimeCreated = new DateTimeOffset(2026, 7, 20, 10, minute, 0, TimeSpan.Zero) };

        [Theory]
        [MemberData(nameof(IssueFolders))]
        public void EachIssuesCorpus_FindsThatIssue_AndNoOther(string issueId)
        {
            var found = Find(Path.Combine(Corpus, issueId));

            Assert.NotEmpty(found);
            Assert.All(found, issue => Assert.Equal(issueId, issue.IssueId));
            Assert.All(found, issue =>
            {
                Assert.NotEmpty(issue.Evidence);
                Assert.NotEmpty(issue.RootCause);
                Assert.NotEmpty(issue.Resolution);
                Assert.StartsWith("https://learn.microsoft.com/", issue.HelpUri);
                Assert.NotNull(issue.FirstSeen);
                Assert.True(issue.LastSeen >= issue.FirstSeen);
            });
        }

        [Theory]
        [MemberData(nameof(IssueFolders))]
        public void EachIssuesCorpus_HasBothWordings_EveryLineThatShowsItCounted(string issueId)
        {
            // Every line of a corpus file that the issue is about starts an entry that counts.
            var found = Find(Path.Combine(Corpus, issueId));

            Assert.True(found.Sum(f => f.Occurrences) >= 2, $"{issueId}: {found.Sum(f => f.Occurrences)} occurrence(s); the corpus shows it at least twice (both generations, or two wordings)");
        }

        [Fact]
        public void EveryCatalogIssue_HasACorpus_AndEveryCorpusAnIssue()
        {
            var folders = Directory.GetDirectories(Corpus).Select(Path.GetFileName).Where(n => n != "clean").OrderBy(n => n, StringComparer.Ordinal);

            Assert.Equal(KnownIssueCatalog.IssueIds.OrderBy(n => n, StringComparer.Ordinal), folders);
        }

        [Fact]
        public void CleanLogs_OfBothGenerations_YieldNothing()
        {
            Assert.Empty(Find(Path.Combine(Corpus, "clean")));
        }

        [Fact]
        public void ALongCleanLogFromAHealthyDevice_YieldsNothing()
        {
            var healthy = File.ReadAllLines(Path.Combine(Corpus, "clean", "edgeHub.log")).Concat(File.ReadAllLines(Path.Combine(Corpus, "clean", "edgeAgent.log")))
                .Select(line => Regex.Replace(line, @"^(<\d> )?\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+00:00 ", string.Empty))
                .Where(line => !line.StartsWith("Empty edge agent config", StringComparison.Ordinal) && !line.Contains("[WRN] - Empty edge agent config"))
                .ToArray();
            var start = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero);
            var entries = Enumerable.Range(0, 120_000).Select(i => new IoTEdgeLogEntry
            {
                TimeCreated = start.AddSeconds(i * 7),
                Source = i % 2 == 0 ? "edgeHub" : "edgeAgent",
                Message = healthy[i % healthy.Length] + " #" + i,
            });

            Assert.Empty(Find(entries));
        }

        [Fact]
        public void PortInUse_NamesEachPort_InItsTitle()
        {
            var found = Find(Path.Combine(Corpus, "edgehub-port-in-use"));

            Assert.Equal(new[] { "443", "8883", "5671" }, found.Select(f => Regex.Match(f.Title, @"port (\d+)").Groups[1].Value));
            Assert.All(found, f => Assert.Equal("Test-IoTEdgeFirewall -Local", f.RemedyCommand));
        }

        [Fact]
        public void AgentSequence_ThatEndsConnected_OrNeverTriedWebSocket_IsNoIssue()
        {
            Assert.Empty(Find(new[]
            {
                Entry("Edge agent attempting to connect to IoT Hub via Amqp_Tcp_Only...", minute: 1),
                Entry("Edge agent attempting to connect to IoT Hub via Amqp_WebSocket_Only...", minute: 2),
                Entry("Edge agent connected to IoT Hub via Amqp_WebSocket_Only.", minute: 3),
            }));
            Assert.Empty(Find(new[] { Entry("Edge agent attempting to connect to IoT Hub via Amqp_Tcp_Only...") }));
            Assert.Empty(Find(new[] { Entry("Attempting to connect to IoT Hub for client gw/$edgeHub via AMQP over WebSocket...", "edgeHub") }));
        }

        [Fact]
        public void AgentSequence_WebSocketWithoutAnswer_KeepsBothAttemptsAsEvidence()
        {
            var issue = Assert.Single(Find(new[]
            {
                Entry("Edge agent attempting to connect to IoT Hub via AMQP...", minute: 1),
                Entry("Edge agent attempting to connect to IoT Hub via AMQP over WebSocket...", minute: 2),
            }));

            Assert.Equal("edgeagent-no-upstream", issue.IssueId);
            Assert.Equal(2, issue.Occurrences);
            Assert.Equal("Test-IoTEdgeFirewall", issue.RemedyCommand);
            Assert.Equal("2026-07-20 10:02:00Z edgeAgent: Edge agent attempting to connect to IoT Hub via AMQP over WebSocket...", issue.Evidence[1]);
        }

        [Fact]
        public void EmptyConfig_OnceOrTwice_IsAStartUp_ThreeTimesTheIssue()
        {
            var line = "Empty edge agent config was received. Attempting to read config from backup (/tmp/edgeAgent/backup.json) instead";

            Assert.Empty(Find(Enumerable.Range(0, 2).Select(i => Entry(line, minute: i))));
            Assert.Equal("Set-IoTEdgeDns", Assert.Single(Find(Enumerable.Range(0, 3).Select(i => Entry(line, minute: i)))).RemedyCommand);
        }

        [Fact]
        public void EdgeHubsCloudProxy_IsNoHttpProxy()
        {
            Assert.Empty(Find(new[]
            {
                Entry("Error creating cloud proxy for client edge-gw/filterModule: the operation timed out", "edgeHub"),
                Entry("Created cloud proxy for client edge-gw/$edgeHub via AMQP, with client operation timeout 20 seconds.", "edgeHub"),
                Entry("   at Microsoft.Azure.Devices.Edge.Hub.CloudProxy.CloudConnectionProvider.Connect(IIdentity identity) timed out", "edgeHub"),
            }));
            Assert.Single(Find(new[] { Entry("Error connecting upstream: proxy http://10.0.0.5:3128 timed out", "edgeAgent") }));
        }

        [Fact]
        public void OutOfMemory_OfAnotherModule_IsNotEdgeHubs()
        {
            Assert.Empty(Find(new[] { Entry("System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.", "imageClassifier") }));
            Assert.Equal("Set-IoTEdgeHubOptimization", Assert.Single(Find(new[] { Entry("System.OutOfMemoryException was thrown.", "edgeHub") })).RemedyCommand);
        }

        [Fact]
        public void Evidence_IsCapped_FirstLinesAndTheLast_EachCut_AndTheMatchingLineOfAStackTrace()
        {
            var entries = Enumerable.Range(0, 100).Select(i => Entry($"Error handling event {i}\nRocksDbSharp.RocksDbException: IO error: No space left on device {new string('x', 1000)}\n   at RocksDbSharp.Native.rocksdb_put()", "edgeHub", i % 60)).ToList();

            var issue = Assert.Single(Find(entries));

            Assert.Equal(100, issue.Occurrences);
            Assert.Equal(KnownIssueFindings.MaxEvidence, issue.Evidence.Length);
            Assert.All(issue.Evidence, line => Assert.InRange(line.Length, 50, KnownIssueFindings.MaxEvidenceLength + 40));
            Assert.All(issue.Evidence, line => Assert.Contains("RocksDbSharp.RocksDbException: IO error: No space left on device", line));
            Assert.Equal(new DateTimeOffset(2026, 7, 20, 10, 0, 0, TimeSpan.Zero), issue.FirstSeen);
            Assert.Equal(new DateTimeOffset(2026, 7, 20, 10, 59, 0, TimeSpan.Zero), issue.LastSeen);
            Assert.Equal("edgeHub", issue.Source);
        }

        [Fact]
        public void MixedSources_AreNamed_AndFindingsComeEarliestFirst()
        {
            var found = Find(new[]
            {
                Entry("IO error: No space left on device", "edgeHub", 30),
                Entry("could not write: No space left on device (os error 28)", "aziot-edged", 31),
                Entry("Error parsing user input data: invalid hostname. Hostname cannot be empty or greater than 64 characters", "iotedged", 5),
            });

            Assert.Equal(new[] { "invalid-hostname", "disk-full" }, found.Select(f => f.IssueId));
            Assert.Equal("edgeHub, aziot-edged", found[1].Source);
        }

        [Fact]
        public void SecretsInEvidence_AreMasked()
        {
            var issue = Assert.Single(Find(new[] { Entry("Failed to provision with IoT Hub: HostName=hub.azure-devices.net;DeviceId=gw;SharedAccessKey=c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", "aziot-identityd") }));

            Assert.DoesNotContain("c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", string.Join("\n", issue.Evidence));
        }

        [Fact]
        public void TheCatalog_HasUniqueKebabIds_LowerCaseNeedles_AndRemediesThatAreThisModulesCommands()
        {
            var issues = KnownIssueCatalog.Create();

            Assert.Equal(issues.Count, issues.Select(i => i.Id).Distinct().Count());
            Assert.True(issues.Count >= 16);
            Assert.All(issues, issue =>
            {
                Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", issue.Id);
                Assert.NotEmpty(issue.Needles);
                Assert.All(issue.Needles, n => Assert.Equal(n.ToLowerInvariant(), n));
                Assert.False(string.IsNullOrWhiteSpace(issue.Title));
                Assert.EndsWith(".", issue.RootCause);
                Assert.EndsWith(".", issue.Resolution);
                if (issue.RemedyCommand != null) Assert.Matches(@"^(Test|Set|Repair|Restart|Get)-IoTEdge[A-Za-z]+( -[A-Za-z]+( [A-Za-z]+)?)*$", issue.RemedyCommand);
            });
        }

        [Fact]
        public void TheGuidesSymptoms_NameTheGuidesRemedies()
        {
            var remedies = KnownIssueCatalog.Create().ToDictionary(i => i.Id, i => i.RemedyCommand);

            Assert.Equal("Test-IoTEdgeFirewall", remedies["edgeagent-no-upstream"]);
            Assert.Equal("Test-IoTEdgeFirewall -Local", remedies["edgehub-port-in-use"]);
            Assert.Equal("Test-IoTEdgeDeployment", remedies["module-image-403"]);
            Assert.Equal("Set-IoTEdgeHostname", remedies["invalid-hostname"]);
            Assert.Equal("Set-IoTEdgeHubOptimization", remedies["edgehub-out-of-memory"]);
            Assert.Equal("Repair-IoTEdgeEventLog", remedies["eventlog-provider-missing"]);
            Assert.Equal("Test-IoTEdgeModuleDockerfile", remedies["module-not-found-404"]);
            Assert.Equal("Set-IoTEdgeDns", remedies["edgeagent-empty-config"]);
        }

        [Fact]
        public void TheSearch_KeepsNoEntry_AllocatesOnlyForMatches()
        {
            // A healthy entry holds no needle: the prefilter alone looks at it, so many entries cost no memory that stays.
            var matcher = new KnownIssueMatcher();
            var entry = Entry("Processing subscription DesiredPropertyUpdates for client gw/$edgeHub.", "edgeHub");
            for (int i = 0; i < 1000; i++) matcher.Observe(entry); // warm up
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100_000; i++) matcher.Observe(entry);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.True(allocated < 100_000, $"{allocated} bytes allocated for 100,000 clean entries");
            Assert.Empty(matcher.Complete());
        }
    }
}
