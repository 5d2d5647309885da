using IoTEdgeTroubleshoot.Edge.SupportBundle;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.SupportBundle
{
    public class LineMaskerTests
    {
        [Fact]
        public void APrivateKeyOverSeveralLines_IsHiddenLineByLine_UpToItsEnd()
        {
            var masker = new LineMasker();
            Assert.Equal("loaded -----BEGIN PRIVATE KEY-----", masker.Mask("loaded -----BEGIN PRIVATE KEY-----"));
            Assert.Equal("***", masker.Mask("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"));
            Assert.Equal("", masker.Mask(""));
            Assert.Equal("***-----END PRIVATE KEY----- done", masker.Mask("AbCd==-----END PRIVATE KEY----- done"));
            Assert.Equal("plain line after", masker.Mask("plain line after"));
        }

        [Fact]
        public void AKeyOnOneLine_DoesNotHideTheLinesAfterIt()
        {
            var masker = new LineMasker();
            masker.Mask("-----BEGIN EC PRIVATE KEY-----abc-----END EC PRIVATE KEY-----");
            Assert.Equal("next line", masker.Mask("next line"));
        }

        [Fact]
        public void OtherSecrets_AreMaskedAsEverywhere() =>
            Assert.Equal("Authorization: Bearer ***", new LineMasker().Mask("Authorization: Bearer abc.def"));
    }
}
