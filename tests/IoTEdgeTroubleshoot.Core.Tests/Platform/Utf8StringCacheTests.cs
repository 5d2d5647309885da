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
            var first = cache.GetCached(Encoding.UTF8.GetBytes("device-42"));
            first.TagOwner = this;
            first.TagNumber = 7;

            var again = cache.GetCached(Encoding.UTF8.GetBytes("device-42"));

            Assert.Same(first, again);
            Assert.Equal(7, again.TagNumber);
            Assert.Same(first.Value, cache.Get(Encoding.UTF8.GetBytes("device-42")));
            Assert.Equal(string.Empty, cache.Get(new byte[0]));
        }

        [Fact]
        public void MoreDistinctValuesThanSlots_GrowTheTable_AndEveryValueStillComesBackRight()
        {
            var cache = new Utf8StringCache(1 << 4);
            var names = Enumerable.Range(0, 5_000).Select(i => $"meter-{i:D6}").ToList();
            var oneOff = new Utf8StringCache(1 << 4);
            foreach (var name in names)
            {
                cache.GetCached(Encoding.UTF8.GetBytes(name)); // device ids: the table grows for them
                oneOff.Get(Encoding.UTF8.GetBytes(name));      // other values: it does not
            }

            Assert.InRange(cache.Capacity, 1 << 12, Utf8StringCache.MaxCapacity); // 16 -> 64 -> ... at least 4096
            Assert.Equal(1 << 4, oneOff.Capacity);
            int stillTheSame = 0;
            foreach (var name in names)
            {
                var before = cache.GetCached(Encoding.UTF8.GetBytes(name));
                Assert.Equal(name, before.Value);
                if (ReferenceEquals(before, cache.GetCached(Encoding.UTF8.GetBytes(name)))) stillTheSame++;
            }

            Assert.Equal(names.Count, stillTheSame); // read twice in a row: a hit the second time
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
