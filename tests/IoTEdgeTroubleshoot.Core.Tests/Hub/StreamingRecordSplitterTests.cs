using System.IO;
using System.Linq;
using System.Text;
using IoTEdgeTroubleshoot.Hub;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    public class StreamingRecordSplitterTests
    {
        private static string[] Split(string json, int bufferSize)
        {
            var splitter = new StreamingRecordSplitter(new MemoryStream(Encoding.UTF8.GetBytes(json)), bufferSize);
            var parts = new System.Collections.Generic.List<string>();
            while (splitter.TryReadElement(out var element)) parts.Add(Encoding.UTF8.GetString(element.Bytes));
            return parts.ToArray();
        }

        [Theory]
        [InlineData(8)]
        [InlineData(33)]
        [InlineData(4096)]
        public void SplitsWrappersArraysAndTopLevelObjects_WithAnyBufferSize(int bufferSize)
        {
            string json = "{\"records\":[{\"a\":1},{\"b\":\"x,y\"}],\"other\":{\"z\":[1,2]}}\n[{\"c\":3}]\n{\"d\":{\"e\":4}}";

            Assert.Equal(new[] { "{\"a\":1}", "{\"b\":\"x,y\"}", "{\"c\":3}", "{\"d\":{\"e\":4}}" }, Split(json, bufferSize));
        }

        [Fact]
        public void ReportsWhereARecordStarts()
        {
            var splitter = new StreamingRecordSplitter(new MemoryStream(Encoding.UTF8.GetBytes("{\n  \"records\": [\n    {\"a\":1},\n      {\"b\":2}\n]}")), 8);

            Assert.True(splitter.TryReadElement(out var first));
            Assert.True(splitter.TryReadElement(out var second));
            Assert.Equal((3, 5), (first.Line, first.Column));
            Assert.Equal((4, 7), (second.Line, second.Column));
        }

        [Theory]
        [InlineData(4096)]
        [InlineData(5)]
        public void BrokenRecord_IsReportedWhereItBreaks_AndTheNextRecordIsRead(int bufferSize)
        {
            var splitter = new StreamingRecordSplitter(new MemoryStream(Encoding.UTF8.GetBytes("[{\"a\":1},\n {\"b\" 2},\n {\"c\":3}]")), bufferSize);

            Assert.True(splitter.TryReadElement(out var a));
            Assert.True(splitter.TryReadElement(out var broken));
            Assert.True(splitter.TryReadElement(out var c));
            Assert.False(splitter.TryReadElement(out _));

            Assert.Null(a.Error);
            Assert.Equal((2L, 7L), (broken.Line, broken.Column)); // the 2 where a colon should be
            Assert.NotNull(broken.Error);
            Assert.Equal("{\"c\":3}", Encoding.UTF8.GetString(c.Bytes));
            Assert.Equal((3L, 2L), (c.Line, c.Column));
        }
    }
}
