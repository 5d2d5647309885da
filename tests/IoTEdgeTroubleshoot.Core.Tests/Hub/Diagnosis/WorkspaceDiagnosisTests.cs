using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Hub.Cloud;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using IoTEdgeTroubleshoot.Hub.Diagnosis.Workspace;
using IoTEdgeTroubleshoot.LoopbackAzure;
using IoTEdgeTroubleshoot.Platform;
using IoTEdgeTroubleshoot.Tests.Hub.Cloud;
using Xunit;
using Xunit.Abstractions;

namespace IoTEdgeTroubleshoot.Tests.Hub.Diagnosis
{
    /// <summary>
    /// Get-IoTHubDisconnectDiagnosis -WorkspaceId against the loopback workspace: the same events served both
    /// ways (files for -Path, AzureDiagnostics rows for the workspace) must give the same verdicts, device by device.
    /// </summary>
    public sealed class WorkspaceDiagnosisTests : IDisposable
    {
        private static readonly DateTimeOffset From = new DateTimeOffset(2026, 11, 19, 0, 0, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset To = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
        private static readonly Func<DateTimeOffset> Clock = () => new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        private readonly CloudTestServer _cloud = new CloudTestServer();
        private readonly CollectingReporter _reporter = new CollectingReporter();
        private readonly ITestOutputHelper _output;

        public WorkspaceDiagnosisTests(ITestOutputHelper output) => _output = output;

        public void Dispose() => _cloud.Dispose();

        private static IReadOnlyList<string> SampleFiles() =>
            LogFileFinder.Find(Path.Combine(TestPaths.RepositoryRoot, "samples", "connections"), NullReporter.Instance, CancellationToken.None);

        private static List<IoTHubDisconnectDiagnosis> FromFiles(IReadOnlyList<string> files, Func<string, bool>? deviceIds = null)
        {
            var analyzer = new DisconnectAnalyzer(Clock);
            analyzer.ReadFiles(files, new ConnectionEventFilter { StartTime = From, EndTime = To, DeviceIdMatches = deviceIds }, NullReporter.Instance, CancellationToken.None);
            return analyzer.Analyze().ToList();
        }

        private WorkspaceDiagnosis NewDiagnosis(params string[] deviceIds) => new WorkspaceDiagnosis
        {
            Query = new DeviceSummaryQuery
            {
                Source = new ConnectionWorkspaceQuery { WorkspaceId = CloudTestServer.WorkspaceId, ResourceId = CloudTestServer.HubId, StartTime = From, EndTime = To, DeviceIds = deviceIds },
            },
        };

        // As the cmdlet runs it: the work on other threads, what it reports relayed on this one.
        private List<IoTHubDisconnectDiagnosis> FromWorkspace(WorkspaceDiagnosis diagnosis, CancellationToken cancellationToken = default)
        {
            var analyzer = new DisconnectAnalyzer(Clock);
            var queue = new QueuedReporter();
            int thread = Environment.CurrentManagedThreadId;
            var relay = new ThreadCheckingReporter(_reporter, thread);
            var work = Task.Run(() => diagnosis.RunAsync(analyzer, _cloud.Settings(), queue, cancellationToken));
            queue.Pump(work, relay);
            work.GetAwaiter().GetResult();
            var results = analyzer.Analyze(relay).ToList();
            diagnosis.Annotate(results);
            return results;
        }

        private static string Verdict(IoTHubDisconnectDiagnosis d) =>
            string.Join(" | ", d.Pattern, d.DeviceId, d.DeviceCount, d.FirstSeen?.ToString("o"), d.LastSeen?.ToString("o"), d.DisconnectCount, d.MedianIntervalMinutes,
                d.MedianReconnectSeconds, string.Join(",", d.RelatedResultTypes), d.Protocol, d.SdkVersion, string.Join(",", d.SampleDeviceIds), d.Confidence, d.Evidence);

        private static void AssertSameVerdicts(List<IoTHubDisconnectDiagnosis> expected, List<IoTHubDisconnectDiagnosis> actual)
        {
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Select(Verdict).ToList(), actual.Select(Verdict).ToList());
        }

