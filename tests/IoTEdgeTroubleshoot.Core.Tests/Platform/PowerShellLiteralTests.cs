using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    public class PowerShellLiteralTests
    {
        [Theory]
        [InlineData("/etc/docker/daemon.json", "'/etc/docker/daemon.json'")]
        [InlineData("/data/it's/daemon.json", "'/data/it''s/daemon.json'")]
        [InlineData("/data/it\u2019s; rm x; \u2018/daemon.json", "'/data/it\u2019\u2019s; rm x; \u2018\u2018/daemon.json'")]
        [InlineData("\u201A\u201B", "'\u201A\u201A\u201B\u201B'")]
        [InlineData("", "''")]
        public void Every_character_PowerShell_ends_a_single_quoted_string_at_is_doubled(string value, string quoted) =>
            Assert.Equal(quoted, PowerShellLiteral.Quote(value));
    }
}
