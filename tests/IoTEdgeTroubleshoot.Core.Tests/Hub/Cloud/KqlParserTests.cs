using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using IoTEdgeTroubleshoot.Hub.Cloud;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub.Cloud
{
    /// <summary>
    /// Runs only where Node and tests/KqlParser/node_modules are (build.ps1 -Task Test installs them with
    /// npm ci when node is on PATH); reported as skipped, with the reason, elsewhere.
    /// </summary>
    public sealed class KqlParserFactAttribute : FactAttribute
    {
        public KqlParserFactAttribute() => Skip = KqlParser.WhyNot();
    }

    internal static class KqlParser
    {
        public static string Folder => Path.Combine(TestPaths.RepositoryRoot, "tests", "KqlParser");

        public static string? WhyNot()
        {
            if (Platform.Machine.Run("node", "--version") != 0) return "needs Node.js on PATH to run Microsoft's KQL parser (@kusto/language-service-next)";
            if (!Directory.Exists(Path.Combine(Folder, "node_modules", "@kusto", "language-service-next")))
            {
                return "needs tests/KqlParser/node_modules: run ./build.ps1 -Task Test (it runs npm ci there when node is present) or npm ci --prefix tests/KqlParser";
            }

            return null;
        }

        /// <summary>Each query's diagnostics from the Kusto language service, by name.</summary>
        public static Dictionary<string, string[]> Check(IEnumerable<(string Name, string Query)> queries)
        {
            using var temp = new TempFolder();
            string input = temp.Write("queries.json", JsonSerializer.Serialize(queries.Select(q => new { name = q.Name, query = q.Query })));
            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Folder };
            start.ArgumentList.Add(Path.Combine(Folder, "check-kql.js"));
            start.ArgumentList.Add(input);
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(output.Length > 0, "the KQL checker printed nothing: " + error);
            return JsonDocument.Parse(output).RootElement.EnumerateArray().ToDictionary(
                r => r.GetProperty("name").GetString()!,
                r => r.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetString()!).ToArray());
        }
    }

    /// <summary>Every query the module builds passes Microsoft's own KQL parser, hostile values included.</summary>
    public sealed class KqlParserTests
    {
        private static readonly string[] HostileIds =
        {
            "a\"b", "x\\\" | take 1 //", "line\nbreak\ttab\r", "quote's", "back\\slash\\", "\u0001control", "ünïcødé-设备", "let x = 1;", "dev*`[1`]", "a?c", "[ab]x", "weird[", "$(sub)", "//comment", "@\"verbatim\"",
        };

        private static IEnumerable<(string, string)> Queries()
        {
            var start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
            foreach (bool errorsOnly in new[] { true, false })
            {
                var plain = new ConnectionWorkspaceQuery { WorkspaceId = Guid.NewGuid(), StartTime = start, EndTime = start.AddDays(1), ErrorsOnly = errorsOnly };
                yield return ($"plain errorsOnly={errorsOnly}", plain.ToKql());
                yield return ($"page errorsOnly={errorsOnly}", plain.Build(start, start.AddHours(1), 100_001));
            }

            for (int i = 0; i < HostileIds.Length; i++)
            {
                var query = new ConnectionWorkspaceQuery
                {
                    WorkspaceId = Guid.NewGuid(),
                    StartTime = start,
                    EndTime = start.AddDays(3),
                    ErrorsOnly = i % 2 == 0,
                    DeviceIds = new[] { HostileIds[i], "plain-device" },
                    ResultTypes = new[] { HostileIds[i], "404104" },
                    ResourceId = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Devices/IotHubs/" + HostileIds[i],
                    HubName = HostileIds[i],
                };
                yield return ($"hostile {i}", query.ToKql());
                yield return ($"hostile page {i}", query.Build(start, start.AddMinutes(30), 11));
            }
        }

        // The same literal without escaping, and a misspelt column: the checker must fail both.
        private static readonly (string, string)[] Wrong =
        {
            ("wrong: unescaped", "AzureDiagnostics | where Resource =~ \"a\"b\""),
            ("wrong: unknown column", "AzureDiagnostics | where Levle == \"Error\""),
        };

        // One node run for both tests: loading the language service takes seconds.
        private static readonly Lazy<(List<(string, string)> Queries, Dictionary<string, string[]> Results)> Checked =
            new Lazy<(List<(string, string)>, Dictionary<string, string[]>)>(() =>
            {
                var queries = Queries().ToList();
                return (queries, KqlParser.Check(queries.Concat(Wrong)));
            });

        [KqlParserFact]
        public void Every_generated_query_parses_and_binds_without_a_diagnostic()
        {
            var (queries, results) = Checked.Value;

            Assert.Equal(queries.Count + Wrong.Length, results.Count);
            Assert.All(queries, q => Assert.True(results[q.Item1].Length == 0, $"{q.Item1}: {string.Join("; ", results[q.Item1])}\n{q.Item2}"));
        }

        [KqlParserFact]
        public void The_checker_fails_a_query_that_is_wrong()
        {
            var results = Checked.Value.Results;

            Assert.NotEmpty(results["wrong: unescaped"]);
            Assert.Contains(results["wrong: unknown column"], d => d.Contains("Levle", StringComparison.Ordinal));
        }
    }
}
