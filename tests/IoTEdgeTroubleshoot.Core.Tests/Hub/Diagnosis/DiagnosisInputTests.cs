using System;
using System.Collections.Generic;
using System.Linq;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub.Diagnosis
{
    /// <summary>
    /// Inputs that used to give silent wrong answers: damaged dates, errors only, devices over the
    /// per-device cap, and token renewals taken for failing credentials.
    /// </summary>
    public class DiagnosisInputTests
    {
        private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        private static IoTHubConnectionEvent Event(string device, DateTimeOffset time, string operation, string level = "Information", string code = "") =>
            new IoTHubConnectionEvent { DeviceId = device, OperationName = operation, Level = level, ResultType = code, TimeGenerated = time, Protocol = "Mqtt", Category = "Connections" };

        private static IoTHubConnectionEvent Connect(string device, double minute) => Event(device, T0.AddMinutes(minute), "deviceConnect");

        private static IoTHubConnectionEvent Drop(string device, double minute, string code = "404104", string operation = "deviceDisconnect") =>
            Event(device, T0.AddMinutes(minute), operation, "Error", code);

        private static (IReadOnlyList<IoTHubDisconnectDiagnosis> Results, List<string> Warnings) Analyze(IEnumerable<IoTHubConnectionEvent> events)
        {
            var analyzer = new DisconnectAnalyzer(() => Now);
            foreach (var e in events) analyzer.Add(e);
            var reporter = new CollectingReporter();
            var results = analyzer.Analyze(reporter);
            return (results, reporter.Warnings);
        }

        /// <summary>30 devices drop within two minutes at minute 600, around a quiet day of 60 steady devices.</summary>
        private static List<IoTHubConnectionEvent> IncidentDay()
        {
            var events = new List<IoTHubConnectionEvent>();
            for (int i = 0; i < 30; i++)
            {
                string id = $"sensor-{i:D2}";
                events.Add(Connect(id, 1));
                events.Add(Drop(id, 600 + i * 0.05));
                events.Add(Connect(id, 603 + i * 0.05));
            }

            for (int i = 0; i < 60; i++) events.Add(Connect($"steady-{i:D2}", 2 + i * 20));
            return events;
        }

        [Theory]
        [InlineData(1, 1, 1)]
        [InlineData(1900, 1, 1)]
        [InlineData(9999, 12, 31)]
        public void A_damaged_date_neither_hides_the_incident_nor_passes_silently(int year, int month, int day)
        {
            var events = IncidentDay();
            events.Add(Event("sensor-00", new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero), "deviceDisconnect", "Error", "404104"));

            var (results, warnings) = Analyze(events);

            var hubWide = Assert.Single(results, r => r.Pattern == DisconnectPattern.HubWide);
            Assert.Equal(30, hubWide.DeviceCount);
            var warning = Assert.Single(warnings, w => w.Contains("left out of the analysis"));
            Assert.Contains("1 event(s)", warning);
            Assert.Contains($"{year:D4}-{month:D2}-{day:D2}", warning);
        }

        [Fact]
        public void Incidents_are_found_across_a_long_span_without_a_dense_array()
        {
            // Two plausible days eight years apart: the old dense array of minutes was capped and lost the second.
            var events = IncidentDay();
            foreach (var e in IncidentDay().Where(e => e.DeviceId.StartsWith("sensor-", StringComparison.Ordinal)))
            {
                events.Add(Event(e.DeviceId, e.TimeGenerated.AddYears(-8), e.OperationName, e.Level, e.ResultType));
            }

            var (results, _) = Analyze(events);

            Assert.Equal(2, results.Count(r => r.Pattern == DisconnectPattern.HubWide));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(44)]
        [InlineData(46)]
        [InlineData(400)]
        public void The_drops_are_counted_alike_whether_the_span_fits_an_array_or_not(int daysBefore)
        {
            // Up to 45 days the minutes are counted in an array, past that in a dictionary: a device that dropped once
            // that many days before the incident day moves the span across the line, and changes nothing else.
            var events = IncidentDay();
            var incident = Assert.Single(Analyze(IncidentDay()).Results, r => r.Pattern == DisconnectPattern.HubWide);
            var early = events.Min(e => e.TimeGenerated).AddDays(-daysBefore).AddMinutes(-1);
            events.Add(Event("early-bird", early, "deviceConnect", "Information", ""));
            events.Add(Event("early-bird", early.AddSeconds(30), "deviceDisconnect", "Error", "404104"));
            events.Add(Event("early-bird", early.AddSeconds(90), "deviceConnect", "Information", ""));

            var hubWide = Assert.Single(Analyze(events).Results, r => r.Pattern == DisconnectPattern.HubWide);

            Assert.Equal(incident.DeviceCount, hubWide.DeviceCount);
            Assert.Equal(incident.FirstSeen, hubWide.FirstSeen);
            Assert.Equal(incident.LastSeen, hubWide.LastSeen);
            Assert.Equal(incident.DisconnectCount, hubWide.DisconnectCount);
        }

        [Fact]
        public void The_array_and_the_dictionary_count_the_same_drop_minutes_alone_or_together()
        {
            // Random devices over two days: drops (some within a minute of each other, counted once per device and
            // minute), duplicate-identity closes and clean disconnects (no drops), connects and refusals.
            var random = new Random(5);
            long first = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero).Ticks;
            var kinds = new[] { EntryKind.Connect, EntryKind.CleanDisconnect, EntryKind.ErrorDisconnect, EntryKind.ErrorDisconnect, EntryKind.ConnectFailure };
            var codes = new[] { 404104, 500001, DeviceEvidence.LinkCreationConflict, DeviceEvidence.ForcefullyClosedOnNewConnection, 401003 };
            var devices = new TimelineEntries[300];
            for (int d = 0; d < devices.Length; d++)
            {
                long at = first + random.Next(0, 600) * TimeSpan.TicksPerSecond;
                var items = new TimelineEntry[random.Next(0, 40)];
                for (int i = 0; i < items.Length; i++)
                {
                    at += random.Next(1, 5000) * TimeSpan.TicksPerSecond / 10;
                    items[i] = new TimelineEntry(at, kinds[random.Next(kinds.Length)], codes[random.Next(codes.Length)], 0);
                }

                devices[d] = new TimelineEntries(items, 0, items.Length);
            }

            long firstMinute = devices.Where(e => e.Count > 0).Min(e => e[0].Ticks) / TimeSpan.TicksPerMinute;
            long lastMinute = devices.Where(e => e.Count > 0).Max(e => e[e.Count - 1].Ticks) / TimeSpan.TicksPerMinute;

            var looked = HubWideDetector.DropMinutes(devices, long.MaxValue, long.MinValue); // no span: the dictionary alone
            var counted = HubWideDetector.DropMinutes(devices, firstMinute, lastMinute); // the array alone
            var both = HubWideDetector.DropMinutes(devices, firstMinute + 300, lastMinute - 300); // the middle in the array

            Assert.True(looked.Count > 100, $"only {looked.Count} minutes with drops");
            Assert.Equal(looked.OrderBy(p => p.Key).ToList(), counted.OrderBy(p => p.Key).ToList());
            Assert.Equal(looked.OrderBy(p => p.Key).ToList(), both.OrderBy(p => p.Key).ToList());
        }

        [Fact]
        public void Errors_only_give_no_NeverReconnected_and_a_warning()
        {
            // Ten devices that each dropped once and came back: piped through Get-IoTHubConnectionError only the drops remain.
            var all = new List<IoTHubConnectionEvent>();
            for (int i = 0; i < 10; i++)
            {
                all.Add(Connect($"dev-{i}", i));
                all.Add(Drop($"dev-{i}", 100 + i * 37));
                all.Add(Connect($"dev-{i}", 101 + i * 37));
                all.Add(Event($"dev-{i}", T0.AddHours(20), "deviceConnect"));
            }

            var errorsOnly = all.Where(e => e.Level == "Error");
            var (results, warnings) = Analyze(errorsOnly);

            Assert.DoesNotContain(results, r => r.Pattern == DisconnectPattern.NeverReconnected);
            Assert.Contains(warnings, w => w.Contains("no successful connects") && w.Contains("Get-IoTHubConnectionEvent"));
            Assert.Empty(Analyze(all).Results);
        }

        [Fact]
        public void A_device_over_the_event_cap_is_flagged_in_its_evidence_and_a_warning()
        {
            // Drops every 2 minutes at irregular offsets: more than the cap.
            int count = DiagnosisThresholds.MaxEventsPerDevice + 500;
            var random = new Random(7);
            var events = new List<IoTHubConnectionEvent> { Connect("chatty", 0) };
            double t = 1;
            for (int i = 0; i < count / 2; i++)
            {
                t += 1 + random.NextDouble() * 3;
                events.Add(Drop("chatty", t));
                events.Add(Connect("chatty", t + 0.2));
            }

            events.Add(Connect("other", t + 10));

            var (results, warnings) = Analyze(events);

            var chatty = Assert.Single(results, r => r.DeviceId == "chatty");
            Assert.Contains($"Only its newest {DiagnosisThresholds.MaxEventsPerDevice} events", chatty.Evidence);
            Assert.Contains("older ones were left out", chatty.Evidence);
            Assert.Contains(warnings, w => w.Contains("1 device(s) had more than") && w.Contains("chatty"));
        }

        [Fact]
        public void Token_renewals_with_a_refused_connect_are_Periodic_only_not_AuthenticationFailure()
        {
            // The SDK's renewal as a large hub logs it: the connect with the old token is refused (401003),
            // the connection drops (404104), and a connect with a new token succeeds within a minute.
            var events = new List<IoTHubConnectionEvent> { Connect("renewer", 0) };
            for (int i = 1; i <= 12; i++)
            {
                double t = i * 65;
                events.Add(Drop("renewer", t - 0.02, "401003", "deviceConnect"));
                events.Add(Drop("renewer", t));
                events.Add(Connect("renewer", t + 0.6));
            }

            events.Add(Connect("other", 900));

            var (results, _) = Analyze(events);

            var only = Assert.Single(results);
            Assert.Equal(DisconnectPattern.Periodic, only.Pattern);
        }

        [Fact]
        public void Refusals_without_a_quick_success_are_still_AuthenticationFailure()
        {
            // Refused every 5 minutes; the device only gets in 10 minutes after the last refusal (key fixed).
            var events = Enumerable.Range(0, 6).Select(i => Drop("camera", 200 + i * 5, "401003", "deviceConnect")).ToList();
            events.Add(Connect("camera", 235));
            events.Add(Connect("other", 400));

            var (results, _) = Analyze(events);

            var failure = Assert.Single(results);
            Assert.Equal(DisconnectPattern.AuthenticationFailure, failure.Pattern);
            Assert.Equal(6, failure.DisconnectCount);
        }

        [Fact]
        public void The_median_counts_the_quiet_windows()
        {
            Assert.Equal(0, HubWideDetectorMedian(new[] { 5, 7 }, 10));
            Assert.Equal(6, HubWideDetectorMedian(new[] { 5, 7 }, 2));
            Assert.Equal(6, HubWideDetectorMedian(new[] { 9, 5, 7 }, 4));
            Assert.Equal(7, HubWideDetectorMedian(new[] { 9, 5, 7 }, 3));
        }

        private static double HubWideDetectorMedian(int[] values, long count) => HubWideDetector.MedianWithZeros(values, count);

        [Fact]
        public void Every_threshold_has_a_value_and_a_reason()
        {
            Assert.Equal(DiagnosisThresholds.All.Count, DiagnosisThresholds.All.Select(t => t.Name).Distinct().Count());
            Assert.All(DiagnosisThresholds.All, t =>
            {
                Assert.False(string.IsNullOrWhiteSpace(t.Value));
                Assert.True(t.Reason.Length > 20, t.Name);
            });

            // Every named field of the class is listed.
            var fields = typeof(DiagnosisThresholds).GetFields().Select(f => f.Name).OrderBy(n => n);
            Assert.Equal(fields, DiagnosisThresholds.All.Select(t => t.Name).OrderBy(n => n));
        }
    }
}
