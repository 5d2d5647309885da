using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using IoTEdgeTroubleshoot.LogGenerator;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub.Diagnosis
{
    /// <summary>Timelines built by hand, one per pattern and edge case.</summary>
    public class DisconnectAnalyzerTests
    {
        private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        private const string NetSdk = "Microsoft.Azure.Devices.Client/1.42.3 (.NET 6.0.25; Linux; X64)";

        private static IoTHubConnectionEvent Connect(string device, double minute, string protocol = "Mqtt", string sdk = NetSdk, string ip = "203.0.113.XXX") =>
            new IoTHubConnectionEvent { DeviceId = device, OperationName = "deviceConnect", Level = "Information", TimeGenerated = T0.AddMinutes(minute), Protocol = protocol, SdkVersion = sdk, MaskedIpAddress = ip, Category = "Connections" };

        private static IoTHubConnectionEvent Drop(string device, double minute, string code = "404104", string operation = "deviceDisconnect", string protocol = "Mqtt", string ip = "203.0.113.XXX") =>
            new IoTHubConnectionEvent { DeviceId = device, OperationName = operation, Level = "Error", ResultType = code, TimeGenerated = T0.AddMinutes(minute), Protocol = protocol, SdkVersion = NetSdk, MaskedIpAddress = ip, Category = "Connections" };

        private static IoTHubConnectionEvent CleanDisconnect(string device, double minute) =>
            new IoTHubConnectionEvent { DeviceId = device, OperationName = "deviceDisconnect", Level = "Information", TimeGenerated = T0.AddMinutes(minute), Category = "Connections" };

        /// <summary>A device renewing its SAS token every <paramref name="period"/> minutes over MQTT.</summary>
        private static IEnumerable<IoTHubConnectionEvent> Periodic(string device, double period, int cycles, double jitter = 0, double start = 5, bool withUnauthorized = true)
        {
            // A seed from the id's characters: string.GetHashCode differs per process, which made runs differ.
            var random = new Random(device.Sum(c => (int)c));
            yield return Connect(device, start - 4);
            for (int i = 1; i <= cycles; i++)
            {
                double t = start + i * period + (random.NextDouble() * 2 - 1) * jitter;
                if (withUnauthorized) yield return Drop(device, t - 1.0 / 60, "401003");
                yield return Drop(device, t);
                yield return Connect(device, t + 0.5);
            }
        }

        private static IReadOnlyList<IoTHubDisconnectDiagnosis> Analyze(IEnumerable<IoTHubConnectionEvent> events, IEnumerable<ConnectedDeviceMetricPoint>? metric = null)
        {
            var analyzer = new DisconnectAnalyzer();
            foreach (var e in events) analyzer.Add(e);
            foreach (var p in metric ?? Enumerable.Empty<ConnectedDeviceMetricPoint>()) analyzer.AddMetric(p);
            return analyzer.Analyze();
        }

        /// <summary>Steady devices around the one under test, so that "the end of the logs" is later.</summary>
        private static IEnumerable<IoTHubConnectionEvent> Background(double until) =>
            Enumerable.Range(0, 3).SelectMany(i => new[] { Connect("steady-" + i, 1), CleanDisconnect("steady-" + i, until), Connect("steady-" + i, until + 1) });

        [Fact]
        public void TheEvidenceOfPeriodicAndRandomDevices_ReadsAsWritten()
        {
            // The two texts a fleet's diagnoses mostly carry, whole: every clause, number and unit in its place
            // (written into one buffer, they must read as the joined pieces did).
            var flaky = new List<IoTHubConnectionEvent> { Connect("flaky", 0) };
            foreach (var (drop, back) in new[] { (30.0, 31.5), (95.0, 97.0), (140.0, 190.0), (400.0, 400.25) })
            {
                flaky.Add(Drop("flaky", drop));
                flaky.Add(Connect("flaky", back));
            }

            // Over AMQP with an SDK the analysis does not know: no keep-alive clause.
            var custom = new List<IoTHubConnectionEvent> { Connect("custom", 0, protocol: "Amqp", sdk: "custom-client/1.0") };
            foreach (var (drop, back) in new[] { (20.0, 22.0), (70.0, 71.0), (300.0, 304.0), (310.0, 311.0) })
            {
                custom.Add(Drop("custom", drop, protocol: "Amqp"));
                custom.Add(Connect("custom", back, protocol: "Amqp", sdk: "custom-client/1.0"));
            }

            // Numbers are written in the session's culture, as PowerShell shows them: the texts below are the invariant one's.
            var culture = System.Globalization.CultureInfo.CurrentCulture;
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
            IReadOnlyList<IoTHubDisconnectDiagnosis> results;
            try
            {
                results = Analyze(Periodic("renewer", 65, 12, jitter: 0.5).Concat(Periodic("quiet-renewer", 47, 10, withUnauthorized: false))
                    .Concat(flaky).Concat(custom).Concat(Background(1400)));
            }
            finally
            {
                System.Globalization.CultureInfo.CurrentCulture = culture;
            }

            string EvidenceOf(string device) => results.Single(d => d.DeviceId == device).Evidence;

            // As the build before the buffer wrote them (checked against it).
            Assert.Equal(
                "12 disconnects every 65 min (spread 0.5%, 100% of intervals on the period), 12 with 401003 IoTHubUnauthorized just before; reconnected after a median 30 s; the .NET SDK renews its SAS token over MQTT every 60-70 min.",
                EvidenceOf("renewer"));
            Assert.Equal(
                "10 disconnects every 47 min (spread 0%, 100% of intervals on the period); reconnected after a median 30 s; the .NET SDK renews its SAS token over MQTT every 60-70 min.",
                EvidenceOf("quiet-renewer"));
            Assert.Equal(
                "4 disconnects at irregular intervals (median 65 min, variation 96%); reconnected after a median 1.8 min (longest 50 min); Mqtt; .NET SDK, keep-alive 300 s (the hub closes after 450 s of silence).",
                EvidenceOf("flaky"));
            Assert.Equal(
                "4 disconnects at irregular intervals (median 50 min, variation 121%); reconnected after a median 1.5 min (longest 4 min); Amqp.",
                EvidenceOf("custom"));
        }

        [Fact]
        public void SasRenewalEvery65Minutes_IsPeriodic_WithHighConfidence()
        {
            var result = Assert.Single(Analyze(Periodic("dev", 65, 20, jitter: 1.2).Concat(Background(1400))));

            Assert.Equal(DisconnectPattern.Periodic, result.Pattern);
            Assert.Equal("dev", result.DeviceId);
            Assert.Equal(DiagnosisConfidence.High, result.Confidence);
            Assert.Equal(20, result.DisconnectCount);
            Assert.InRange(result.MedianIntervalMinutes!.Value, 64, 66);
            Assert.Equal(30, result.MedianReconnectSeconds);
            Assert.Contains("401003", result.Evidence);
            Assert.Contains(".NET SDK", result.Evidence);
            Assert.Equal(new[] { "401003 (20)", "404104 (20)" }, result.RelatedResultTypes); // equal counts: by code
            Assert.Contains("#401003", result.HelpUri);
        }

        [Theory]
        [InlineData(45, 0.5)]
        [InlineData(48, 0.4)]
        [InlineData(58, 0.6)]
        [InlineData(37, 1.0)] // not an SDK period, but a stable one
        public void JitterAroundThePeriod_IsStillPeriodic(double period, double jitter)
        {
            var result = Assert.Single(Analyze(Periodic("dev", period, 12, jitter).Concat(Background(900))));

            Assert.Equal(DisconnectPattern.Periodic, result.Pattern);
            Assert.InRange(result.MedianIntervalMinutes!.Value, period - 1, period + 1);
        }

        [Fact]
        public void AMissingDrop_DoesNotBreakThePeriod()
        {
            var events = Periodic("dev", 48, 14).Where(e => Math.Abs((e.TimeGenerated - T0).TotalMinutes - (5 + 7 * 48)) > 2);

            var result = Assert.Single(Analyze(events.Concat(Background(900))));

            Assert.Equal(DisconnectPattern.Periodic, result.Pattern);
            Assert.InRange(result.MedianIntervalMinutes!.Value, 47, 49);
        }

        [Fact]
        public void TwoDisconnectsOnly_GiveNoVerdict()
        {
            var events = new[] { Connect("dev", 0), Drop("dev", 100), Connect("dev", 101), Drop("dev", 165), Connect("dev", 166) };

            Assert.Empty(Analyze(events.Concat(Background(400))));
        }

        [Fact]
        public void OutOfOrderAndDuplicatedEvents_GiveTheSameDiagnoses()
        {
            var ordered = Periodic("a", 65, 10, 1).Concat(Periodic("b", 48, 12, 0.3)).Concat(Background(800)).ToList();
            var shuffled = ordered.OrderBy(e => (e.DeviceId.Sum(c => (int)c) ^ e.TimeGenerated.Ticks.GetHashCode()) % 97).ToList();
            shuffled.AddRange(ordered.Where((e, i) => i % 5 == 0)); // the hub logged some twice

            var expected = Analyze(ordered).Select(Describe).ToList();
            var actual = Analyze(shuffled).Select(Describe).ToList();

            Assert.Equal(2, expected.Count);
            Assert.Equal(expected, actual);
        }

        [Fact]
        public void IrregularDrops_AreRandom_WithReconnectEvidence()
        {
            var gaps = new[] { 37.0, 190, 65, 400, 22, 130, 310 };
            var events = new List<IoTHubConnectionEvent> { Connect("truck", 0, sdk: "azure-iot-device-iothub-py/2.12.0") };
            double t = 0;
            foreach (var gap in gaps)
            {
                t += gap;
                events.Add(Drop("truck", t));
                events.Add(Connect("truck", t + 3, sdk: "azure-iot-device-iothub-py/2.12.0"));
            }

            var result = Assert.Single(Analyze(events.Concat(Background(1500))));

            Assert.Equal(DisconnectPattern.Random, result.Pattern);
            Assert.Equal(DiagnosisConfidence.High, result.Confidence);
            Assert.Equal(7, result.DisconnectCount);
            Assert.Equal(180, result.MedianReconnectSeconds);
            Assert.Contains("Python SDK, keep-alive 60 s", result.Evidence);
            Assert.Contains("keep-alive", result.Solution);
        }

        [Fact]
        public void ManyDevicesAtOnce_AreOneHubWideDiagnosis_AndNotBlamedOneByOne()
        {
            var events = new List<IoTHubConnectionEvent>();
            for (int i = 0; i < 30; i++)
            {
                string id = $"sensor-{i:D2}";
                events.Add(Connect(id, 1));
                events.Add(Drop(id, 600 + i * 0.1));
                if (i % 3 == 0) events.Add(Drop(id, 600.5 + i * 0.1, "500001", "deviceConnect"));
                events.Add(Connect(id, 602 + i * 0.1));
                events.Add(CleanDisconnect(id, 1400));
                events.Add(Connect(id, 1401));
            }

            // Two periodic devices are hit too: they stay periodic.
            events.AddRange(Periodic("renewer-1", 48, 25));
            events.AddRange(Periodic("renewer-2", 65, 19));
            events.Add(Drop("renewer-1", 600.2));
            events.Add(Drop("renewer-2", 600.3));

            var results = Analyze(events);

            var hubWide = Assert.Single(results, r => r.Pattern == DisconnectPattern.HubWide);
            Assert.Equal(string.Empty, hubWide.DeviceId);
            Assert.Equal(32, hubWide.DeviceCount);
            Assert.Equal(T0.AddMinutes(600), hubWide.FirstSeen);
            Assert.True(hubWide.LastSeen <= T0.AddMinutes(604));
            Assert.Contains("500001 (10)", hubWide.RelatedResultTypes);
            Assert.Contains("Resource Health", hubWide.Solution);
            Assert.Equal(10, hubWide.SampleDeviceIds.Length);
            Assert.DoesNotContain(results, r => r.DeviceId.StartsWith("sensor-", StringComparison.Ordinal));
            Assert.Equal(new[] { "renewer-1", "renewer-2" }, results.Where(r => r.Pattern == DisconnectPattern.Periodic).Select(r => r.DeviceId));
        }

        [Fact]
        public void ConnectedDeviceMetric_CorroboratesOrContradictsAHubWideIncident()
        {
            var events = Enumerable.Range(0, 12).SelectMany(i => new[] { Connect($"d{i}", 1), Drop($"d{i}", 300 + i * 0.2), Connect($"d{i}", 304), CleanDisconnect($"d{i}", 700), Connect($"d{i}", 701) }).ToList();
            var dip = Enumerable.Range(0, 600).Select(m => new ConnectedDeviceMetricPoint(T0.AddMinutes(m), m >= 300 && m < 304 ? 2 : 12));
            var flat = Enumerable.Range(0, 600).Select(m => new ConnectedDeviceMetricPoint(T0.AddMinutes(m), 12));

            var corroborated = Assert.Single(Analyze(events, dip), r => r.Pattern == DisconnectPattern.HubWide);
            var contradicted = Assert.Single(Analyze(events, flat), r => r.Pattern == DisconnectPattern.HubWide);
            var alone = Assert.Single(Analyze(events), r => r.Pattern == DisconnectPattern.HubWide);

            Assert.Equal(DiagnosisConfidence.High, corroborated.Confidence);
            Assert.Contains("fell from 12 to 2", corroborated.Evidence);
            Assert.Equal(DiagnosisConfidence.Low, contradicted.Confidence);
            Assert.Contains("did not dip", contradicted.Evidence);
            Assert.Equal(DiagnosisConfidence.Medium, alone.Confidence);
        }

        [Fact]
        public void AHubWideIncident_TimesEachDevicesFirstReconnectOnly()
        {
            // Every device reconnects 3 min after its drop, then disconnects and connects again within the
            // incident's aftermath: only the first connect is a reconnect (a second one once counted as a
            // reconnect of minus 27,000 years, which pulled the median down).
            var events = Enumerable.Range(0, 12).SelectMany(i => new[]
            {
                Connect($"d{i}", 1), Drop($"d{i}", 300 + i * 0.2), Connect($"d{i}", 303 + i * 0.2),
                CleanDisconnect($"d{i}", 305), Connect($"d{i}", 306), CleanDisconnect($"d{i}", 700), Connect($"d{i}", 701),
            });

            var hubWide = Assert.Single(Analyze(events), r => r.Pattern == DisconnectPattern.HubWide);

            Assert.Equal(180, hubWide.MedianReconnectSeconds);
            Assert.Contains("reconnected after a median 3 min", hubWide.Evidence);
        }

        [Fact]
        public void SteadyAndAmqpDevices_ProduceNothing()
        {
            // Over AMQP the SDK renews its token on the open link: no disconnect to see.
            var events = new[] { Connect("amqp-1", 0, "Amqp"), Connect("amqp-2", 3, "AmqpWs") }
                .Concat(Background(700))
                .Concat(new[] { CleanDisconnect("amqp-1", 1300), Connect("amqp-1", 1301) });

            Assert.Empty(Analyze(events));
        }

        [Fact]
        public void PeriodicOverAmqp_PointsAwayFromTokenRenewal()
        {
            var events = Periodic("amqp", 30, 10, withUnauthorized: false).Select(e => { e.Protocol = "Amqp"; return e; });

            var result = Assert.Single(Analyze(events.Concat(Background(500))));

            Assert.Equal(DisconnectPattern.Periodic, result.Pattern);
            Assert.Contains("AMQP clients renew SAS tokens without disconnecting", result.Cause);
        }

        [Fact]
        public void TwoClientsWithOneIdentity_AreDuplicateIdentity()
        {
            var events = new List<IoTHubConnectionEvent>();
            for (int i = 0; i < 12; i++)
            {
                string ip = i % 2 == 0 ? "203.0.113.XXX" : "198.51.100.XXX";
                events.Add(Connect("gw", i * 10, ip: ip));
                events.Add(Drop("gw", i * 10 + 0.01, i % 4 == 0 ? "400027" : "409002", ip: i % 2 == 0 ? "198.51.100.XXX" : "203.0.113.XXX"));
            }

            var result = Assert.Single(Analyze(events.Concat(Background(200))));

            Assert.Equal(DisconnectPattern.DuplicateIdentity, result.Pattern);
            Assert.Equal(DiagnosisConfidence.High, result.Confidence);
            Assert.Equal(12, result.DisconnectCount);
            Assert.Contains("2 different addresses", result.Evidence);
        }

        [Fact]
        public void LastEventADisconnect_LongAgo_IsNeverReconnected_ButNotWhenRecent()
        {
            var gone = new[] { Connect("kiosk", 0), Drop("kiosk", 100) };
            var recent = new[] { Connect("late", 0), Drop("late", 395) };

            var results = Analyze(gone.Concat(recent).Concat(Background(400)));

            var result = Assert.Single(results);
            Assert.Equal(DisconnectPattern.NeverReconnected, result.Pattern);
            Assert.Equal("kiosk", result.DeviceId);
            Assert.Equal(DiagnosisConfidence.High, result.Confidence);
            Assert.Contains("5 h", result.Evidence);
        }

        [Fact]
        public void RepeatedUnauthorizedConnects_AreAuthenticationFailure_NotPeriodic()
        {
            var events = Enumerable.Range(0, 20).Select(i => Drop("camera", 200 + i * 5, "401003", "deviceConnect"));

            var result = Assert.Single(Analyze(events.Concat(Background(400))));

            Assert.Equal(DisconnectPattern.AuthenticationFailure, result.Pattern);
            Assert.Equal(20, result.DisconnectCount);
            Assert.Equal(DiagnosisConfidence.High, result.Confidence);
        }

        [Fact]
        public void RepeatedNotFound_IsDeviceNotFound()
        {
            var events = Enumerable.Range(0, 6).Select(i => Drop("retired", i * 10, "404001", "deviceConnect"));

            var result = Assert.Single(Analyze(events.Concat(Background(100))));

            Assert.Equal(DisconnectPattern.DeviceNotFound, result.Pattern);
            Assert.Equal(10, result.MedianIntervalMinutes);
        }

        [Fact]
        public void ModulesOfOneDevice_AreAnalysedApart()
        {
            var hub = Periodic("edge-1", 48, 10).Select(e => { e.ModuleId = "$edgeHub"; return e; });
            var agent = new[] { Connect("edge-1", 0) }.Select(e => { e.ModuleId = "$edgeAgent"; return e; });

            var result = Assert.Single(Analyze(hub.Concat(agent).Concat(Background(600))));

            Assert.Equal("edge-1/$edgeHub", result.DeviceId);
        }

        internal static string Describe(IoTHubDisconnectDiagnosis d) =>
            $"{d.Pattern}|{d.DeviceId}|{d.DeviceCount}|{d.FirstSeen:o}|{d.LastSeen:o}|{d.DisconnectCount}|{d.MedianIntervalMinutes}|{d.MedianReconnectSeconds}|{string.Join(",", d.RelatedResultTypes)}|{d.Protocol}|{d.SdkVersion}|{d.Confidence}|{d.Evidence}";
    }

    /// <summary>Records that name their device twice: the fast path's device slot must follow the id that stands.</summary>
    public class DeviceIdSetTwiceTests
    {
        [Theory]
        [InlineData(",\"deviceId\":\"meter-b\"")] // a top-level device id after the properties: the full parse keeps it
        [InlineData(",\"deviceId\":null")]
        [InlineData(",\"deviceId\":\"\"")]
        public void AFastReadGivesWhatThePipedEventsGive(string topLevel)
        {
            // meter-a's first record carries another device id at its top level; meter-a and meter-b then drop and
            // reconnect as usual. Were meter-a's slot to keep the number of the id that stood, meter-a's later events would
            // land on that device.
            using var dir = new TempFolder();
            var lines = new List<string>();
            var t0 = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
            string Record(string device, int minute, string operation, string extra = "") =>
                "{\"time\":\"" + t0.AddMinutes(minute).ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture)
                + "\",\"resourceId\":\"/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.DEVICES/IOTHUBS/HUB\",\"operationName\":\"" + operation
                + "\",\"category\":\"Connections\",\"level\":\"" + (operation == "deviceDisconnect" ? "Error" : "Information")
                + "\",\"resultType\":\"" + (operation == "deviceDisconnect" ? "404104" : "0")
                + "\",\"properties\":\"{\\\"deviceId\\\":\\\"" + device + "\\\",\\\"protocol\\\":\\\"Mqtt\\\",\\\"maskedIpAddress\\\":\\\"10.0.0.XXX\\\"}\"" + extra + "}";
            lines.Add(Record("meter-a", 0, "deviceConnect", topLevel));
            for (int i = 1; i <= 12; i++)
            {
                lines.Add(Record("meter-a", i * 30, "deviceDisconnect"));
                lines.Add(Record("meter-a", i * 30 + 1, "deviceConnect"));
                lines.Add(Record("meter-b", i * 45, "deviceDisconnect"));
                lines.Add(Record("meter-b", i * 45 + 2, "deviceConnect"));
            }

            string file = System.IO.Path.Combine(dir.Path, "PT1H.json");
            System.IO.File.WriteAllLines(file, lines);
            var files = new List<string> { file };

            var piped = new DisconnectAnalyzer();
            foreach (var e in new ConnectionLogReader(new ConnectionEventFilter(), new CollectingReporter()).ReadFiles(files, CancellationToken.None)) piped.Add(e);
            var fast = new DisconnectAnalyzer();
            fast.ReadFiles(files, new ConnectionEventFilter(), new CollectingReporter(), CancellationToken.None);

            Assert.Equal(piped.EventCount, fast.EventCount);
            var keys = piped.Timelines.Select(t => t.Key).OrderBy(k => k, StringComparer.Ordinal).ToList();
            Assert.Equal(keys, fast.Timelines.Select(t => t.Key).OrderBy(k => k, StringComparer.Ordinal));
            foreach (var key in keys) Assert.Equal(piped.EntriesOf(key).Select(e => (e.Ticks, e.Kind)), fast.EntriesOf(key).Select(e => (e.Ticks, e.Kind)));
            Assert.Equal(piped.Analyze().Select(DisconnectAnalyzerTests.Describe), fast.Analyze().Select(DisconnectAnalyzerTests.Describe));
        }
    }

    /// <summary>
    /// One timeline per device, however its events arrive: a read numbers its devices through its table of device ids
    /// and indexes their keys only when a lookup by key needs them, so a device some events name by key (piped before the
    /// read, or a record the lean scan leaves to the full parse) must still end up in the one timeline.
    /// </summary>
    public class OneTimelinePerDeviceTests
    {
        [Theory]
        [InlineData(0, false)] // meter-a's first record spells its id with an escape: the full parse reads it, by key
        [InlineData(7, false)] // such a record later, after lean records made meter-a's timeline unindexed
        [InlineData(-1, true)] // no such record; meter-a's events piped into the analyzer before the read
        [InlineData(7, true)]
        public void ADeviceNamedByKeyAndThroughTheReadsTable_HasOneTimeline(int escapedAt, bool pipedFirst)
        {
            using var dir = new TempFolder();
            var t0 = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
            string Record(string device, int minute, string operation) =>
                "{\"time\":\"" + t0.AddMinutes(minute).ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture)
                + "\",\"resourceId\":\"/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.DEVICES/IOTHUBS/HUB\",\"operationName\":\"" + operation
                + "\",\"category\":\"Connections\",\"level\":\"" + (operation == "deviceDisconnect" ? "Error" : "Information")
                + "\",\"resultType\":\"" + (operation == "deviceDisconnect" ? "404104" : "0")
                + "\",\"properties\":\"{\\\"deviceId\\\":\\\"" + device + "\\\",\\\"protocol\\\":\\\"Mqtt\\\",\\\"maskedIpAddress\\\":\\\"10.0.0.XXX\\\"}\"}";
            var lines = new List<string>();
            for (int i = 0; i < 24; i++)
            {
                // meter-a as an escape spells it in the inner JSON (\u002d for its dash): the same id once decoded.
                string a = i == escapedAt ? "meter\\\\u002da" : "meter-a";
                lines.Add(Record(a, i * 30, i % 2 == 0 ? "deviceDisconnect" : "deviceConnect"));
                lines.Add(Record("meter-" + (char)('b' + i % 5), i * 30 + 3, i % 2 == 0 ? "deviceDisconnect" : "deviceConnect"));
            }

            string file = System.IO.Path.Combine(dir.Path, "PT1H.json");
            System.IO.File.WriteAllLines(file, lines);
            var files = new List<string> { file };
            var events = new ConnectionLogReader(new ConnectionEventFilter(), new CollectingReporter()).ReadFiles(files, CancellationToken.None).ToList();
            Assert.Equal(48, events.Count(e => e.DeviceId.StartsWith("meter-", StringComparison.Ordinal)));

            var piped = new DisconnectAnalyzer();
            foreach (var e in events) piped.Add(e);
            var fast = new DisconnectAnalyzer();
            if (pipedFirst)
            {
                foreach (var e in events.Where(e => e.DeviceId == "meter-a").Take(4)) fast.Add(e);
                foreach (var e in events.Where(e => e.DeviceId == "meter-a").Take(4)) piped.Add(e); // the same events twice: de-duplicated alike
            }

            fast.ReadFiles(files, new ConnectionEventFilter(), new CollectingReporter(), CancellationToken.None);

            var keys = fast.Timelines.Select(t => t.Key).ToList();
            Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count()); // no device twice
            Assert.Equal(piped.Timelines.Select(t => t.Key).OrderBy(k => k, StringComparer.Ordinal), keys.OrderBy(k => k, StringComparer.Ordinal));
            Assert.Equal(piped.EntriesOf("meter-a").Select(e => (e.Ticks, e.Kind)), fast.EntriesOf("meter-a").Select(e => (e.Ticks, e.Kind)));
            Assert.Equal(piped.Analyze().Select(DisconnectAnalyzerTests.Describe), fast.Analyze().Select(DisconnectAnalyzerTests.Describe));
        }
    }

    /// <summary>Both reader threads meeting thousands of new devices at once, the table of ids growing under them.</summary>
    public class OneTimelinePerDeviceUnderGrowthTests
    {
        [Fact]
        public void ThousandsOfDevicesReadInSmallPartsByBothThreads_EachGetOneTimeline()
        {
            using var dir = new TempFolder();
            var options = new GeneratorOptions { Devices = 6_000, Hours = 2, Seed = 23 };
            new ConnectionLogWriter(ConnectionLogScenario.Generate(options), options).WriteStorageTree(dir.Path);
            var files = ConnectionLogReader.ExpandPath(dir.Path).ToList();

            var piped = new DisconnectAnalyzer();
            foreach (var e in new ConnectionLogReader(new ConnectionEventFilter(), new CollectingReporter()).ReadFiles(files, CancellationToken.None)) piped.Add(e);
            for (int round = 0; round < 3; round++)
            {
                // Parts of about 16 KB: both threads start on the same files' devices, and the table grows from 1,024 slots.
                var fast = new DisconnectAnalyzer { ReadPartBytes = 16_411 };
                fast.ReadFiles(files, new ConnectionEventFilter(), new CollectingReporter(), CancellationToken.None);
                var keys = fast.Timelines.Select(t => t.Key).ToList();
                Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
                Assert.Equal(piped.DeviceCount, fast.DeviceCount);
                Assert.Equal(piped.EventCount, fast.EventCount);
            }
        }
    }

    /// <summary>The generator's planted patterns, read back through both inputs of the analysis.</summary>
    public class PlantedPatternTests
    {
        [Theory]
        [InlineData(0.0, 0, 0)]
        [InlineData(1.0, 0, 0)] // every renewal logged as a refused connect: still Periodic, never AuthenticationFailure
        [InlineData(0.0, 1, 0)] // the reader threads' buffers handed over after every event, then merged
        [InlineData(0.0, 997, 0)]
        [InlineData(0.0, 0, 4_099)] // every file read in parts of about 4 KB by both reader threads
        public void PipedEventsAndTheFastPath_GiveTheSameDiagnoses_AndFindWhatWasPlanted(double refusedRenewalShare, int pendingCapacity, long partBytes)
        {
            using var dir = new TempFolder();
            var options = new GeneratorOptions { Devices = 400, Hours = 24, Seed = 11, RefusedRenewalShare = refusedRenewalShare };
            var log = ConnectionLogScenario.Generate(options);
            new ConnectionLogWriter(log, options).WriteStorageTree(dir.Path);
            var files = ConnectionLogReader.ExpandPath(dir.Path).ToList();

            var piped = new DisconnectAnalyzer();
            foreach (var e in new ConnectionLogReader(new ConnectionEventFilter(), new CollectingReporter()).ReadFiles(files, CancellationToken.None)) piped.Add(e);
            var fast = new DisconnectAnalyzer();
            if (pendingCapacity > 0) fast.PendingCapacity = pendingCapacity;
            if (partBytes > 0) fast.ReadPartBytes = partBytes;
            var reporter = new CollectingReporter();
            fast.ReadFiles(files, new ConnectionEventFilter(), reporter, CancellationToken.None);
            Assert.Equal(partBytes > 0, reporter.Verbose.Any(v => v.Contains(", part 2 of ")));

            var fromPipe = piped.Analyze().Select(DisconnectAnalyzerTests.Describe).ToList();
            var fromFiles = fast.Analyze().Select(DisconnectAnalyzerTests.Describe).ToList();
            Assert.Equal(fromPipe, fromFiles);

            var found = fast.Analyze().Where(d => d.Pattern != DisconnectPattern.HubWide).Select(d => (d.Pattern.ToString(), d.DeviceId)).ToHashSet();
            var planted = log.Planted.Where(p => p.Pattern != "HubWide").Select(p => (p.Pattern, p.DeviceId)).ToHashSet();
            Assert.Equal(planted.OrderBy(p => p.ToString()), found.OrderBy(p => p.ToString()));
            Assert.Equal(log.Planted.Count(p => p.Pattern == "HubWide"), fast.Analyze().Count(d => d.Pattern == DisconnectPattern.HubWide));
        }
    }
}
