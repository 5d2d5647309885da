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
        public void TheSameBytes_GiveTheSameString_AndTheSameTaggedEntry()
        {
            var cache = new Utf8StringCache();
            var first = cache.GetCached(Encoding.UTF8.GetBytes("device-42"), out int slot);
            Assert.False(cache.TryGetTag(slot, first, this, out _)); // untagged
            cache.SetTag(slot, first, this, 7);

            var again = cache.GetCached(Encoding.UTF8.GetBytes("device-42"), out int againSlot);

            Assert.Same(first, again);
            Assert.Equal(slot, againSlot);
            Assert.True(cache.TryGetTag(againSlot, again, this, out int number));
            Assert.Equal(7, number);
            Assert.False(cache.TryGetTag(againSlot, again, new object(), out _)); // another owner's tag is not trusted
            Assert.False(cache.TryGetTag(againSlot, new string("device-42".ToCharArray()), this, out _)); // nor for an equal string
            Assert.Same(first, cache.Get(Encoding.UTF8.GetBytes("device-42")));
            Assert.Equal(string.Empty, cache.Get(new byte[0]));
        }

        [Fact]
        public void AnEntryMovedWithinItsSet_IsFoundFromItsOldSlot_AReplacedOneForgetsItsTag()
        {
            // One set of two slots; Get never grows the table, so a third value replaces the one used longer ago.
            var cache = new Utf8StringCache(2);
            var a = cache.GetCached("dev-a"u8, out int slotA);
            cache.SetTag(slotA, a, this, 1);
            cache.Get("dev-b"u8); // another value of the same record, in the same set: dev-a moves to the other slot
            Assert.True(cache.Holds(slotA, a)); // and is still found from the slot its record holds, tag and all
            Assert.True(cache.TryGetTag(slotA, a, this, out int moved));
            Assert.Equal(1, moved);
            Assert.Same(a, cache.GetCached("dev-a"u8, out slotA)); // in front again
            Assert.True(cache.TryGetTag(slotA, a, this, out int number));
            Assert.Equal(1, number);

            cache.Get("dev-b"u8); // now dev-a is the one used longer ago
            cache.Get("dev-c"u8); // and goes, with its tag
            Assert.False(cache.TryGetTag(slotA, a, this, out _));
            Assert.False(cache.TryGetTag(slotA ^ 1, a, this, out _));
            cache.SetTag(slotA, a, this, 5); // nothing: dev-a's entry is gone
            var again = cache.GetCached("dev-a"u8, out int slotAgain);
            Assert.NotSame(a, again); // a new string
            Assert.False(cache.TryGetTag(slotAgain, again, this, out _)); // in a new, untagged entry
            Assert.False(cache.Holds(-1, again));
            Assert.False(cache.Holds(slotAgain, null));
        }

        [Fact]
        public void TwoValuesOfOneSet_StayBoth_AndKeepTheirTags_HoweverTheyAlternate()
        {
            var cache = new Utf8StringCache(2);
            var a = cache.GetCached("meter-1"u8, out int slot);
            cache.SetTag(slot, a, this, 10);
            var b = cache.GetCached("meter-2"u8, out slot);
            cache.SetTag(slot, b, this, 20);
            for (int round = 0; round < 5; round++)
            {
                Assert.Same(a, cache.GetCached("meter-1"u8, out slot));
                Assert.True(cache.TryGetTag(slot, a, this, out int number));
                Assert.Equal(10, number);
                Assert.Same(b, cache.GetCached("meter-2"u8, out slot));
                Assert.True(cache.TryGetTag(slot, b, this, out number));
                Assert.Equal(20, number);
            }

            Assert.Throws<System.ArgumentException>(() => new Utf8StringCache(1));
        }

        [Fact]
        public void ATag_NeverAnswersForAnotherValueOrOwner_ThroughSwapsEvictionsAndGrowth()
        {
            // The analysis numbers a record's device by the tag alone when TryGetTag says yes: a wrong answer would put
            // events on another device. Device ids asked through GetCached, other fields through Get and GetCached in
            // between (as a record's other values are), two owners, tables that start with one set and grow.
            var random = new System.Random(7);
            object first = new object(), second = new object();
            foreach (int capacity in new[] { 2, 16 })
            {
                var cache = new Utf8StringCache(capacity);
                int answered = 0;
                for (int op = 0; op < 100_000; op++)
                {
                    int n = random.Next(random.Next(2) == 0 ? 20 : 3000);
                    string text = (n % 7 == 0 ? "a-device-id-longer-than-the-inline-bytes-" : "dev-") + n;
                    var value = cache.GetCached(Encoding.UTF8.GetBytes(text), out int slot);
                    Assert.Equal(text, value);
                    if (random.Next(3) == 0) Assert.Equal("x" + n % 50, cache.Get(Encoding.UTF8.GetBytes("x" + n % 50)));
                    if (random.Next(5) == 0) cache.GetCached(Encoding.UTF8.GetBytes("dev-" + random.Next(3000)), out _);
                    var owner = random.Next(2) == 0 ? first : second;
                    int expected = n * 2 + (owner == first ? 0 : 1);
                    if (cache.TryGetTag(slot, value, owner, out int number))
                    {
                        Assert.Equal(expected, number);
                        answered++;
                    }
                    else
                    {
                        cache.SetTag(slot, value, owner, expected);
                    }
                }

                Assert.True(cache.Capacity > capacity, "the table grew");
                Assert.InRange(answered, 10_000, 100_000); // the tags do answer, not only never lie
            }
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
                Assert.Equal(expected, cache.GetCached(Encoding.UTF8.GetBytes(asked), out _));
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
                var first = cache.GetCached(value, out _);
                Assert.Same(first, cache.GetCached((byte[])value.Clone(), out _));
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
        public void MoreDistinctValuesThanSlots_GrowTheTable_AndEveryValueStillComesBackRight()
        {
            var cache = new Utf8StringCache(1 << 4);
            var names = Enumerable.Range(0, 5_000).Select(i => $"meter-{i:D6}").ToList();
            var oneOff = new Utf8StringCache(1 << 4);
            foreach (var name in names)
            {
                cache.GetCached(Encoding.UTF8.GetBytes(name), out _); // device ids: the table grows for them
                oneOff.Get(Encoding.UTF8.GetBytes(name));      // other values: it does not
            }

            Assert.InRange(cache.Capacity, 1 << 12, Utf8StringCache.MaxCapacity); // 16 -> 64 -> ... at least 4096
            Assert.Equal(1 << 4, oneOff.Capacity);
            int stillTheSame = 0;
            foreach (var name in names)
            {
                var before = cache.GetCached(Encoding.UTF8.GetBytes(name), out _);
                Assert.Equal(name, before);
                if (ReferenceEquals(before, cache.GetCached(Encoding.UTF8.GetBytes(name), out _))) stillTheSame++;
            }

            Assert.Equal(names.Count, stillTheSame); // read twice in a row: a hit the second time
        }

        [Fact]
        public void DeviceIdsThatDoNotFit_GrowTheTableAfterOneRoundOfLookups_ValuesSharingAFewSetsDoNot()
        {
            // Four times as many ids as slots, round after round: more than one lookup in eight replaces an entry.
            var crowded = new Utf8StringCache(1 << 10);
            var many = Enumerable.Range(0, 4 << 10).Select(i => Encoding.UTF8.GetBytes($"meter-{i:D6}")).ToList();
            for (int i = 0; i <= 1 << 10; i++) crowded.GetCached(many[i], out _);
            Assert.Equal(1 << 12, crowded.Capacity); // judged after 1,024 lookups: grew once

            // 300 ids in 512 sets, asked at random: a few sets hold three and those replace each other, far less often.
            var roomy = new Utf8StringCache(1 << 10);
            var few = Enumerable.Range(0, 300).Select(i => Encoding.UTF8.GetBytes($"meter-{i:D6}")).ToList();
            var random = new System.Random(3);
            for (int i = 0; i < 200_000; i++) roomy.GetCached(few[random.Next(few.Count)], out _);
            Assert.Equal(1 << 10, roomy.Capacity);
        }

        [Fact]
        public void ATableWithFewDistinctValues_DoesNotGrow()
        {
            var cache = new Utf8StringCache(1 << 10);
            var values = new List<string> { "Error", "Information", "deviceConnect", "deviceDisconnect", "Mqtt", "Amqp" };
            for (int round = 0; round < 10_000; round++)
            {
                foreach (var value in values) Assert.Equal(value, cache.Get(Encoding.UTF8.GetBytes(value)));
            }

            Assert.Equal(1 << 10, cache.Capacity);
        }
    }
}
