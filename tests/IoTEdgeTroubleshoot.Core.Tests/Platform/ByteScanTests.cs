using System;
using System.Globalization;
using System.Linq;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    /// <summary>
    /// The per-record path's own searches and comparisons (ByteScan, and the string checks written out by hand beside
    /// it) held to the framework's answers, at every position of a vector block and of the tail after it.
    /// </summary>
    public class ByteScanTests
    {
        [Fact]
        public void IndexOf_AndIndexOfEither_FindWhatTheFrameworkFinds_AtEveryPosition()
        {
            var random = new Random(20261201);
            for (int length = 0; length <= 200; length++)
            {
                for (int trial = 0; trial < 12; trial++)
                {
                    // Mostly letters, with zero to three of the searched bytes at random places.
                    var bytes = Enumerable.Range(0, length).Select(_ => (byte)random.Next('a', 'z' + 1)).ToArray();
                    int plants = random.Next(4);
                    for (int p = 0; p < plants && length > 0; p++) bytes[random.Next(length)] = random.Next(2) == 0 ? (byte)'"' : (byte)'\\';

                    Assert.Equal(bytes.AsSpan().IndexOf((byte)'"'), ByteScan.IndexOf(bytes, (byte)'"'));
                    Assert.Equal(bytes.AsSpan().IndexOfAny((byte)'"', (byte)'\\'), ByteScan.IndexOfEither(bytes, (byte)'"', (byte)'\\'));
                    Assert.Equal(bytes.AsSpan().IndexOfAny((byte)'\\', (byte)'"'), ByteScan.IndexOfEither(bytes, (byte)'\\', (byte)'"'));
                }

                // The searched byte only at each single position in turn (the first, inside a block, the last).
                for (int at = 0; at < length; at++)
                {
                    var bytes = Enumerable.Repeat((byte)'x', length).ToArray();
                    bytes[at] = (byte)'\n';
                    Assert.Equal(at, ByteScan.IndexOf(bytes, (byte)'\n'));
                    Assert.Equal(at, ByteScan.IndexOfEither(bytes, (byte)'"', (byte)'\n'));
                }
            }
        }

        [Fact]
        public void Equal_AndStartsWith_AgreeWithSequenceEqual_WhereverTheBytesDiffer()
        {
            for (int length = 0; length <= 40; length++)
            {
                var a = Enumerable.Range(0, length).Select(i => (byte)('A' + i % 26)).ToArray();
                Assert.True(ByteScan.Equal(a, a.ToArray()));
                Assert.True(ByteScan.StartsWith(a.Concat(new byte[] { 1, 2, 3 }).ToArray(), a));
                Assert.False(ByteScan.Equal(a, a.Concat(new byte[] { 0 }).ToArray())); // longer by one
                Assert.Equal(length == 0, ByteScan.StartsWith(Array.Empty<byte>(), a) || length == 0);
                for (int at = 0; at < length; at++)
                {
                    var b = a.ToArray();
                    b[at] ^= 0x01;
                    Assert.False(ByteScan.Equal(a, b));
                    Assert.Equal(a.AsSpan().SequenceEqual(b), ByteScan.Equal(a, b));
                    Assert.False(ByteScan.StartsWith(b.Concat(new byte[] { 7 }).ToArray(), a));
                    Assert.False(ByteScan.StartsWith(a.AsSpan(0, at).ToArray(), a)); // shorter than the prefix
                }
            }
        }

        [Theory]
        [InlineData("deviceConnect")]
        [InlineData("DEVICECONNECT")]
        [InlineData("DeViCeCoNnEcT")]
        [InlineData("deviceDisconnect")]
        [InlineData("devıceConnect")] // dotless i: no i to OrdinalIgnoreCase on .NET (the framework decides: not ASCII)
        [InlineData("deviceConnecť")]
        [InlineData("deviceConnect ")]
        [InlineData("deviceConnec")]
        [InlineData("devi@eConnect")] // @ | 0x20 is `, no letter
        [InlineData("")]
        [InlineData(null)]
        public void EqualsAsciiIgnoreCase_AgreesWithOrdinalIgnoreCase(string? text)
        {
            Assert.Equal(string.Equals(text, "deviceconnect", StringComparison.OrdinalIgnoreCase), TextValues.EqualsAsciiIgnoreCase(text, "deviceconnect"));
            Assert.Equal(string.Equals(text, "devicedisconnect", StringComparison.OrdinalIgnoreCase), TextValues.EqualsAsciiIgnoreCase(text, "devicedisconnect"));
            var e = new IoTHubConnectionEvent { OperationName = text! };
            Assert.Equal(string.Equals(text, "deviceConnect", StringComparison.OrdinalIgnoreCase), e.IsConnect);
            Assert.Equal(string.Equals(text, "deviceDisconnect", StringComparison.OrdinalIgnoreCase), e.IsDisconnect);
        }

        [Fact]
        public void EqualsAsciiIgnoreCase_AgreesWithOrdinalIgnoreCase_ForEveryUtf16UnitInEveryPlace()
        {
            const string name = "deviceconnect";
            for (int at = 0; at < name.Length; at++)
            {
                for (int code = 0; code <= char.MaxValue; code++)
                {
                    char c = (char)code;
                    string text = name.Substring(0, at) + c + name.Substring(at + 1);
                    Assert.True(string.Equals(text, name, StringComparison.OrdinalIgnoreCase) == TextValues.EqualsAsciiIgnoreCase(text, name), $"'{text}' (U+{(int)c:X4})");
                }
            }
        }

        [Theory]
        [InlineData("0")]
        [InlineData("007")]
        [InlineData("404001")]
        [InlineData("2147483647")]
        [InlineData("2147483648")]
        [InlineData("99999999999999999999")]
        [InlineData("-1")]
        [InlineData("+1")]
        [InlineData(" 1")]
        [InlineData("1 ")]
        [InlineData("1.0")]
        [InlineData("١٢")] // Arabic-Indic digits: no ASCII digits
        [InlineData("1\0")] // the framework ignores trailing NULs
        [InlineData("1\0\0")]
        [InlineData("1\0a")]
        [InlineData("\0")]
        [InlineData("\01")]
        [InlineData("abc")]
        public void ParseCode_AgreesWithIntTryParse(string text)
        {
            int expected = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int code) ? code : -1;
            Assert.Equal(expected, DeviceTimeline.ParseCode(text));
        }

        [Theory]
        [InlineData("", false)]
        [InlineData("0", false)]
        [InlineData("200", false)]
        [InlineData("1", true)]
        [InlineData("00", true)]
        [InlineData("201", true)]
        [InlineData("2000", true)]
        [InlineData("404001", true)]
        public void HasErrorCode_IsFalseOnlyForEmptyZeroAnd200(string resultType, bool expected)
        {
            Assert.Equal(expected, ErrorResolver.HasErrorCode(new IoTHubConnectionEvent { ResultType = resultType }));
            Assert.Equal(!string.IsNullOrEmpty(resultType) && resultType != "0" && resultType != "200", expected);
        }
    }
}
