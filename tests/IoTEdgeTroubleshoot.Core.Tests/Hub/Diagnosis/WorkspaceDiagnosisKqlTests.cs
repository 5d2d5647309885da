using System;
using System.Collections.Generic;
using System.Linq;
using IoTEdgeTroubleshoot.Hub.Cloud;
using IoTEdgeTroubleshoot.Hub.Diagnosis.Workspace;
using IoTEdgeTroubleshoot.Tests.Hub.Cloud;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub.Diagnosis
{
    /// <summary>Every query of Get-IoTHubDisconnectDiagnosis -WorkspaceId passes Microsoft's KQL parser, hostile values included.</summary>
    public sealed class WorkspaceDiagnosisKqlTests
    {
        private static readonly string[] HostileIds =
        {
            "a\"b", "x\\\" | take 1 //", "line\nbreak\ttab\r", "back\\slash\\", "\u0001control", "ünïcødé-设备", "let x = 1;", "dev*`[1`]", "a?c", "; AzureDiagnostics | take 1",
        };

        private static IEnumerable<(string, string)> Queries()
        {
            var start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
            var plain = new WorkspaceDiagnosis { Query = new DeviceSummaryQuery { Source = new ConnectionWorkspaceQuery { WorkspaceId = Guid.NewGuid(), StartTime = start, EndTime = start.AddDays(7) } } };
            yield return ("count", plain.Query.CountKql());
            yield return ("summary, one partition", plain.Query.SummaryKql(1, 0));
            yield return ("summary, partition 7 of 8", plain.Query.SummaryKql(8, 7));
            for (int i = 0; i < HostileIds.Length; i++)
            {
                var hostile = new DeviceSummaryQuery
                {
                    Source = new ConnectionWorkspaceQuery
                    {
                        WorkspaceId = Guid.NewGuid(),
                        StartTime = start,
                        EndTime = start.AddDays(1),
                        DeviceIds = new[] { HostileIds[i], "plain-device" },
                        ResourceId = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Devices/IotHubs/" + HostileIds[i],
                        HubName = HostileIds[i],
                    },
                };
                yield return ($"hostile count {i}", hostile.CountKql());
                yield return ($"hostile summary {i}", hostile.SummaryKql(16, 3));
            }
        }

        [KqlParserFact]
        public void Every_diagnosis_query_parses_and_binds_without_a_diagnostic()
        {
            var queries = Queries().ToList();
            var results = KqlParser.Check(queries);

            Assert.Equal(queries.Count, results.Count);
            Assert.All(queries, q => Assert.True(results[q.Item1].Length == 0, $"{q.Item1}: {string.Join("; ", results[q.Item1])}\n{q.Item2}"));
        }
    }
}
