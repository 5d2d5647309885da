using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Platform;
using Xunit;
using static IoTEdgeTroubleshoot.Tests.Hub.Hostile;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    /// <summary>
    /// Random damage to valid samples of every form the readers know: bytes flipped, inserted, deleted. Whatever
    /// the damage: no exception escapes, every record the damage did not touch comes back as it was, every
    /// problem is a record's (MalformedLogRecord or LogRecordTooLong) with its line and column, a record that
    /// is lost is reported, and the analysis' lean parse reads exactly what the full parse reads.
    /// Deterministic: each run's seed is in the failure message.
    /// </summary>
    public class MutationTests
    {
        private const int SingleDamageRuns = 1000;
        private const int MultipleDamageRuns = 250;
        private const int AnywhereRuns = 250;

        // Bytes that mean something to JSON, CSV or UTF-8, and some that mean nothing.
        private static readonly byte[] Interesting =
        {
            0x00, 0x01, 0x09, 0x0A, 0x0D, 0x20, (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':',
            (byte)'x', (byte)'0', (byte)'u', (byte)'/', 0x7F, 0x80, 0xBF, 0xC3, 0xE2, 0xED, 0xF0, 0xFF,
        };

        /// <summary>A valid file of one form, and where each record is in it.</summary>
        private sealed class Sample
        {
            public Sample(string name, string text, IReadOnlyList<string> records)
            {
                Name = name;
                Bytes = Encoding.UTF8.GetBytes(text);
                int from = 0;
                foreach (var record in records)
                {
                    int at = text.IndexOf(record, from, StringComparison.Ordinal);
                    Assert.True(at >= 0);
                    int start = Encoding.UTF8.GetByteCount(text.Substring(0, at));
                    Spans.Add((start, start + Encoding.UTF8.GetByteCount(record)));
                    from = at + record.Length;
                }
            }

            public string Name { get; }

            public byte[] Bytes { get; }

            public List<(int Start, int End)> Spans { get; } = new List<(int Start, int End)>();

            public List<string> Expected { get; } = new List<string>();
        }

        public static IEnumerable<object[]> Forms() => new[]
        {
            new object[] { "storage-lines" },
            new object[] { "eventhubs-lines" },
            new object[] { "eventhubs-pretty" },
            new object[] { "json-array" },
            new object[] { "csv" },
        };

        private static string Time(int i) => $"2026-11-20T10:{i:00}:{i % 60:00}.{i:0000000}Z";

        private static Sample Build(string form)
        {
            // Without "category": a record whose category the damage changes is another category's, rightly left out
            // without a word, which these runs would count as lost.
            var storage = Enumerable.Range(0, 12).Select(i => Records.Line(Time(i), $"dev-{i:00}",
                operation: i % 3 == 0 ? "deviceConnect" : "deviceDisconnect", level: i % 3 == 0 ? "Information" : "Error",
                resultType: i % 3 == 0 ? null : "404104", sdk: $"iothubclient/1.{i}.0").Replace("\"category\":\"Connections\",", "")).ToList();
            switch (form)
            {
                case "storage-lines":
                    return new Sample(form, string.Join("\n", storage) + "\n", storage);
                case "eventhubs-lines":
                    return new Sample(form, string.Concat(Enumerable.Range(0, 3).Select(b => "{\"records\":[" + string.Join(",", storage.Skip(b * 4).Take(4)) + "]}\n")), storage);
                case "eventhubs-pretty":
                    return new Sample(form, "{\n  \"records\": [\n    " + string.Join(",\n    ", storage) + "\n  ]\n}\n", storage);
                case "json-array":
                    var rows = Enumerable.Range(0, 12).Select(i =>
                        $"{{\"TimeGenerated\":\"{Time(i)}\",\"_ResourceId\":\"/subscriptions/s/resourcegroups/rg/providers/microsoft.devices/iothubs/hub\",\"OperationName\":\"deviceDisconnect\",\"Level\":\"Error\",\"ResultType\":\"500001\",\"ResultDescription\":\"ServerError\",\"properties_s\":\"{{\\\"deviceId\\\":\\\"dev-{i:00}\\\",\\\"protocol\\\":\\\"Mqtt\\\"}}\"}}").ToList();
                    return new Sample(form, "[\n  " + string.Join(",\n  ", rows) + "\n]\n", rows);
                default:
                    var csvRows = Enumerable.Range(0, 12).Select(i =>
                        $"\"11/20/2026, 10:{i:00}:{i % 60:00}.{i:000} AM\",deviceDisconnect,Error,404104,\"Closed, remotely\",\"{{\"\"deviceId\"\":\"\"dev-{i:00}\"\",\"\"protocol\"\":\"\"Mqtt\"\"}}\"").ToList();
                    return new Sample(form, "TimeGenerated [UTC],OperationName,Level,ResultType,ResultDescription,properties_s\n" + string.Join("\n", csvRows) + "\n", csvRows);
            }
        }

        /// <summary>Reads bytes as a file would be read, collecting what is said.</summary>
        private sealed class Reading
        {
            private readonly ConnectionLogReader _reader;
            private readonly ForwardingReporter _reporter = new ForwardingReporter();

            public Reading(bool lean) => _reader = new ConnectionLogReader(new ConnectionEventFilter(), _reporter, lean);

            public (List<string> Events, List<Problem> Problems) Read(string name, byte[] bytes)
            {
                var target = new CollectingReporter();
                _reporter.Target = target;
                var events = _reader.ReadInput(name, () => Utf8Input.FromStream(new MemoryStream(bytes, writable: false)), null, CancellationToken.None).Select(Fields).ToList();
                return (events, target.Problems);
            }
        }

        private sealed class ForwardingReporter : IReporter
        {
            public IReporter Target { get; set; } = new CollectingReporter();

            public void Verbose(string message) => Target.Verbose(message);

            public void Warning(string message) => Target.Warning(message);

            public void Progress(ProgressReport progress) => Target.Progress(progress);

            public void Problem(Problem problem) => Target.Problem(problem);
        }

        [Theory]
        [MemberData(nameof(Forms))]
        public void RandomDamage_NeverStopsTheRead_CostsOnlyWhatItTouches_AndLeanReadsAsFull(string form)
        {
            var sample = Build(form);
            var full = new Reading(lean: false);
            var lean = new Reading(lean: true);
            var clean = full.Read(sample.Name, sample.Bytes);
            Assert.Empty(clean.Problems);
            Assert.Equal(sample.Spans.Count, clean.Events.Count);
            sample.Expected.AddRange(clean.Events);
            Assert.Equal(clean.Events, lean.Read(sample.Name, sample.Bytes).Events);

            int runs = 0;
            for (int seed = 0; seed < SingleDamageRuns + MultipleDamageRuns + AnywhereRuns; seed++, runs++)
            {
                var random = new Random(form.Length * 100_000 + seed);
                bool anywhere = seed >= SingleDamageRuns + MultipleDamageRuns;
                int damages = seed < SingleDamageRuns || anywhere ? 1 : random.Next(2, 4);
                var (bytes, touched, framing, description) = Damage(sample, random, damages, anywhere);
                string run = $"{form}, seed {seed}: {description}";

                var fromFull = Record(() => full.Read(sample.Name, bytes), run);
                var fromLean = Record(() => lean.Read(sample.Name, bytes), run);

                int lines = bytes.Count(b => b == (byte)'\n') + 1;
                foreach (var problem in fromFull.Problems)
                {
                    Assert.True(problem.ErrorId == "MalformedLogRecord" || problem.ErrorId == "LogRecordTooLong" || (framing && problem.ErrorId == "UnrecognizedLogFile"), $"{run}: {problem.ErrorId}: {problem.Message}");
                    Assert.True(problem.Position != null && problem.Position.Line >= 1 && problem.Position.Line <= lines && problem.Position.Column >= 1, $"{run}: no place or a wrong one: {problem.Message}");
                }

                Assert.True(fromFull.Events.SequenceEqual(fromLean.Events), $"{run}: the lean parse read otherwise:\n{string.Join("\n", fromFull.Events)}\n---\n{string.Join("\n", fromLean.Events)}");
                Assert.True(fromFull.Problems.Select(Place).SequenceEqual(fromLean.Problems.Select(Place)),
                    $"{run}: the lean parse reported otherwise: {string.Join(" | ", fromFull.Problems.Select(p => p.Message))} vs {string.Join(" | ", fromLean.Problems.Select(p => p.Message))}");
                if (framing) continue;

                var returned = fromFull.Events.GroupBy(e => e).ToDictionary(g => g.Key, g => g.Count());
                bool Take(int record)
                {
                    if (!returned.TryGetValue(sample.Expected[record], out int n) || n == 0) return false;
                    returned[sample.Expected[record]] = n - 1;
                    return true;
                }

                for (int r = 0; r < sample.Spans.Count; r++)
                {
                    if (!touched.Contains(r)) Assert.True(Take(r), $"{run}: record {r}, untouched, was not returned. Problems: {string.Join(" | ", fromFull.Problems.Select(p => p.Message))}");
                }

                int lost = touched.Count(t => !Take(t));
                int extra = returned.Values.Sum(); // events no clean record holds: damaged records read as something else
                Assert.True(extra <= 2 * touched.Count, $"{run}: {extra} events that no record holds");
                Assert.True(lost == 0 || fromFull.Problems.Count + extra > 0, $"{run}: {lost} touched record(s) lost without a word");
            }

            Assert.Equal(SingleDamageRuns + MultipleDamageRuns + AnywhereRuns, runs);
        }

        private static (long, long, string, string) Place(Problem p) => (p.Position?.Line ?? 0, p.Position?.Column ?? 0, p.ErrorId, p.Message);

        private static (List<string> Events, List<Problem> Problems) Record(Func<(List<string>, List<Problem>)> read, string run)
        {
            try
            {
                return read();
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"{run}: {ex}");
            }
        }

        // Flips, inserts or deletes bytes inside records (or, for anywhere runs, in the framing too). Returns the damaged
        // bytes, the records touched (a damage between two records touches both), and whether framing was hit.
        private static (byte[] Bytes, HashSet<int> Touched, bool Framing, string Description) Damage(Sample sample, Random random, int count, bool anywhere)
        {
            var bytes = sample.Bytes.ToList();
            var touched = new HashSet<int>();
            bool framing = false;
            var described = new List<string>();

            // Positions chosen in the clean bytes, applied from the last to the first so earlier positions stay valid.
            var damages = new List<(int Position, int Kind, byte Value)>();
            for (int d = 0; d < count; d++)
            {
                int position;
                if (anywhere)
                {
                    position = random.Next(sample.Bytes.Length);
                }
                else
                {
                    var (start, end) = sample.Spans[random.Next(sample.Spans.Count)];
                    position = random.Next(start, end);
                }

                byte value = random.Next(4) == 0 ? (byte)random.Next(256) : Interesting[random.Next(Interesting.Length)];
                damages.Add((position, random.Next(3), value));
            }

            foreach (var (position, kind, value) in damages.OrderByDescending(d => d.Position))
            {
                switch (kind)
                {
                    case 0: described.Add($"byte {position} 0x{bytes[position]:X2}→0x{value:X2}"); bytes[position] = value; break;
                    case 1: described.Add($"0x{value:X2} inserted at {position}"); bytes.Insert(position, value); break;
                    default: described.Add($"byte {position} 0x{bytes[position]:X2} deleted"); bytes.RemoveAt(position); break;
                }

                bool inRecord = false;
                for (int r = 0; r < sample.Spans.Count; r++)
                {
                    var (start, end) = sample.Spans[r];
                    if (position >= start && position < end)
                    {
                        touched.Add(r);
                        inRecord = true;
                    }
                }

                if (inRecord) continue;
                int before = sample.Spans.FindLastIndex(s => s.End <= position);
                int after = sample.Spans.FindIndex(s => s.Start > position);
                bool separator = before >= 0 && after == before + 1
                    && sample.Bytes.Skip(sample.Spans[before].End).Take(sample.Spans[after].Start - sample.Spans[before].End).All(b => b == (byte)',' || b == (byte)' ' || b == (byte)'\n');
                if (separator)
                {
                    touched.Add(before); // between two records: both
                    touched.Add(after);
                }
                else
                {
                    framing = true;
                }
            }

            return (bytes.ToArray(), touched, framing, string.Join(", ", described));
        }
    }
}
