using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.LogGenerator;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    /// <summary>The lean parse (the analysis' fast path) must read what the full parse reads.</summary>
    public class LeanParsingTests
    {
        private static string Fields(IoTHubConnectionEvent e) =>
            $"{e.TimeGenerated:o}|{e.DeviceId}|{e.ModuleId}|{e.OperationName}|{e.Level}|{e.ResultType}|{e.Category}|{e.Protocol}|{e.MaskedIpAddress}|{e.SdkVersion}";

        private static List<string> Parse(string line, bool lean)
        {
            var outcomes = new List<RecordOutcome>();
            new ConnectionRecordParser(lean).ParseValue(Encoding.UTF8.GetBytes(line), new ConnectionEventFilter(), outcomes);
            return outcomes.Select(o => o.Event != null ? Fields(o.Event) : "error: " + o.Error).ToList();
        }

        private static string Record(string escapedProperties) =>
            "{\"time\":\"2026-11-20T10:00:00Z\",\"operationName\":\"deviceDisconnect\",\"category\":\"Connections\",\"level\":\"Error\",\"resultType\":\"404104\",\"properties\":\"" + escapedProperties + "\"}";

        [Theory]
        [InlineData("{\\\"deviceId\\\":\\\"d1\\\",\\\"protocol\\\":\\\"Mqtt\\\",\\\"authType\\\":\\\"{\\\\\\\"scope\\\\\\\":\\\\\\\"device\\\\\\\",\\\\\\\"type\\\\\\\":\\\\\\\"sas\\\\\\\"}\\\",\\\"maskedIpAddress\\\":\\\"203.0.113.XXX\\\",\\\"statusCode\\\":null,\\\"sdkVersion\\\":\\\"iothubclient/1.11.0\\\"}")]
        [InlineData("{\\\"deviceId\\\": \\\"spaced\\\", \\\"protocol\\\": \\\"Amqp\\\"}")]
        [InlineData("{\\u0022deviceId\\u0022:\\u0022unicode\\u0022,\\u0022protocol\\u0022:\\u0022Mqtt\\u0022}")]
        [InlineData("{\\\"deviceId\\\":\\\"back\\\\\\\\slash\\\",\\\"protocol\\\":\\\"Mqtt\\\"}")]
        [InlineData("{\\\"deviceId\\\":\\\"caf\\u00e9\\\",\\\"moduleId\\\":null,\\\"statusCode\\\":404}")]
        [InlineData("{\\\"DeviceId\\\":\\\"upper\\\",\\\"Protocol\\\":\\\"Mqtt\\\"}")]
        [InlineData("{\\\"errorMessage\\\":\\\"said \\\\\\\"no\\\\\\\", twice\\\",\\\"deviceId\\\":\\\"after-message\\\",\\\"moduleId\\\":\\\"$edgeHub\\\"}")]
        [InlineData("{\\\"deviceId\\\":\\\"d2\\\",\\\"nested\\\":{\\\"a\\\":1}}")]
        [InlineData("{}")]
        [InlineData("{\\\"protocol\\\":\\\"Mqtt\\\"}")]
        [InlineData("{\\\"deviceId\\\":\\\"trailing\\\"} ")]
        public void EdgeCases_ReadTheSameAsTheFullParse(string escapedProperties)
        {
            string line = Record(escapedProperties);
            Assert.Equal(Parse(line, lean: false), Parse(line, lean: true));
        }

        [Theory]
        [InlineData("{\\\"deviceId\\\":\\\"d1\\\",\\\"protocol\\\":\\\"Mqtt\\\",\\\"statusCode\\\":null}", true)]
        [InlineData("{\\\"deviceId\\\": \\\"spaced\\\"}", false)]
        [InlineData("{\\\"deviceId\\\":\\\"back\\\\\\\\slash\\\"}", false)]
        public void TheShortcutTakesOrdinaryRecords_AndLeavesTheRest(string raw, bool taken)
        {
            var e = new IoTHubConnectionEvent();
            Assert.Equal(taken, LeanPropertiesScanner.TryScan(Encoding.UTF8.GetBytes(raw), e, new IoTEdgeTroubleshoot.Platform.Utf8StringCache()));
            if (taken) Assert.Equal(("d1", "Mqtt"), (e.DeviceId, e.Protocol));
        }

        [Fact]
        public void EveryGeneratedRecord_ReadsTheSame()
        {
            using var dir = new TempFolder();
            var options = new GeneratorOptions { Devices = 120, Hours = 12, Seed = 5 };
            new ConnectionLogWriter(ConnectionLogScenario.Generate(options), options).WriteStorageTree(dir.Path);
            int lines = 0;
            foreach (var file in ConnectionLogReader.ExpandPath(dir.Path))
            {
                foreach (var line in File.ReadLines(file))
                {
                    lines++;
                    Assert.Equal(Parse(line, lean: false), Parse(line, lean: true));
                }
            }

            Assert.True(lines > 500);
        }
    }
}
