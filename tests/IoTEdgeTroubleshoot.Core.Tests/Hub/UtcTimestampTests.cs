using System;
using System.Globalization;
using System.Text;
using IoTEdgeTroubleshoot.Hub;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    public class UtcTimestampTests
    {
        [Theory]
        [InlineData("2026-11-20T13:04:05.1234567Z")]
        [InlineData("2026-11-20T13:04:05.123Z")]
        [InlineData("2026-11-20T13:04:05.1Z")]
        [InlineData("2026-11-20T13:04:05Z")]
        [InlineData("2024-02-29T23:59:59.9999999Z")]
        public void ReadsTheHubsFormat_AsTheFrameworkDoes(string text)
        {
            Assert.True(UtcTimestamp.TryParse(Encoding.ASCII.GetBytes(text), out var fast));
            var expected = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            Assert.Equal(expected, fast);
            Assert.Equal(TimeSpan.Zero, fast.Offset);
        }

        [Theory]
        [InlineData("2026-11-20T13:04:05+02:00")]
        [InlineData("2026-11-20 13:04:05Z")]
        [InlineData("2026-02-30T13:04:05Z")]
        [InlineData("2026-11-20T24:00:00Z")]
        [InlineData("2026-11-20T13:04:05.Z")]
        [InlineData("2026-11-20T13:04:05.12345678Z")]
        [InlineData("20261120T130405Z")]
        public void LeavesAnythingElseToTheGeneralParser(string text)
        {
            Assert.False(UtcTimestamp.TryParse(Encoding.ASCII.GetBytes(text), out _));
        }
    }
}
