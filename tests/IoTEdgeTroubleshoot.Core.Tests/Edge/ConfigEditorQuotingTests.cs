using IoTEdgeTroubleshoot.Edge.Config;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge
{
    /// <summary>
    /// A value written without quotes must read back as the same string in every YAML parser, also the
    /// YAML 1.1 one of the 1.0/1.1 daemon, where hostname: yes is a boolean and hostname: null no name at all.
    /// </summary>
    public class ConfigEditorQuotingTests
    {
        private static EdgeConfigDocument Doc(string name) => EdgeConfigDocument.Load(ConfigFiles.Source(name));

        [Theory]
        [InlineData("null")]
        [InlineData("Null")]
        [InlineData("NULL")]
        [InlineData("true")]
        [InlineData("True")]
        [InlineData("false")]
        [InlineData("yes")]
        [InlineData("Yes")]
        [InlineData("no")]
        [InlineData("NO")]
        [InlineData("on")]
        [InlineData("off")]
        [InlineData("Off")]
        [InlineData("y")]
        [InlineData("n")]
        public void HostnameThatYamlReadsAsNullOrBoolean_IsWrittenQuoted(string hostname)
        {
            string before = ConfigFiles.Text("linux-1.0-dps-tpm.yaml"); // hostname: edge-tpm-07, without quotes
            string after = ConfigEditor.SetHostname(Doc("linux-1.0-dps-tpm.yaml"), hostname);

            Assert.Equal(before.Replace("hostname: edge-tpm-07", $"hostname: \"{hostname}\""), after);
            var written = Doc("linux-1.0-dps-tpm.yaml").WithText(after).Find("hostname");
            Assert.Equal(ConfigScalarStyle.DoubleQuoted, written!.Style);
            Assert.Equal(hostname, written.Text); // read back as the name, not a boolean or null
        }

        [Theory]
        [InlineData("~")]
        [InlineData("1234")]
        [InlineData("-12")]
        [InlineData("0x1F")]
        [InlineData("0o17")]
        [InlineData("017")]
        [InlineData("1e5")]
        [InlineData("3.14")]
        [InlineData(".5")]
        [InlineData("1_000")]
        [InlineData("12:30:00")]
        [InlineData(".inf")]
        [InlineData("-.Inf")]
        [InlineData(".NaN")]
        [InlineData("2026-11-22")]
        [InlineData("-edge")]
        [InlineData("?x")]
        [InlineData("<<")]
        [InlineData("=")]
        [InlineData("a: b")]
        [InlineData("a #b")]
        public void ValuesThatAreNotPlainStrings_NeedQuotes(string value)
        {
            Assert.True(YamlEdits.NeedsQuotes(value));
        }

        [Theory]
        [InlineData("edge-gw-01")]
        [InlineData("edgevm01.westeurope.cloudapp.azure.com")]
        [InlineData("nullable")]
        [InlineData("yesterday")]
        [InlineData("on-prem-gw")]
        [InlineData("n1")]
        [InlineData("debug")]
        public void OrdinaryNames_StayPlain(string value)
        {
            Assert.False(YamlEdits.NeedsQuotes(value));
        }
    }
}
