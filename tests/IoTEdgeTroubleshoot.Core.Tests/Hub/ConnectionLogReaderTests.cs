using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using IoTEdgeTroubleshoot.Hub;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    public class ConnectionLogReaderTests
    {
        private static List<IoTHubConnectionEvent> Read(string path, CollectingReporter reporter, ConnectionEventFilter? filter = null) =>
            new ConnectionLogReader(filter ?? new ConnectionEventFilter(), reporter).ReadFile(path, CancellationToken.None).ToList();

        [Fact]
        public void StorageExportLine_IsReadWithEveryField()
        {
            using var dir = new TempFolder();
            string file = dir.Write("PT1H.json", Records.Line("2026-11-20T10:15:30.1234567Z", "dev-1", sdk: "azure-iot-device-iothub-py/2.12.0") + "\n");
            var reporter = new CollectingReporter();

            var e = Assert.Single(Read(file, reporter));

            Assert.Empty(reporter.Problems);
            Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 15, 30, TimeSpan.Zero).AddTicks(1234567), e.TimeGenerated);
            Assert.Equal(TimeSpan.Zero, e.TimeGenerated.Offset);
            Assert.Equal("MYHUB", e.HubName);
            Assert.Equal(Records.HubId, e.ResourceId);
            Assert.Equal("dev-1", e.DeviceId);
            Assert.Equal("deviceDisconnect", e.OperationName);
            Assert.Equal("Error", e.Level);
            Assert.Equal("404104", e.ResultType);
            Assert.Equal("DeviceConnectionClosedRemotely", e.ResultDescription);
            Assert.Equal("Mqtt", e.Protocol);
            Assert.Equal("sas", e.AuthType);
            Assert.Equal("203.0.113.XXX", e.MaskedIpAddress);
            Assert.Equal("404", e.StatusCode);
            Assert.Equal("closed", e.ErrorMessage);
            Assert.Equal("azure-iot-device-iothub-py/2.12.0", e.SdkVersion);
            Assert.Equal("westus", e.Location);
            Assert.Equal(file + ":1", e.Source);
        }

        [Fact]
        public void PropertiesAsObject_AndModuleId_AreRead()
        {
            using var dir = new TempFolder();
            string file = dir.Write("a.json",
                "{\"time\":\"2026-11-20T10:00:00Z\",\"operationName\":\"deviceConnect\",\"level\":\"Information\",\"properties\":{\"deviceId\":\"edge-1\",\"moduleId\":\"$edgeHub\",\"protocol\":\"Amqp\",\"statusCode\":null,\"authType\":{\"type\":\"x509\"}}}\n");

            var e = Assert.Single(Read(file, new CollectingReporter()));

            Assert.Equal("edge-1", e.DeviceId);
            Assert.Equal("$edgeHub", e.ModuleId);
            Assert.Equal("Amqp", e.Protocol);
            Assert.Equal("x509", e.AuthType);
            Assert.Null(e.StatusCode);
            Assert.Equal(string.Empty, e.ResultType);
        }

        [Fact]
        public void EventHubsWrapper_OneBatchPerLine()
        {
            using var dir = new TempFolder();
            string batch1 = "{\"records\":[" + Records.Line("2026-11-20T10:00:00Z", "a") + "," + Records.Line("2026-11-20T10:01:00Z", "b") + "]}";
            string batch2 = "{\"records\":[" + Records.Line("2026-11-20T10:02:00Z", "c") + "]}";
            string file = dir.Write("eh.json", batch1 + "\n" + batch2 + "\n");
            var reporter = new CollectingReporter();

            var events = Read(file, reporter);

            Assert.Empty(reporter.Problems);
            Assert.Equal(new[] { "a", "b", "c" }, events.Select(e => e.DeviceId));
            Assert.Equal(file + ":2", events[2].Source);
        }

        [Fact]
        public void PrettyPrintedWrapper_IsStreamedAsADocument()
        {
            using var dir = new TempFolder();
            string text = "{\n  \"records\": [\n    " + Records.Line("2026-11-20T10:00:00Z", "a") + ",\n    " + Records.Line("2026-11-20T10:01:00Z", "b") + "\n  ]\n}\n";
            string file = dir.Write("pretty.json", text);
            var reporter = new CollectingReporter();

            var events = Read(file, reporter);

            Assert.Empty(reporter.Problems);
            Assert.Equal(new[] { "a", "b" }, events.Select(e => e.DeviceId));
            Assert.Equal(file + ":3", events[0].Source);
            Assert.Equal(file + ":4", events[1].Source);
        }

        [Fact]
        public void TopLevelArrayOfLogAnalyticsRows_IsRead()
        {
            // What `az monitor log-analytics query` prints: AzureDiagnostics column names.
            using var dir = new TempFolder();
            string row = "{\"TimeGenerated\":\"2026-11-20T10:00:00.000Z\",\"_ResourceId\":\"/subscriptions/x/resourcegroups/rg/providers/microsoft.devices/iothubs/lowhub\",\"OperationName\":\"deviceDisconnect\",\"Level\":\"Error\",\"ResultType\":\"500001\",\"ResultDescription\":\"ServerError\",\"properties_s\":\"{\\\"deviceId\\\":\\\"d9\\\",\\\"protocol\\\":\\\"MqttWs\\\"}\"}";
            string file = dir.Write("az.json", "[\n  " + row + ",\n  " + row.Replace("d9", "d10") + "\n]\n");

            var events = Read(file, new CollectingReporter());

            Assert.Equal(new[] { "d9", "d10" }, events.Select(e => e.DeviceId));
            Assert.All(events, e => Assert.Equal("lowhub", e.HubName));
            Assert.All(events, e => Assert.Equal("MqttWs", e.Protocol));
        }

        [Fact]
        public void MalformedLine_IsReportedWithLineAndColumn_AndTheRestIsRead()
        {
            using var dir = new TempFolder();
            string file = dir.Write("PT1H.json", string.Join("\n",
                Records.Line("2026-11-20T10:00:00Z", "a"),
                "{\"time\":\"2026-11-20T10:00:01Z\",\"level\":\"Error\" \"oops\"}",
                Records.Line("2026-11-20T10:00:02Z", "c"),
                "{\"level\":\"Error\"}",
                "{\"time\":\"not a date\",\"level\":\"Error\"}",
                Records.Line("2026-11-20T10:00:03Z", "f")) + "\n");
            var reporter = new CollectingReporter();

            var events = Read(file, reporter);

            Assert.Equal(new[] { "a", "c", "f" }, events.Select(e => e.DeviceId));
            Assert.Equal(3, reporter.Problems.Count);
            Assert.All(reporter.Problems, p => Assert.Equal("MalformedLogRecord", p.ErrorId));
            Assert.Equal(new long[] { 2, 4, 5 }, reporter.Problems.Select(p => p.Position!.Line));
            Assert.All(reporter.Problems, p => Assert.Equal(file, p.Position!.Path));
            Assert.Equal(48, reporter.Problems[0].Position!.Column); // the "oops" that stands where a comma should be
            Assert.Contains(file + ":2:", reporter.Problems[0].Message);
            Assert.Contains("no time", reporter.Problems[1].Message);
            Assert.Contains("'not a date'", reporter.Problems[2].Message);
        }

        [Fact]
        public void TruncatedLastLine_IsReported_EarlierRecordsKept()
        {
            using var dir = new TempFolder();
            string full = Records.Line("2026-11-20T10:00:01Z", "b");
            string file = dir.Write("PT1H.json", Records.Line("2026-11-20T10:00:00Z", "a") + "\n" + full.Substring(0, full.Length / 2));
            var reporter = new CollectingReporter();

            var events = Read(file, reporter);

            Assert.Equal("a", Assert.Single(events).DeviceId);
            Assert.Equal(2, Assert.Single(reporter.Problems).Position?.Line);
        }

        [Fact]
        public void TruncatedDocument_ReportsAndStops()
        {
            using var dir = new TempFolder();
            string text = "{\n\"records\": [\n" + Records.Line("2026-11-20T10:00:00Z", "a") + ",\n" + Records.Line("2026-11-20T10:01:00Z", "b");
            string file = dir.Write("cut.json", text.Substring(0, text.Length - 20));
            var reporter = new CollectingReporter();

            var events = Read(file, reporter);

            Assert.Equal("a", Assert.Single(events).DeviceId);
            var problem = Assert.Single(reporter.Problems);
            Assert.True(problem.Message.Contains("truncated"), problem.Message);
            Assert.Equal(4, problem.Position!.Line); // where the cut record starts
        }

        [Theory]
        [InlineData("")]
        [InlineData("\n\n  \n")]
        public void EmptyFile_GivesNothingAndNoProblem(string text)
        {
            using var dir = new TempFolder();
            string file = dir.Write("empty.json", text);
            var reporter = new CollectingReporter();

            Assert.Empty(Read(file, reporter));
            Assert.Empty(reporter.Problems);
        }

        [Fact]
        public void Utf8Bom_Utf16_AndCrlf_AreRead()
        {
            using var dir = new TempFolder();
            string content = Records.Line("2026-11-20T10:00:00Z", "a") + "\r\n" + Records.Line("2026-11-20T10:00:01Z", "b") + "\r\n";
            string bom = dir.Write("bom.json", content, new UTF8Encoding(true));
            string utf16 = dir.Write("utf16.json", content, Encoding.Unicode); // Windows PowerShell 5.1's Out-File
            var reporter = new CollectingReporter();

            Assert.Equal(new[] { "a", "b" }, Read(bom, reporter).Select(e => e.DeviceId));
            Assert.Equal(new[] { "a", "b" }, Read(utf16, reporter).Select(e => e.DeviceId));
            Assert.Empty(reporter.Problems);
        }

        [Fact]
        public void Filters_ApplyErrorsTimeDeviceAndResultType()
        {
            using var dir = new TempFolder();
            string file = dir.Write("PT1H.json", string.Join("\n",
                Records.Line("2026-11-20T10:00:00Z", "a"),
                Records.Line("2026-11-20T11:00:00Z", "a", operation: "deviceConnect", level: "Information", resultType: null),
                Records.Line("2026-11-20T12:00:00Z", "b", resultType: "401003", description: "IoTHubUnauthorized"),
                Records.Line("2026-11-20T13:00:00Z", "c")) + "\n");
            var at = new Func<int, DateTimeOffset>(h => new DateTimeOffset(2026, 11, 20, h, 0, 0, TimeSpan.Zero));

            Assert.Equal(3, Read(file, new CollectingReporter(), new ConnectionEventFilter { ErrorsOnly = true }).Count);
            Assert.Equal(new[] { "a", "b" }, Read(file, new CollectingReporter(), new ConnectionEventFilter { StartTime = at(11), EndTime = at(13) }).Select(e => e.DeviceId));
            Assert.Equal(new[] { "b", "c" }, Read(file, new CollectingReporter(), new ConnectionEventFilter { DeviceIdMatches = d => d != "a" }).Select(e => e.DeviceId));
            Assert.Equal(new[] { "b" }, Read(file, new CollectingReporter(), new ConnectionEventFilter { ResultTypes = new HashSet<string> { "401003" } }).Select(e => e.DeviceId));
        }

        [Fact]
        public void OtherLogCategories_AreLeftOut()
        {
            // An event hub may receive every category of the hub's resource logs.
            using var dir = new TempFolder();
            string routes = Records.Line("2026-11-20T10:00:01Z", "r").Replace("\"category\":\"Connections\"", "\"category\":\"Routes\"");
            string file = dir.Write("eh.json", "{\"records\":[" + Records.Line("2026-11-20T10:00:00Z", "a") + "," + routes + "]}\n");

            Assert.Equal("a", Assert.Single(Read(file, new CollectingReporter())).DeviceId);
        }

        [Fact]
        public void UnorderedAndDuplicatedRecords_AreAllReturnedAsTheyCome()
        {
            using var dir = new TempFolder();
            string late = Records.Line("2026-11-20T10:05:00Z", "a");
            string file = dir.Write("PT1H.json", late + "\n" + Records.Line("2026-11-20T10:00:00Z", "a") + "\n" + late + "\n");

            var events = Read(file, new CollectingReporter());

            Assert.Equal(3, events.Count);
            Assert.Equal(events[0].TimeGenerated, events[2].TimeGenerated);
            Assert.True(events[1].TimeGenerated < events[0].TimeGenerated);
        }

        [Fact]
        public void ExpandPath_RecursesFoldersAndKeepsOnlyLogFiles_InStableOrder()
        {
            using var dir = new TempFolder();
            dir.Write("y=2026/m=11/d=20/h=01/m=00/PT1H.json", "");
            dir.Write("y=2026/m=11/d=20/h=00/m=00/PT1H.json", "");
            dir.Write("notes.txt", "x");
            dir.Write("export.csv", "x");

            var files = ConnectionLogReader.ExpandPath(dir.Path).Select(f => Path.GetRelativePath(dir.Path, f).Replace('\\', '/')).ToList();

            Assert.Equal(new[] { "export.csv", "y=2026/m=11/d=20/h=00/m=00/PT1H.json", "y=2026/m=11/d=20/h=01/m=00/PT1H.json" }, files);
        }

        [Fact]
        public void MissingFile_IsAnObjectNotFoundProblem()
        {
            var reporter = new CollectingReporter();
            var events = new ConnectionLogReader(new ConnectionEventFilter(), reporter)
                .ReadFiles(new[] { Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid() + ".json") }, CancellationToken.None).ToList();

            Assert.Empty(events);
            var problem = Assert.Single(reporter.Problems);
            Assert.Equal("LogFileNotFound", problem.ErrorId);
            Assert.Equal(IoTEdgeTroubleshoot.Platform.ProblemKind.ObjectNotFound, problem.Kind);
        }

        [Fact]
        public void OpenFailures_NameTheFileAndSayWhatToDo()
        {
            var denied = ConnectionLogReader.OpenFailure("/logs/PT1H.json", new UnauthorizedAccessException("denied"));
            var locked = ConnectionLogReader.OpenFailure("/logs/PT1H.json", new IOException("The process cannot access the file"));
            var missing = ConnectionLogReader.OpenFailure("/logs/PT1H.json", new FileNotFoundException("gone"));

            Assert.Equal(("LogFileUnreadable", IoTEdgeTroubleshoot.Platform.ProblemKind.PermissionDenied), (denied.ErrorId, denied.Kind));
            Assert.Contains("'/logs/PT1H.json'", denied.Message);
            Assert.Contains("Run as a user who can read it", denied.Message);
            Assert.Equal(("LogFileUnreadable", IoTEdgeTroubleshoot.Platform.ProblemKind.ReadError), (locked.ErrorId, locked.Kind));
            Assert.Contains("cannot access the file", locked.Message);
            Assert.Equal(("LogFileNotFound", IoTEdgeTroubleshoot.Platform.ProblemKind.ObjectNotFound), (missing.ErrorId, missing.Kind));
            Assert.Equal("/logs/PT1H.json", denied.Target);
        }

        [Fact]
        public void UnreadableFile_NamesTheFile()
        {
            // Root reads files whatever their mode, so the real permission check runs only as another user;
            // OpenFailures_NameTheFileAndSayWhatToDo covers the mapping everywhere.
            if (OperatingSystem.IsWindows() || Environment.UserName == "root") return;
            using var dir = new TempFolder();
            string file = dir.Write("locked.json", Records.Line("2026-11-20T10:00:00Z", "a"));
            File.SetUnixFileMode(file, UnixFileMode.None);
            var reporter = new CollectingReporter();

            Assert.Empty(Read(file, reporter));
            var problem = Assert.Single(reporter.Problems);
            Assert.Equal("LogFileUnreadable", problem.ErrorId);
            Assert.Contains(file, problem.Message);
        }

        [Fact]
        public void Cancellation_StopsReading()
        {
            using var dir = new TempFolder();
            string file = dir.Write("PT1H.json", string.Concat(Enumerable.Range(0, 100).Select(i => Records.Line("2026-11-20T10:00:00Z", "d" + i) + "\n")));
            using var cts = new CancellationTokenSource();
            var reader = new ConnectionLogReader(new ConnectionEventFilter(), new CollectingReporter());
            int seen = 0;

            Assert.Throws<OperationCanceledException>(() =>
            {
                foreach (var unused in reader.ReadFile(file, cts.Token))
                {
                    if (++seen == 10) cts.Cancel();
                }
            });
            Assert.Equal(10, seen);
        }

        [Fact]
        public void ReadFiles_ReportsCompletedProgress()
        {
            using var dir = new TempFolder();
            string a = dir.Write("a.json", Records.Line("2026-11-20T10:00:00Z", "a") + "\n");
            string b = dir.Write("b.json", Records.Line("2026-11-20T10:00:00Z", "b") + "\n");
            var reporter = new CollectingReporter();

            var events = new ConnectionLogReader(new ConnectionEventFilter(), reporter).ReadFiles(new[] { a, b }, CancellationToken.None).ToList();

            Assert.Equal(2, events.Count);
            Assert.True(reporter.Progress.Last().Completed);
            Assert.Equal(100, reporter.Progress.Last().PercentComplete);
        }
    }
}