        [Fact]
        public void The_samples_served_from_the_workspace_give_every_device_the_verdict_Path_gives()
        {
            var files = SampleFiles();
            Assert.True(_cloud.AddExportedRecords(files) > 3000);

            var expected = FromFiles(files);
            var diagnosis = NewDiagnosis();
            var actual = FromWorkspace(diagnosis);

            AssertSameVerdicts(expected, actual);
            Assert.Contains(expected, d => d.Pattern == DisconnectPattern.HubWide);
            Assert.Equal(7, expected.Select(d => d.Pattern).Distinct().Count()); // every pattern is compared, not only a few
            Assert.Equal(1, diagnosis.Partitions);
            Assert.Equal(2, _cloud.Server.Requests.Count); // the count, then one summary
            Assert.Empty(diagnosis.PartialPartitions);
        }

        [Fact]
        public void Partitions_run_at_most_five_at_once_with_progress_and_give_the_same_verdicts()
        {
            var files = SampleFiles();
            _cloud.AddExportedRecords(files);
            var diagnosis = NewDiagnosis();
            diagnosis.DevicesPerAnswer = 20; // the samples' devices: a dozen partitions
            _cloud.Server.QueryDelayMilliseconds = 150; // slow answers, so that partitions overlap
            _cloud.Server.QueryHoldUntilInFlight = 2; // and the partitions' held until two do, however slowly a loaded machine starts them
            _cloud.Server.QueryHoldBodyContains = "make_list_if";

            var actual = FromWorkspace(diagnosis);

            Assert.True(diagnosis.Partitions >= 5, $"{diagnosis.Partitions} partitions");
            AssertSameVerdicts(FromFiles(files), actual);
            Assert.InRange(_cloud.Server.MostConcurrentRequests, 2, WorkspaceDiagnosis.MaxConcurrentQueries);
            Assert.Equal(diagnosis.Partitions + 1, _cloud.Server.Requests.Count);
            var progress = _reporter.Progress.Where(p => p.ActivityId == 14).ToList();
            Assert.True(progress.Count >= diagnosis.Partitions + 1);
            Assert.True(progress.Last().Completed);
            Assert.Contains(_reporter.Verbose, v => v.Contains($"{diagnosis.Partitions} partition(s) by hash(DeviceId, {diagnosis.Partitions})", StringComparison.Ordinal));
        }

        [Fact]
        public void A_partition_answer_cut_at_the_row_limit_is_split_until_whole()
        {
            var files = SampleFiles();
            _cloud.AddExportedRecords(files);
            _cloud.Server.ServiceRowLimit = 40; // the samples hold more devices: the first answer is cut
            var diagnosis = NewDiagnosis();

            var actual = FromWorkspace(diagnosis);

            Assert.Equal(1, diagnosis.Partitions);
            Assert.Contains(_reporter.Verbose, v => v.Contains("partition 0 of 1 was cut", StringComparison.Ordinal));
            Assert.Contains(_cloud.Server.Requests, r => r.Body.Contains("hash(DeviceId, 4)", StringComparison.Ordinal));
            Assert.Empty(diagnosis.PartialPartitions);
            AssertSameVerdicts(FromFiles(files), actual);
        }

        [Fact]
        public void A_partial_partition_answer_warns_and_the_diagnoses_of_its_devices_name_the_partition()
        {
            var files = SampleFiles();
            _cloud.AddExportedRecords(files);
            var diagnosis = NewDiagnosis();
            diagnosis.DevicesPerAnswer = 100; // a few partitions
            _cloud.Server.AddFault(new Fault { PathContains = "/query", BodyContains = ") == 1\\n", PartialErrorMessage = "Query execution lacks memory resources to complete (80DA0007)." });

            var actual = FromWorkspace(diagnosis);

            Assert.True(diagnosis.Partitions >= 2);
            string name = $"partition 1 of {diagnosis.Partitions}";
            Assert.Equal(new[] { name }, diagnosis.PartialPartitions);
            Assert.Contains(_reporter.Warnings, w => w.Contains(name, StringComparison.Ordinal) && w.Contains("80DA0007", StringComparison.Ordinal));
            Assert.Contains(actual, d => d.DeviceId.Length > 0 && d.Evidence.EndsWith($"Log Analytics answered {name}, which holds this device, only in part: its events may be incomplete.", StringComparison.Ordinal));
            Assert.Contains(actual, d => d.DeviceId.Length > 0 && !d.Evidence.Contains("only in part", StringComparison.Ordinal));
            Assert.All(actual.Where(d => d.Pattern == DisconnectPattern.HubWide), d => Assert.Contains(name + " only in part", d.Evidence, StringComparison.Ordinal));
        }

