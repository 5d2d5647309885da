using IoTEdgeTroubleshoot.Hub.Diagnosis;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub.Diagnosis
{
    /// <summary>The per-thread buffer Evidence texts are written into.</summary>
    public class EvidenceTextTests
    {
        [Fact]
        public void EachTextStartsEmpty_OnTheSameBuffer()
        {
            var first = EvidenceText.Start().Append("12 disconnects");
            Assert.Equal("12 disconnects", first.ToString());
            var second = EvidenceText.Start();
            Assert.Same(first, second);
            Assert.Equal(0, second.Length);
        }

        [Fact]
        public void ABufferThatGrewForAHugeText_IsNotKeptForTheNext()
        {
            // A protocol field of a megabyte in the input must not stay allocated on the thread for the session's life.
            EvidenceText.Start().Append('x', 1_000_000).ToString();
            Assert.True(EvidenceText.Start().Capacity <= 4096);
        }
    }
}
