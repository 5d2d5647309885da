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
            $"{e.TimeGenerated:o}|{e.DeviceId}|{e.ModuleId}|{e.OperationName}|{e.Level}|{e.ResultType}|{e.Category}|{e.Protocol}|{e.AddressHashValue}|{e.SdkVersion}";

        internal static List<string> Parse(string line, bool lean)
        {
            var outcomes = new List<RecordOutcome>();
            try
            {
                new ConnectionRecordParser(lean).ParseValue(Encoding.UTF8.GetBytes(line), new ConnectionEventFilter(), outcomes);
            }
            catch (MalformedRecordException ex)
            {
                return new List<string> { "malformed: " + ex.Message };
            }

            return outcomes.Select(o => o.Event != null ? Fields(o.Event) : o.Error != null ? "error: " + o.Error : "filtered").ToList();
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
        // Damage the shortcut must leave to the full parse (issue 8): inner escapes JSON does not know, control
        // characters inside the inner JSON's strings, unquoted values that are not JSON, halves of surrogate pairs.
        [InlineData("{\\\"deviceId\\\":\\\"d\\\",\\\"errorMessage\\\":\\\"bad \\\\x escape\\\"}")]
        [InlineData("{\\\"deviceId\\\":\\\"d\\\",\\\"errorMessage\\\":\\\"a\\nline break\\\"}")]
        [InlineData("{\\\"deviceId\\\":\\\"d\\\",\\\"errorMessage\\\":\\\"nul \\u0000\\\"}")]
        [InlineData("{\\\"deviceId\\\":\\\"d\\\",\\\"errorMessage\\\":\\\"hex \\\\u00zz\\\"}")]
        [InlineData("{\\\"deviceId\\\":\\\"d\\\",\\\"errorMessage\\\":\\\"fine \\\\u0041\\\\t\\\\/\\\"}")]
        [InlineData("{\\\"deviceId\\\":\\\"d\\\",\\\"statusCode\\\":4x4}")]
        [InlineData("{\\\"deviceId\\\":\\\"d\\\",\\\"statusCode\\\":true,\\\"flag\\\":-1.5e3}")]
        [InlineData("{\\\"deviceId\\\":\\\"d\\\",\\\"errorMessage\\\":\\\"half \\ud800 pair\\\"}")]
        [InlineData("{\\\"deviceId\\\":\\\"half \\\\ud800 pair\\\"}")]
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
            Assert.Equal(taken, new LeanPropertiesScanner(new IoTEdgeTroubleshoot.Platform.Utf8StringCache()).TryScan(Encoding.UTF8.GetBytes(raw), e));
            if (taken) Assert.Equal(("d1", "Mqtt"), (e.DeviceId, e.Protocol));
        }

        [Theory]
        [InlineData("{\"time\":\"2026-11-20T10:00:00.1234567Z\",\"operationName\":\"deviceConnect\",\"level\":\"Information\",\"properties\":\"{\\\"deviceId\\\":\\\"d\\\"}\"}")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\", \"level\":\"Error\",\"resultType\":\"404104\",\"deviceId\":\"spaced\"}")]
        [InlineData("{\"TimeGenerated\":\"2026-11-20T10:00:00Z\",\"OperationName\":\"deviceDisconnect\",\"Level\":\"Error\",\"ResultType\":404104,\"properties_s\":\"{\\\"deviceId\\\":\\\"upper\\\"}\"}")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00+01:00\",\"level\":\"Error\",\"deviceId\":\"offset\"}")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"level\":\"Err\\u006fr\",\"deviceId\":\"escaped-level\"}")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"level\":\"Error\",\"deviceId\":\"d\",\"statusCode\":4x4}")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"level\":\"Error\",\"deviceId\":\"d\",\"durationMs\":-12.5e3,\"moduleId\":null,\"flag\":true}")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"level\":\"Error\",\"deviceId\":\"d\",\"nested\":{\"a\":1}}")]
        [InlineData("{\"level\":\"Error\",\"deviceId\":\"no-time\"}")]
        [InlineData("{\"records\":[{\"time\":\"2026-11-20T10:00:00Z\",\"deviceId\":\"in-wrapper\"}]}")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"category\":\"Routes\",\"deviceId\":\"other-category\"}")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"deviceId\":\"trailing\"}x")]
        // The properties string is scanned in one pass that also finds its end: a bare quote inside it ends the
        // string early in JSON, wherever it sits, and the object's } must be followed by the closing quote.
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"level\":\"Error\",\"properties\":\"{\\\"deviceId\\\":\\\"d\"e\\\"}\"}")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"level\":\"Error\",\"properties\":\"{\\\"dev\"iceId\\\":\\\"d\\\"}\"}")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"level\":\"Error\",\"properties\":\"{\\\"deviceId\\\":\\\"d\\\",\\\"statusCode\\\":4\"04}\"}")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"level\":\"Error\",\"properties\":\"{\\\"deviceId\\\":\\\"d\\\"}x\"}")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"level\":\"Error\",\"properties\":\"{\\\"deviceId\\\":\\\"d\\\"}\",\"location\":\"westeurope\"}")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"level\":\"Error\",\"properties\":\"{\\\"deviceId\\\":\\\"d\\\"}\"")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"level\":\"Error\",\"properties\":\"{\\\"deviceId\\\":\\\"d\\\"}")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"level\":\"Error\",\"properties\":\"{}\",\"deviceId\":\"top-level\"}")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"level\":\"Error\",\"properties\":\"{\\\"deviceId\\\":\\\"d\",\"deviceId\":\"\\\"}\"}")]
        // The hub's keys in its usual order are matched whole: other orders, spellings and near misses take the long way.
        [InlineData("{\"resourceId\":\"/S/X/IOTHUBS/H\",\"time\":\"2026-11-20T10:00:00Z\",\"level\":\"Error\",\"operationName\":\"deviceConnect\",\"properties\":\"{\\\"deviceId\\\":\\\"reordered\\\"}\"}")]
        [InlineData("{\"Time\":\"2026-11-20T10:00:00Z\",\"ResourceId\":\"/S/X/IOTHUBS/H\",\"OperationName\":\"deviceConnect\",\"properties\":\"{\\\"deviceId\\\":\\\"capitals\\\"}\"}")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"resourceIdX\":\"/S/X\",\"operationName\":\"deviceConnect\",\"properties\":\"{\\\"deviceId\\\":\\\"near-miss\\\"}\"}")]
        [InlineData("{\"time\":\"2026-11-20T10:00:00Z\",\"time\":\"2026-11-21T10:00:00Z\",\"properties\":\"{\\\"deviceId\\\":\\\"twice\\\"}\"}")]
        [InlineData("{\"ti\\u006de\":\"2026-11-20T10:00:00Z\",\"properties\":\"{\\\"deviceId\\\":\\\"escaped-key\\\"}\"}")]
        public void WholeRecordEdgeCases_ReadTheSameAsTheFullParse(string line)
        {
            Assert.Equal(Parse(line, lean: false), Parse(line, lean: true));
        }

        // Properties written readably: ' stands for \" (a quote of the properties' JSON) and ` for \\\" (a quote of a
        // JSON written inside one of its strings, as authType is).
        private static string Props(string readable) => readable.Replace("'", "\\\"").Replace("`", "\\\\\\\"");

        private const string Warm = "{'deviceId':'d1','protocol':'Mqtt','authType':'{`scope`:`device`,`type`:`sas`}','maskedIpAddress':'203.0.113.XXX','statusCode':'404','errorMessage':'closed','sdkVersion':'s1'}";

        // Every record through one lean parser, as a reader thread does: the values it skipped in one record are
        // remembered for the next.
        private static List<string> ParseInOneParser(IEnumerable<string> lines, bool lean)
        {
            var parser = new ConnectionRecordParser(lean);
            var read = new List<string>();
            foreach (var line in lines)
            {
                var outcomes = new List<RecordOutcome>();
                try
                {
                    parser.ParseValue(Encoding.UTF8.GetBytes(line), new ConnectionEventFilter(), outcomes);
                    read.AddRange(outcomes.Select(o => o.Event != null ? Fields(o.Event) : o.Error != null ? "error: " + o.Error : "filtered"));
                }
                catch (MalformedRecordException ex)
                {
                    read.Add("malformed: " + ex.Message);
                }
            }

            return read;
        }

        [Theory]
        // The same skipped value again, and values of the same length that differ (one of them broken: an unknown escape).
        [InlineData("{'deviceId':'d2','protocol':'Amqp','authType':'{`scope`:`device`,`type`:`sas`}','maskedIpAddress':'203.0.113.XXX','statusCode':'404','errorMessage':'closed','sdkVersion':'s1'}")]
        [InlineData("{'deviceId':'d2','protocol':'Mqtt','authType':'{`scope`:`module`,`type`:`sas`}','maskedIpAddress':'203.0.113.XXX','statusCode':'401','errorMessage':'opened','sdkVersion':'s1'}")]
        [InlineData("{'deviceId':'d2','protocol':'Mqtt','authType':'{`scope`:`device`,`type`:`sas`}','maskedIpAddress':'203.0.113.XXX','statusCode':'404','errorMessage':'cl\\\\qd','sdkVersion':'s1'}")]
        [InlineData("{'deviceId':'d2','protocol':'Mqtt','authType':'{`scope`:`device`,`type`:`sa\\\\`}','maskedIpAddress':'203.0.113.XXX','statusCode':'404','errorMessage':'closed','sdkVersion':'s1'}")]
        // A value that is a start of the remembered one, and one that the remembered one starts (without its closing \").
        [InlineData("{'deviceId':'d2','protocol':'Mqtt','authType':'{`scope`:`device`}','maskedIpAddress':'203.0.113.XXX','statusCode':'40','errorMessage':'close','sdkVersion':'s1'}")]
        [InlineData("{'deviceId':'d2','protocol':'Mqtt','authType':'{`scope`:`device`,`type`:`sas`}x','maskedIpAddress':'203.0.113.XXX','statusCode':'4044','errorMessage':'closed, twice','sdkVersion':'s1'}")]
        // The remembered bytes but the last: the value's closing \" is an outer escape (\t) there.
        [InlineData("{'deviceId':'d2','protocol':'Mqtt','authType':'{`scope`:`device`,`type`:`sas`}','errorMessage':'closed\\t,'sdkVersion':'s1'}")]
        // The remembered bytes, then something else than , or }.
        [InlineData("{'deviceId':'d2','protocol':'Mqtt','authType':'{`scope`:`device`,`type`:`sas`}'x,'maskedIpAddress':'203.0.113.XXX','sdkVersion':'s1'}")]
        [InlineData("{'deviceId':'d2','protocol':'Mqtt','authType':'{`scope`:`device`,`type`:`sas`}' ,'maskedIpAddress':'203.0.113.XXX','sdkVersion':'s1'}")]
        [InlineData("{'deviceId':'d2','protocol':'Mqtt','authType':'{`scope`:`device`,`type`:`sas`}'\\,'maskedIpAddress':'203.0.113.XXX','sdkVersion':'s1'}")]
        [InlineData("{'deviceId':'d2','protocol':'Mqtt','statusCode':'404'\"}")]
        [InlineData("{'deviceId':'d2','protocol':'Mqtt','authType':'{`scope`:`device`,`type`:`sas`}'}")]
        // A bare quote (the outer string's end) inside a value met before, or right after it.
        [InlineData("{'deviceId':'d2','protocol':'Mqtt','authType':'{`scope`:`dev\"ice`,`type`:`sas`}','maskedIpAddress':'203.0.113.XXX','sdkVersion':'s1'}")]
        [InlineData("{'deviceId':'d2','protocol':'Mqtt','authType':'{`scope`:`device`,`type`:`sas`}\",'maskedIpAddress':'203.0.113.XXX','sdkVersion':'s1'}")]
        [InlineData("{'deviceId':'d2','protocol':'Mqtt','authType':'{`scope`:`device`,`type`:`sas`}','errorMessage':'clo\"sed','sdkVersion':'s1'}")]
        // Keys in another order, in other letter case, twice, or near misses of the usual ones.
        [InlineData("{'protocol':'Mqtt','deviceId':'d2','authType':'{`scope`:`device`,`type`:`sas`}','sdkVersion':'s1','maskedIpAddress':'203.0.113.XXX'}")]
        [InlineData("{'deviceId':'d2','Protocol':'Mqtt','authType':'{`scope`:`device`,`type`:`sas`}','sdkVersion':'s1'}")]
        [InlineData("{'deviceId':'d2','AuthType':'{`scope`:`device`,`type`:`sas`}','authType':'{`scope`:`device`,`type`:`sas`}','sdkVersion':'s1'}")]
        [InlineData("{'deviceId':'d2','errorMessage':'closed','statusCode':'404','authType':'{`scope`:`device`,`type`:`sas`}','protocol':'Mqtt'}")]
        [InlineData("{'deviceId':'d2','protocol':'Mqtt','protocol':'Amqp'}")]
        [InlineData("{'deviceId':'d2','deviceId':'d3'}")]
        [InlineData("{'deviceIdX':'d2','deviceId_s':'d3'}")]
        [InlineData("{'deviceId':'d2','moduleId':'m','sdkVersion':'s1','deviceid':'d3'}")]
        [InlineData("{'deviceId' :'d2','protocol':'Mqtt'}")]
        public void AfterAnOrdinaryRecord_TheNextReadsTheSameAsTheFullParse(string readable)
        {
            var lines = new[] { Record(Props(Warm)), Record(Props(readable)), Record(Props(Warm)) };
            Assert.Equal(ParseInOneParser(lines, lean: false), ParseInOneParser(lines, lean: true));
        }

        [Fact]
        public void ARecordLikeTheLast_IsTakenWithItsOwnKeptValues()
        {
            var parser = new ConnectionRecordParser(lean: true);
            foreach (var (device, protocol) in new[] { ("d1", "Mqtt"), ("d2", "Amqp"), ("d3", "Mqtt") })
            {
                string line = Record(Props(Warm.Replace("'d1'", "'" + device + "'").Replace("'Mqtt'", "'" + protocol + "'")));
                Assert.True(parser.TryScanLeanRecord(Encoding.UTF8.GetBytes(line), new ConnectionEventFilter(), out var outcome));
                Assert.Equal((device, protocol, "s1"), (outcome.Event!.DeviceId, outcome.Event.Protocol, outcome.Event.SdkVersion));
            }
        }

        [Fact]
        public void TheWholeRecordShortcut_TakesTheHubsOrdinaryRecords()
        {
            var parser = new ConnectionRecordParser(lean: true);
            string ordinary = Records.Line("2026-11-20T10:00:00.1234567Z", "dev-7");

            Assert.True(parser.TryScanLeanRecord(Encoding.UTF8.GetBytes(ordinary), new ConnectionEventFilter(), out var outcome));
            Assert.Equal("dev-7", outcome.Event!.DeviceId);
            Assert.False(parser.TryScanLeanRecord(Encoding.UTF8.GetBytes(ordinary.Replace(",\"", ", \"")), new ConnectionEventFilter(), out _));
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
