using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using IoTEdgeTroubleshoot.Hub;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    /// <summary>
    /// The lean path against the full parse on mutated records: bytes inserted, dropped, replaced and copied, and
    /// escape-heavy tokens put in, mostly inside "properties". Seeded, so a failure repeats. Both must read every
    /// mutant alike: the lean path takes it the same way, or leaves it to the full parse.
    /// </summary>
    public class LeanParseFuzzTests
    {
        private static string Fields(IoTHubConnectionEvent e) =>
            $"{e.TimeGenerated:o}|{e.DeviceId}|{e.ModuleId}|{e.OperationName}|{e.Level}|{e.ResultType}|{e.Category}|{e.Protocol}|{e.AddressHashValue}|{e.SdkVersion}";

        private static string Parse(ConnectionRecordParser p, byte[] line)
        {
            var outcomes = new List<RecordOutcome>();
            try
            {
                p.ParseValue(line, new ConnectionEventFilter(), outcomes);
            }
            catch (MalformedRecordException ex)
            {
                return "malformed: " + ex.Message;
            }

            return string.Join(";", outcomes.Select(o => o.Event != null ? Fields(o.Event) : o.Error != null ? "error: " + o.Error : "filtered"));
        }

        private static readonly string[] Tokens =
        {
            "\\\"", "\\\\", "\\/", "\\u0022", "\\u005c", "\\u0041", "\\u00e9", "\"", "\\n", "\\\\\\\"", "\\\\u0041", "\\\\/",
            "\\\\\\\\", "\\\"x\\\":null", ",\\\"k\\\":1", ",\\\"deviceId\\\":\\\"z\\\"", "\\\\ud800", "\\ud800", "}\"", "\\\"}", "\\\\\\\\\\\"",
        };

        private static readonly byte[] Alphabet = Encoding.ASCII.GetBytes("\\\"{}[],: u0nl/a1eE-+.tfbr");

        // One to three edits: a byte inserted, dropped or replaced, a stretch copied elsewhere, or a token put in, each
        // at a place pick chooses.
        private static byte[] Mutate(string line, Random rnd, Func<int, int> pick)
        {
            var bytes = Encoding.ASCII.GetBytes(line).ToList();
            int n = 1 + rnd.Next(3);
            for (int m = 0; m < n; m++)
            {
                int pos = Math.Min(bytes.Count - 1, pick(bytes.Count));
                switch (rnd.Next(5))
                {
                    case 0: bytes.Insert(pos, Alphabet[rnd.Next(Alphabet.Length)]); break;
                    case 1: if (bytes.Count > 2) bytes.RemoveAt(pos); break;
                    case 2: bytes[pos] = Alphabet[rnd.Next(Alphabet.Length)]; break;
                    case 4:
                        var tok = Tokens[rnd.Next(Tokens.Length)];
                        bytes.InsertRange(pos, Encoding.ASCII.GetBytes(tok));
                        break;
                    case 3:
                        int len = 1 + rnd.Next(12);
                        if (pos + len <= bytes.Count) bytes.InsertRange(rnd.Next(bytes.Count), bytes.GetRange(pos, len).ToArray());
                        break;
                }
            }

            return bytes.ToArray();
        }

        // Each iteration picks a base and reads the lines made of it on both paths, one parser a path for them all (so
        // what the lean parser remembers carries over from line to line): no line may read differently, and the lean
        // path must take at least minAccepted of them, not just refuse.
        private static void BothPathsReadAlike(string[] bases, int seed, int iterations, int minAccepted, Func<string, Random, IEnumerable<byte[]>> linesOf)
        {
            var rnd = new Random(seed);
            var full = new ConnectionRecordParser(false);
            var lean = new ConnectionRecordParser(true);
            var failures = new List<string>();
            int accepted = 0;
            for (int iter = 0; iter < iterations && failures.Count < 10; iter++)
            {
                foreach (var line in linesOf(bases[rnd.Next(bases.Length)], rnd))
                {
                    if (lean.TryParseLean(line, new ConnectionEventFilter(), out _)) accepted++;
                    string a = Parse(full, line), b = Parse(lean, line);
                    if (a != b) failures.Add(Encoding.ASCII.GetString(line) + "\n  full: " + a + "\n  lean: " + b);
                }
            }

            Assert.True(failures.Count == 0, string.Join("\n\n", failures));
            Assert.True(accepted >= minAccepted, "accepted " + accepted);
        }

        [Fact]
        public void MutatedRecords_ReadTheSameOnBothPaths()
        {
            var bases = new[]
            {
                Records.Line("2026-11-20T10:00:00.1234567Z", "dev-7"),
                Records.Line("2026-11-20T10:00:00Z", "dev-8", "deviceConnect", "Information", null),
                "{\"time\":\"2026-11-20T10:00:00Z\",\"operationName\":\"deviceConnect\",\"properties\":\"{\\\"deviceId\\\":\\\"d\\\",\\\"moduleId\\\":\\\"m\\\",\\\"errorMessage\\\":\\\"x \\\\\\\"q\\\\\\\" \\\\\\\\ \\\\u0041\\\",\\\"n\\\":-1.5e3,\\\"b\\\":true}\"}",
            };

            // Mostly inside properties; about a fifth of the mutants are taken by the lean path.
            BothPathsReadAlike(bases, 12345, 100_000, 10_000, (record, rnd) =>
            {
                int propStart = record.IndexOf("\"properties\"");
                return new[] { Mutate(record, rnd, count => rnd.Next(3) == 0 ? rnd.Next(count) : propStart + rnd.Next(count - propStart)) };
            });
        }

        /// <summary>
        /// The lean parser remembers the values it skipped last (authType, statusCode, errorMessage): each mutant here
        /// follows an ordinary record through the same parser, so the memory is warm, and its edits fall on or just
        /// after those values, where a remembered value is matched and stepped over.
        /// </summary>
        [Fact]
        public void MutantsOfRememberedValues_ReadTheSameOnBothPaths()
        {
            var bases = new[]
            {
                Records.Line("2026-11-20T10:00:00.1234567Z", "dev-7"),
                Records.Line("2026-11-20T10:00:00Z", "dev-8", "deviceConnect", "Information", null, protocol: "Amqp"),
            };

            // Every clean record is taken, and a fifth of the mutants.
            BothPathsReadAlike(bases, 54321, 40_000, 40_000 + 4_000, (record, rnd) =>
            {
                // From the key before the remembered value to a little past the value's end.
                string key = new[] { "authType", "statusCode", "errorMessage" }[rnd.Next(3)];
                int from = record.IndexOf("\\\"" + key + "\\\":", StringComparison.Ordinal);
                int to = record.IndexOf("\\\",\\\"", from + key.Length + 6, StringComparison.Ordinal) + 4;
                return new[] { Encoding.ASCII.GetBytes(record), Mutate(record, rnd, count => from + rnd.Next(to - from)) };
            });
        }
    }
}
