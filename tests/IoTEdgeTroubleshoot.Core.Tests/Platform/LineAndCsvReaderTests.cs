using System;
using System.IO;
using System.Linq;
using System.Text;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    public class Utf8LineReaderTests
    {
        private static string[] Lines(string text, int bufferSize)
        {
            var reader = new Utf8LineReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), bufferSize);
            var lines = new System.Collections.Generic.List<string>();
            while (reader.TryReadLine(out var line)) lines.Add(Encoding.UTF8.GetString(line.Array!, line.Offset, line.Count));
            return lines.ToArray();
        }

        [Theory]
        [InlineData(4)]
        [InlineData(7)]
        [InlineData(1024)]
        public void SplitsAcrossBufferBoundaries_AndGrowsForLongLines(int bufferSize)
        {
            string longLine = new string('x', 50);
            Assert.Equal(new[] { "ab", "", longLine, "c", "last" }, Lines("ab\r\n\n" + longLine + "\nc\r\nlast", bufferSize));
        }

        [Fact]
        public void CountsLines()
        {
            var reader = new Utf8LineReader(new MemoryStream(Encoding.UTF8.GetBytes("a\nb\nc\n")), 2);
            while (reader.TryReadLine(out _)) { }
            Assert.Equal(3, reader.LineNumber);
        }
    }

    public class CsvReaderTests
    {
        [Fact]
        public void ReadsQuotesDoubledQuotesAndNewlinesInsideQuotes()
        {
            var csv = new CsvReader(new StringReader("a,\"b,1\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",,end\n"));

            Assert.Equal(new[] { "a", "b,1", "say \"hi\"" }, csv.ReadRow());
            Assert.Equal(1, csv.RowLine);
            Assert.Equal(new[] { "multi\nline", "", "end" }, csv.ReadRow());
            Assert.Equal(2, csv.RowLine);
            Assert.Null(csv.ReadRow());
        }

        [Fact]
        public void FlagsAnUnterminatedQuote()
        {
            var csv = new CsvReader(new StringReader("a,\"never closed\n"));

            Assert.Equal(2, csv.ReadRow()!.Count);
            Assert.True(csv.UnterminatedQuote);
        }
    }
}
