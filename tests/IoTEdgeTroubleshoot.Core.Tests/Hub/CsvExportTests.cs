using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using IoTEdgeTroubleshoot.Hub;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    public class CsvExportTests
    {
        private const string Header = "TenantId,TimeGenerated [UTC],ResourceId,Category,ResourceGroup,SubscriptionId,ResourceProvider,Resource,ResourceType,OperationName,ResultType,Level,Location,ResultDescription,properties_s,Type,_ResourceId";

        private static string Row(string time, string device, string code = "404104", string description = "DeviceConnectionClosedRemotely") =>
            $"t,\"{time}\",/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.DEVICES/IOTHUBS/HUBX,Connections,RG,S,MICROSOFT.DEVICES,HUBX,IOTHUBS,deviceDisconnect,{code},Error,westus,{description},"
            + $"\"{{\"\"deviceId\"\":\"\"{device}\"\",\"\"protocol\"\":\"\"Mqtt\"\",\"\"sdkVersion\"\":\"\"iothubclient/1.11.0\"\"}}\",AzureDiagnostics,/subscriptions/s/resourcegroups/rg/providers/microsoft.devices/iothubs/hubx";

        private static (System.Collections.Generic.List<IoTHubConnectionEvent> Events, CollectingReporter Reporter) Read(string text, Encoding? encoding = null)
        {
            using var dir = new TempFolder();
            string file = dir.Write("export.csv", text, encoding ?? new UTF8Encoding(true));
            var reporter = new CollectingReporter();
            var events = new ConnectionLogReader(new ConnectionEventFilter(), reporter).ReadFile(file, CancellationToken.None).ToList();
            return (events, reporter);
        }

        [Fact]
        public void PortalExport_EnUs_IsRead()
        {
            var (events, reporter) = Read(Header + "\r\n" + Row("11/20/2026, 1:04:05.123 PM", "dev-1") + "\r\n");

            Assert.Empty(reporter.Problems);
            var e = Assert.Single(events);
            Assert.Equal(new DateTimeOffset(2026, 11, 20, 13, 4, 5, 123, TimeSpan.Zero), e.TimeGenerated);
            Assert.Equal("dev-1", e.DeviceId);
            Assert.Equal("HUBX", e.HubName);
            Assert.Equal("404104", e.ResultType);
            Assert.Equal("Mqtt", e.Protocol);
            Assert.Equal("iothubclient/1.11.0", e.SdkVersion);
            Assert.Equal("Error", e.Level);
        }

        [Fact]
        public void DayFirstFile_IsLearnedFromAnUnambiguousRow_EvenWhenItComesLater()
        {
            // 03/11 alone could be 11 March; the later 25/11 row shows the file is day-first.
            var (events, _) = Read(Header + "\n" + Row("03/11/2026, 09:00:00.000", "a") + "\n" + Row("25/11/2026, 17:30:00.000", "b") + "\n");

            Assert.Equal(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero), events[0].TimeGenerated);
            Assert.Equal(new DateTimeOffset(2026, 11, 25, 17, 30, 0, TimeSpan.Zero), events[1].TimeGenerated);
        }

        [Fact]
        public void QuotedFieldWithNewline_AndUtf16_AreRead()
        {
            string row = Row("11/20/2026, 1:04:05.000 AM", "dev-2").Replace("DeviceConnectionClosedRemotely", "\"Closed,\nremotely\"");
            var (events, reporter) = Read(Header + "\r\n" + row + "\r\n" + Row("11/20/2026, 2:00:00.000 AM", "dev-3") + "\r\n", Encoding.Unicode);

            Assert.Empty(reporter.Problems);
            Assert.Equal(new[] { "dev-2", "dev-3" }, events.Select(e => e.DeviceId));
            Assert.Equal("Closed,\nremotely", events[0].ResultDescription);
        }

        [Fact]
        public void BadRows_AreReportedWithTheirLine()
        {
            var (events, reporter) = Read(Header + "\n" + Row("yesterday", "a") + "\n" + Row("11/20/2026, 1:00:00 PM", "b").Replace("{\"\"deviceId", "{\"\"deviceId\"\":") + "\n" + Row("11/20/2026, 2:00:00 PM", "c") + "\n");

            Assert.Equal("c", Assert.Single(events).DeviceId);
            Assert.Equal(new long?[] { 2, 3 }, reporter.Problems.Select(p => p.Position?.Line));
            Assert.Contains("'yesterday'", reporter.Problems[0].Message);
            Assert.Contains("properties", reporter.Problems[1].Message);
        }

        [Fact]
        public void CsvWithoutTimeColumn_IsReportedAsUnrecognized()
        {
            var (events, reporter) = Read("a,b,c\n1,2,3\n");

            Assert.Empty(events);
            Assert.Equal("UnrecognizedLogFile", Assert.Single(reporter.Problems).ErrorId);
        }

        [Fact]
        public void LocalTimeColumn_IsConvertedAndWarned()
        {
            var (events, reporter) = Read(Header.Replace("[UTC]", "[Local Time]") + "\n" + Row("2026-11-20 10:00:00", "a") + "\n");

            var expected = new DateTimeOffset(new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Local)).ToUniversalTime();
            Assert.Equal(expected, Assert.Single(events).TimeGenerated);
            Assert.Single(reporter.Warnings);
        }
    }

    public class ExportTimeParserTests
    {
        [Theory]
        [InlineData("11/20/2026, 1:04:05.123 PM", "en-US", 2026, 11, 20, 13, 4, 5, 123)]
        [InlineData("11/20/2026, 12:00:00.000 AM", "en-US", 2026, 11, 20, 0, 0, 0, 0)]
        [InlineData("20/11/2026, 13:04:05.123", "en-GB", 2026, 11, 20, 13, 4, 5, 123)]
        [InlineData("20.11.2026, 13:04:05,123", "de-DE", 2026, 11, 20, 13, 4, 5, 123)]
        [InlineData("2026/11/20 13:04:05", "zh-CN", 2026, 11, 20, 13, 4, 5, 0)]
        [InlineData("2026-11-20T13:04:05.123Z", "en-US", 2026, 11, 20, 13, 4, 5, 123)]
        [InlineData("2026-11-20T15:04:05.123+02:00", "en-US", 2026, 11, 20, 13, 4, 5, 123)]
        [InlineData("05/06/2026, 13:04:05", "en-US", 2026, 5, 6, 13, 4, 5, 0)]
        [InlineData("05/06/2026, 13:04:05", "fr-FR", 2026, 6, 5, 13, 4, 5, 0)]
        public void Parses(string text, string culture, int y, int mo, int d, int h, int mi, int s, int ms)
        {
            var parser = new ExportTimeParser(assumeUtc: true, CultureInfo.GetCultureInfo(culture));

            Assert.True(parser.TryParse(text, out var result));
            Assert.Equal(new DateTimeOffset(y, mo, d, h, mi, s, ms, TimeSpan.Zero), result);
        }

        [Theory]
        [InlineData("13/13/2026, 10:00:00")]
        [InlineData("31/02/2026, 10:00:00")]
        [InlineData("11/20/2026, 13:00:00 PM")]
        [InlineData("soon")]
        [InlineData("")]
        public void RejectsNonDates(string text)
        {
            Assert.False(new ExportTimeParser(true, CultureInfo.InvariantCulture).TryParse(text, out _));
        }

        [Fact]
        public void LearnedOrder_WinsOverCulture()
        {
            var parser = new ExportTimeParser(true, CultureInfo.GetCultureInfo("en-US"));
            parser.Learn("25/11/2026, 10:00:00");

            Assert.True(parser.DayFirst);
            Assert.True(parser.TryParse("03/11/2026, 10:00:00", out var result));
            Assert.Equal(11, result.Month);
            Assert.Equal(3, result.Day);
        }
    }
}