        [Fact]
        public void A_device_over_the_cap_says_so_in_its_verdict_as_Path_does()
        {
            using var temp = new TempFolder();
            var start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
            var lines = new List<string>();
            // A device dropping every 90 seconds for a day and a half: 3 events per cycle, over the 4,096 cap.
            for (int i = 0; i < 1500; i++)
            {
                var t = start.AddSeconds(90 * i);
                lines.Add(Line(t, "chatty", "deviceDisconnect", "Error", "401003"));
                lines.Add(Line(t.AddSeconds(1), "chatty", "deviceDisconnect", "Error", "404104"));
                lines.Add(Line(t.AddSeconds(30), "chatty", "deviceConnect", "Information", ""));
            }

            lines.AddRange(Enumerable.Range(0, 3).Select(i => Line(start.AddHours(i), "quiet-" + i, "deviceConnect", "Information", "")));
            string file = temp.Write("PT1H.json", string.Join("\n", lines));
            _cloud.AddExportedRecords(new[] { file });

            var expected = FromFiles(new[] { file });
            var actual = FromWorkspace(NewDiagnosis());

            AssertSameVerdicts(expected, actual);
            var chatty = Assert.Single(actual, d => d.DeviceId == "chatty");
            Assert.Contains($"Only its newest {DeviceTimeline.MaxEntries} events", chatty.Evidence, StringComparison.Ordinal);
            Assert.Contains($"{4500 - DeviceTimeline.MaxEntries} older ones were left out", chatty.Evidence, StringComparison.Ordinal);
            Assert.Contains(_reporter.Warnings, w => w.Contains("1 device(s) had more than 4096 events", StringComparison.Ordinal));
        }

        [Fact]
        public void Hostile_device_ids_enter_the_queries_only_as_literals_and_get_the_verdicts_Path_gives()
        {
            using var temp = new TempFolder();
            var hostile = new[] { "a\"b", "x\\\" | take 1 //", "line\nbreak", "semi; drop table", "dev | where 1==1", "quote's\\" };
            var start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
            var lines = new List<string>();
            foreach (var (id, n) in hostile.Append("innocent").Select((id, n) => (id, n)))
            {
                lines.Add(Line(start, id, "deviceConnect", "Information", ""));
                for (int i = 1; i <= 8; i++)
                {
                    var t = start.AddMinutes(65 * i + 7 * n); // apart: not one hub-wide incident
                    lines.Add(Line(t, id, "deviceDisconnect", "Error", "401003"));
                    lines.Add(Line(t.AddSeconds(1), id, "deviceDisconnect", "Error", "404104"));
                    lines.Add(Line(t.AddSeconds(20), id, "deviceConnect", "Information", ""));
                }
            }

            string file = temp.Write("PT1H.json", string.Join("\n", lines));
            _cloud.AddExportedRecords(new[] { file });
            var wanted = new HashSet<string>(hostile, StringComparer.OrdinalIgnoreCase);

            var expected = FromFiles(new[] { file }, wanted.Contains);
            var diagnosis = NewDiagnosis(hostile);
            var actual = FromWorkspace(diagnosis);

            AssertSameVerdicts(expected, actual);
            Assert.Equal(hostile.OrderBy(h => h, StringComparer.Ordinal), actual.Select(d => d.DeviceId).Where(d => d.Length > 0).OrderBy(h => h, StringComparer.Ordinal));
            foreach (var (kql, plain) in diagnosis.Queries(8).Zip(NewDiagnosis("plain").Queries(8)))
            {
                Assert.Contains("DeviceId =~ \"x\\\\\\\" | take 1 //\"", kql, StringComparison.Ordinal);
                Assert.Contains("DeviceId =~ \"line\\nbreak\"", kql, StringComparison.Ordinal);
                Assert.Equal(plain.Split('\n').Length, kql.Split('\n').Length); // no value adds a line
            }
        }

