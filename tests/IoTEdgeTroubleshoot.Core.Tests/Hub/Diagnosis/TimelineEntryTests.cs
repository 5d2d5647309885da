using System;
using System.Linq;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub.Diagnosis
{
    /// <summary>The 16-byte timeline entry: time and kind packed in one number, the address hash folded to 32 bits.</summary>
    public class TimelineEntryTests
    {
        [Theory]
        [InlineData(0L)]
        [InlineData(638_000_000_000_000_000L)] // 2022
        [InlineData(3_155_378_975_999_999_999L)] // DateTimeOffset.MaxValue
        public void TimeKindCodeAndAddress_ComeBackAsGiven(long ticks)
        {
            foreach (EntryKind kind in Enum.GetValues(typeof(EntryKind)))
            {
                var entry = new TimelineEntry(ticks, kind, -1, 0);
                Assert.Equal(ticks, entry.Ticks);
                Assert.Equal(kind, entry.Kind);
                Assert.Equal(-1, entry.Code);
                Assert.Equal(0UL, entry.AddressHash);
                Assert.Equal(new DateTimeOffset(ticks, TimeSpan.Zero), entry.Time);
            }
        }

        [Fact]
        public void EveryKindFitsItsTwoBits()
        {
            Assert.True(Enum.GetValues(typeof(EntryKind)).Cast<EntryKind>().All(k => (int)k is >= 0 and <= 3));
        }

        [Fact]
        public void NegativeTicks_AreRefused()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new TimelineEntry(-1, EntryKind.Connect, 0, 0));
        }

        [Fact]
        public void AnAddress_StaysAnAddress_AndTwoAddressesStayTwo()
        {
            // 0 is "no address": no real address may fold to it, whatever its 64-bit hash.
            Assert.Equal(1UL, new TimelineEntry(0, EntryKind.Connect, 0, 0x0000_0001_0000_0001UL).AddressHash);
            var a = new TimelineEntry(0, EntryKind.Connect, 0, AddressHash.Of("203.0.113.XXX"));
            var b = new TimelineEntry(0, EntryKind.Connect, 0, AddressHash.Of("198.51.100.XXX"));
            Assert.NotEqual(0UL, a.AddressHash);
            Assert.NotEqual(a.AddressHash, b.AddressHash);
        }

        [Fact]
        public void OrderAndEquality_AreThoseOfTimeKindCodeAndAddress()
        {
            var random = new Random(5);
            var entries = Enumerable.Range(0, 2_000)
                .Select(_ => new TimelineEntry(random.Next(0, 5), (EntryKind)random.Next(0, 4), random.Next(-1, 3), (ulong)random.Next(0, 3)))
                .ToList();
            var byFields = entries.OrderBy(e => e.Ticks).ThenBy(e => e.Kind).ThenBy(e => e.Code).ThenBy(e => e.AddressHash).ToList();
            var sorted = entries.OrderBy(e => e).ToList();
            Assert.Equal(byFields.Select(e => (e.Ticks, e.Kind, e.Code, e.AddressHash)), sorted.Select(e => (e.Ticks, e.Kind, e.Code, e.AddressHash)));
            foreach (var (x, y) in entries.Zip(entries.Skip(1), (x, y) => (x, y)))
            {
                Assert.Equal(x.Ticks == y.Ticks && x.Kind == y.Kind && x.Code == y.Code, x.Equals(y));
            }
        }
    }
}
