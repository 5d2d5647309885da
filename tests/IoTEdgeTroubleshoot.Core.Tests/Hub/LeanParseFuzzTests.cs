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

        [Fact]
        public void MutatedRecords_ReadTheSameOnBothPaths()
        {
            var bases = new[]
            {
                Records.Line("2026-11-20T10:00:00.1234567Z", "dev-7"),
                Records.Line("2026-11-20T10:00:00Z", "dev-8", "deviceConnect", "Information", null),
                "{\"time\":\"2026-11-20T10:00:00Z\",\"operationName\":\"deviceConnect\",\"properties\":\"{\\\"deviceId\\\":\\\"d\\\",\\\"moduleId\\\":\\\"m\\\",\\\"errorMessage\\\":\\\"x \\\\\\\"q\\\\\\\" \\\\\\\\ \\\\u0041\\\",\\\"n\\\":-1.5e3,\\\"b\\\":true}\"}",
            };
            var alphabet = Encoding.ASCII.GetBytes("\\\"{}[],: u0nl/a1eE-+.tfbr");
            var rnd = new Random(12345);
            var full = new ConnectionRecordParser(false);
            var lean = new ConnectionRecordParser(true);
            var failures = new List<string>();
            int accepted = 0;
            for (int iter = 0; iter < 100_000 && failures.Count < 10; iter++)
            {
                var bytes = Encoding.ASCII.GetBytes(bases[rnd.Next(bases.Length)]).ToList();
                int n = 1 + rnd.Next(3);
                int propStart = Encoding.ASCII.GetString(bytes.ToArray()).IndexOf("\"properties\"");
                for (int m = 0; m < n; m++)
                {
                    int pos = rnd.Next(3) == 0 ? rnd.Next(bytes.Count) : Math.Min(bytes.Count - 1, propStart + rnd.Next(bytes.Count - propStart));
                    switch (rnd.Next(5))
                    {
                        case 0: bytes.Insert(pos, alphabet[rnd.Next(alphabet.Length)]); break;
                        case 1: if (bytes.Count > 2) bytes.RemoveAt(pos); break;
                        case 2: bytes[pos] = alphabet[rnd.Next(alphabet.Length)]; break;
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

                var line = bytes.ToArray();
                if (lean.TryParseLean(line, new ConnectionEventFilter(), out _)) accepted++;
                string a = Parse(full, line), b = Parse(lean, line);
                if (a != b) failures.Add(Encoding.ASCII.GetString(line) + "\n  full: " + a + "\n  lean: " + b);
            }

            Assert.True(failures.Count == 0, string.Join("\n\n", failures));
            Assert.True(accepted > 10_000, "accepted " + accepted); // the lean path must take a good share (about a fifth), not just refuse
        }
    }
}