        [Fact]
        public void An_empty_workspace_answers_204_and_nothing_is_diagnosed()
        {
            _cloud.Server.AddFault(new Fault { PathContains = "/query", Status = 204 });
            var diagnosis = NewDiagnosis();

            var actual = FromWorkspace(diagnosis);

            Assert.Empty(actual);
            Assert.Equal(0, diagnosis.Devices);
            Assert.Single(_cloud.Server.Requests); // no summary asked for
            Assert.Contains(_reporter.Verbose, v => v.Contains("holds no connect or disconnect", StringComparison.Ordinal));
        }

        [Fact]
        public void A_429_with_Retry_After_on_a_partition_is_waited_out_and_retried()
        {
            var files = SampleFiles();
            _cloud.AddExportedRecords(files);
            _cloud.Server.AddFault(new Fault { PathContains = "/query", BodyContains = "make_list_if", Status = 429, Body = "{\"error\":{\"code\":\"ThrottledError\",\"message\":\"Too many requests\"}}", Headers = new Dictionary<string, string> { ["Retry-After"] = "1" } });
            var watch = System.Diagnostics.Stopwatch.StartNew();

            var actual = FromWorkspace(NewDiagnosis());

            Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"waited {watch.Elapsed}");
            Assert.Equal(3, _cloud.Server.Requests.Count);
            AssertSameVerdicts(FromFiles(files), actual);
        }

        [Fact]
        public async Task Cancelling_stops_the_partitions_promptly()
        {
            _cloud.AddExportedRecords(SampleFiles());
            var diagnosis = NewDiagnosis();
            diagnosis.DevicesPerAnswer = 20;
            for (int i = 0; i < 5; i++) _cloud.Server.AddFault(new Fault { PathContains = "/query", BodyContains = "make_list_if", Status = 200, DelayMilliseconds = 60_000, Body = "{}" });

            // Ctrl+C once a partition's query has arrived (a fixed second from the start was too short for a loaded
            // machine's first HTTPS requests: the count and a partition had then not both been asked).
            using var cancel = new CancellationTokenSource();
            var sinceCancel = new System.Diagnostics.Stopwatch();
            var pressCtrlC = Task.Run(async () =>
            {
                var waited = System.Diagnostics.Stopwatch.StartNew();
                while (!_cloud.Server.Requests.Any(r => r.Body.Contains("make_list_if")) && waited.Elapsed < TimeSpan.FromMinutes(1)) await Task.Delay(20);
                sinceCancel.Start();
                cancel.Cancel();
            });

            Assert.ThrowsAny<OperationCanceledException>(() => FromWorkspace(diagnosis, cancel.Token));
            var afterCtrlC = sinceCancel.Elapsed;
            await pressCtrlC;

            Assert.True(afterCtrlC < TimeSpan.FromSeconds(15), $"took {afterCtrlC} after Ctrl+C"); // not the minute the answers wait
            Assert.InRange(_cloud.Server.Requests.Count, 2, 1 + WorkspaceDiagnosis.MaxConcurrentQueries);
        }

        [Fact]
        public void The_summaries_cost_a_fraction_of_the_raw_rows_bytes()
        {
            _cloud.AddExportedRecords(SampleFiles());
            var raw = new ConnectionWorkspaceQuery { WorkspaceId = CloudTestServer.WorkspaceId, ResourceId = CloudTestServer.HubId, StartTime = From, EndTime = To };
            int events = raw.Run(_cloud.Settings(), new ConnectionEventFilter(), _reporter, CancellationToken.None).Count();
            long rawBytes = _cloud.Server.ResponseBytes;
            _cloud.Server.ResetResponseBytes();

            FromWorkspace(NewDiagnosis());
            long summaryBytes = _cloud.Server.ResponseBytes;

            double ratio = (double)rawBytes / summaryBytes;
            _output.WriteLine($"{events} events: raw rows {rawBytes} bytes, summaries {summaryBytes} bytes, ratio {ratio:0.0}");
            Assert.True(ratio > 5, $"raw {rawBytes} bytes, summaries {summaryBytes} bytes");
        }

