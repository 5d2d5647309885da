using System;
using IoTEdgeTroubleshoot.Edge.Logs;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Logs
{
    /// <summary>-Since 15m / -StartTime 2h: durations as 'iotedge logs --since' and journalctl take them.</summary>
    public class LogDurationTests
    {
        [Theory]
        [InlineData("15m", 0, 15, 0)]
        [InlineData("2h", 2, 0, 0)]
        [InlineData("1d", 24, 0, 0)]
        [InlineData("1h30m", 1, 30, 0)]
        [InlineData("1h 30m 10s", 1, 30, 10)]
        [InlineData("90 minutes", 0, 90, 0)]
        [InlineData("2 days 3 hours", 51, 0, 0)]
        [InlineData("-15m", 0, 15, 0)]
        [InlineData(" 45 SEC ", 0, 0, 45)]
        [InlineData("1w", 168, 0, 0)]
        [InlineData("10mins", 0, 10, 0)]
        public void TryParse_ReadsDurationsAsUsersTypeThem(string text, int hours, int minutes, int seconds)
        {
            Assert.True(LogDuration.TryParse(text, out var duration));
            Assert.Equal(new TimeSpan(hours, minutes, seconds), duration);
        }

        [Fact]
        public void TryParse_Milliseconds_AreNotMinutes()
        {
            Assert.True(LogDuration.TryParse("250ms", out var duration));
            Assert.Equal(TimeSpan.FromMilliseconds(250), duration);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("-")]
        [InlineData("15")]
        [InlineData("15x")]
        [InlineData("m")]
        [InlineData("15 months")]
        [InlineData("2026-07-20")]
        [InlineData("2026-07-20T10:00:00Z")]
        [InlineData("yesterday")]
        [InlineData("15m; rm -rf /")]
        [InlineData("999999999w999999999w999999999w")]
        public void TryParse_RefusesWhatIsNoDuration(string? text)
        {
            Assert.False(LogDuration.TryParse(text, out _));
        }

        [Fact]
        public void Before_IsThatLongBeforeNow_AndNeverBeforeTheEarliestTime()
        {
            var now = new DateTimeOffset(2026, 7, 20, 10, 0, 0, TimeSpan.Zero);

            Assert.Equal(new DateTimeOffset(2026, 7, 20, 9, 45, 0, TimeSpan.Zero), LogDuration.Before(now, TimeSpan.FromMinutes(15)));
            Assert.Equal(DateTimeOffset.MinValue, LogDuration.Before(now, TimeSpan.MaxValue));
        }
    }
}
