using System.Collections.Generic;
using System.Linq;
using System.Text;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    public class Utf8StringCacheTests
    {
        [Fact]
        public void TheSameBytes_GiveTheSameString()
        {
            var cache = new Utf8StringCache();
            var first = cache.Get(Encoding.UTF8.GetBytes("Information"));
            Assert.Equal("Information", first);
            Assert.Same(first, cache.Get(Encoding.UTF8.GetBytes("Information")));
            Assert.Equal(string.Empty, cache.Get(new byte[0]));
            Assert.Equal("größe", cache.Get(Encoding.UTF8.GetBytes("größe")));
            Assert.Throws<System.ArgumentException>(() => new Utf8StringCache(1));
            Assert.Throws<System.ArgumentException>(() => new Utf8StringCache(6));
        }

        [Theory]
        [InlineData(new byte[0])]
        [InlineData(new byte[] { (byte)'a' })]
        [InlineData(new byte[] { (byte)'s', (byte)'e', (byte)'n', (byte)'s', (byte)'o', (byte)'r', (byte)'-', (byte)'1' })]
        [InlineData(new byte[] { 0x00, 0x1F, 0x7F, (byte)'~' })] // control characters and DEL are ASCII too
        [InlineData(new byte[] { (byte)'g', 0xC3, 0xA4, (byte)'t' })] // gät: UTF-8 past the first byte
        [InlineData(new byte[] { 0xE2, 0x82, 0xAC })] // the euro sign first
        [InlineData(new byte[] { (byte)'a', 0xFF, (byte)'b' })] // not UTF-8: replaced as Encoding.UTF8 replaces it
        [InlineData(new byte[] { (byte)'x', 0xF0, 0x9F, 0x98, 0x80 })] // a surrogate pair
        public void Decode_GivesWhatEncodingUtf8Gives(byte[] bytes)
        {
            Assert.Equal(Encoding.UTF8.GetString(bytes), Utf8StringCache.Decode(bytes));
        }

        [Fact]
        public void Decode_MakesANewStringEachTime_NeverWritingIntoAnother()
        {
            // The ASCII path writes into the string it has just made: two decodes must never share one.
            var first = Utf8StringCache.Decode("meter-1"u8);
            var second = Utf8StringCache.Decode("meter-2"u8);
            Assert.Equal("meter-1", first);
            Assert.Equal("meter-2", second);
            Assert.NotSame(first, Utf8StringCache.Decode("meter-1"u8));
            Assert.Same(string.Empty, Utf8StringCache.Decode(System.ReadOnlySpan<byte>.Empty));
        }

        [Fact]
        public void TwoValuesOfOneSet_StayBoth_AThirdReplacesTheOneUsedLongerAgo()
        {
            var cache = new Utf8StringCache(2); // one set of two slots
            var a = cache.Get("Mqtt"u8);
            var b = cache.Get("Amqp"u8);
            for (int round = 0; round < 5; round++)
            {
                Assert.Same(a, cache.Get("Mqtt"u8));
                Assert.Same(b, cache.Get("Amqp"u8));
            }

            Assert.Same(a, cache.Get("Mqtt"u8)); // used last: Amqp is the one to go
            cache.Get("Http"u8);
            Assert.Same(a, cache.Get("Mqtt"u8));
            Assert.NotSame(b, cache.Get("Amqp"u8)); // a new string: its entry had gone
        }

        [Theory]
        [InlineData("abc", "abc\0")] // the same words once padded with zeros: the length tells them apart
        [InlineData("device-000000000000000000-a", "device-000000000000000000-b")] // the same first 24 bytes
        [InlineData("device-000000000000000000", "device-000000000000000000-and-more")] // one the other's first 24 bytes
        [InlineData("twenty-four-bytes-long!!", "twenty-four-bytes-long!?")]
        [InlineData("0123456789abcdefghijklmnAAAAAAAAopqrstuv", "0123456789abcdefghijklmnBBBBBBBBopqrstuv")] // the same hash (bytes 24-31 are not in it)
        public void ValuesThatShareTheirFirstBytes_NeverPassForEachOther(string first, string second)
        {
            var cache = new Utf8StringCache(2); // one set: every value meets the ones before it
            foreach (var (asked, expected) in new[] { (first, first), (second, second), (second, second), (first, first), (first, first) })
            {
                Assert.Equal(expected, cache.Get(Encoding.UTF8.GetBytes(asked)));
            }
        }

        [Fact]
        public void ValuesOfEveryLength_AreFoundAgain_AndToldApartByAnyOneByte()
        {
            // Up to 24 bytes a value is compared as three words within its entry (whole, or a last partial word).
            for (int length = 1; length <= 40; length++)
            {
                var value = Enumerable.Range(0, length).Select(i => (byte)('a' + i % 26)).ToArray();
                var cache = new Utf8StringCache(2);
                var first = cache.Get(value);
                Assert.Same(first, cache.Get((byte[])value.Clone()));
                for (int position = 0; position < length; position++)
                {
                    var other = (byte[])value.Clone();
                    other[position] = (byte)'#';
                    Assert.Equal(Encoding.ASCII.GetString(other), cache.Get(other));
                    Assert.Equal(Encoding.ASCII.GetString(value), cache.Get(value));
                }
            }
        }

        [Fact]
        public void OneOffValues_PassThrough_TheRepeatingOnesStay()
        {
            // A full read's addresses and messages, each seen once, between a record's repeating values.
            var cache = new Utf8StringCache(1 << 10);
            var repeating = new List<string> { "Error", "Information", "deviceConnect", "deviceDisconnect", "Mqtt", "Amqp" };
            var kept = repeating.Select(v => cache.Get(Encoding.UTF8.GetBytes(v))).ToList();
            int stillTheSame = 0;
            for (int round = 0; round < 10_000; round++)
            {
                string oneOff = $"203.0.{round % 256}.XXX #{round}";
                Assert.Equal(oneOff, cache.Get(Encoding.UTF8.GetBytes(oneOff)));
                var value = cache.Get(Encoding.UTF8.GetBytes(repeating[round % repeating.Count]));
                Assert.Equal(repeating[round % repeating.Count], value);
                if (ReferenceEquals(value, kept[round % repeating.Count])) stillTheSame++;
            }

            Assert.Equal(1 << 10, cache.Capacity);
            Assert.True(stillTheSame > 9_000, $"{stillTheSame} of 10,000"); // two ways: a one-off value rarely pushes one out
        }
    }
}