        [Theory]
        [InlineData("\"not json\"")]
        [InlineData("\"[[1,2,3]]\"")]
        [InlineData("\"[[1,-5]]\"")]
        [InlineData("{\"a\":1}")]
        [InlineData("\"[[\\\"5\\\",7]]\"")]
        [InlineData("[[5,\"7\"]]")]
        [InlineData("[[null,7]]")]
        [InlineData("[[1.5,7]]")]
        public void A_summary_whose_entries_are_not_the_asked_shape_is_AzureResponseMalformed(string entries)
        {
            _cloud.AddExportedRecords(SampleFiles());
            _cloud.Server.AddFault(new Fault
            {
                PathContains = "/query",
                BodyContains = "make_list_if",
                Status = 200,
                Body = "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"Key\",\"type\":\"string\"},{\"name\":\"Total\",\"type\":\"long\"},{\"name\":\"Entries\",\"type\":\"dynamic\"}],\"rows\":[[\"dev\",1," + entries + "]]}]}",
            });

            var ex = Assert.Throws<TroubleshootException>(() => FromWorkspace(NewDiagnosis()));

            Assert.Equal(ErrorIds.AzureResponseMalformed, ex.ErrorId);
            Assert.Contains("device summary", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void The_partitions_follow_the_budget()
        {
            var diagnosis = NewDiagnosis();

            Assert.Equal(1, diagnosis.PartitionsFor(3_903, 120));
            Assert.Equal(5, diagnosis.PartitionsFor(1_000, 450_000)); // devices: 100,000 per answer
            Assert.Equal(22, diagnosis.PartitionsFor(30_000_000, 50_000)); // bytes: 30 M entries of 24 bytes over 32 MB answers
            Assert.Equal(4096, diagnosis.PartitionsFor(long.MaxValue / 64, 1_000_000_000));
        }

        /// <summary>An export-format record with any device id, escaped as JSON escapes it.</summary>
        private static string Line(DateTimeOffset time, string device, string operation, string level, string resultType)
        {
            var properties = new JsonObject
            {
                ["deviceId"] = device,
                ["protocol"] = "Mqtt",
                ["authType"] = "{\"scope\":\"device\",\"type\":\"sas\",\"issuer\":\"iothub\",\"acceptingIpFilterRule\":null}",
                ["maskedIpAddress"] = "203.0.113.XXX",
                ["statusCode"] = resultType.Length > 0 ? "401" : null,
                ["errorMessage"] = "",
                ["sdkVersion"] = "azure-iot-device-csharp/1.42.0",
            };
            return new JsonObject
            {
                ["time"] = time.UtcDateTime.ToString("o"),
                ["resourceId"] = CloudTestServer.HubId.ToUpperInvariant(),
                ["operationName"] = operation,
                ["category"] = "Connections",
                ["level"] = level,
                ["resultType"] = resultType,
                ["resultDescription"] = resultType.Length > 0 ? "Unauthorized" : "",
                ["properties"] = properties.ToJsonString(),
            }.ToJsonString();
        }

        /// <summary>Relays to the collector, failing when a report arrives on another thread than the caller's.</summary>
        private sealed class ThreadCheckingReporter : IReporter
        {
            private readonly IReporter _inner;
            private readonly int _thread;

            public ThreadCheckingReporter(IReporter inner, int thread)
            {
                _inner = inner;
                _thread = thread;
            }

            public void Verbose(string message) => On(() => _inner.Verbose(message));

            public void Warning(string message) => On(() => _inner.Warning(message));

            public void Progress(ProgressReport progress) => On(() => _inner.Progress(progress));

            public void Problem(Problem problem) => On(() => _inner.Problem(problem));

            private void On(Action say)
            {
                Assert.Equal(_thread, Environment.CurrentManagedThreadId);
                say();
            }
        }
    }
}
