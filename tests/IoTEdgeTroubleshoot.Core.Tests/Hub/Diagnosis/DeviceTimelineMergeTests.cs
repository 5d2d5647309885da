using System;
using System.Linq;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub.Diagnosis
{
    /// <summary>Merging the partial timelines of the reader threads: the same device seen by two of them.</summary>
    public class DeviceTimelineMergeTests
    {
        private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

        private static DeviceTimeline Timeline(int[] minutes, string[] addresses, string protocol, double protocolMinute)
        {
            var timeline = new DeviceTimeline("dev");
            for (int i = 0; i < minutes.Length; i++)
            {
                var e = new IoTHubConnectionEvent
                {
                    DeviceId = "dev", OperationName = "deviceConnect", Level = "Information", Category = "Connections",
                    TimeGenerated = T0.AddMinutes(minutes[i]), MaskedIpAddress = addresses[i % addresses.Length],
                    Protocol = minutes[i] == protocolMinute ? protocol : null,
                };
                timeline.Add(ObservedEvent.From(e));
            }

            return timeline;
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void MergeFrom_EitherSideLarger_KeepsEveryEntryInOrder_WithItsOwnAddress_AndTheNewestProtocol(bool largerFirst)
        {
            // The larger side uses addresses A and B, the smaller C and A: indexes differ between the two.
            var larger = Timeline(new[] { 50, 10, 30, 70, 90 }, new[] { "10.0.0.XXX", "10.0.1.XXX" }, "Amqp", 90);
            var smaller = Timeline(new[] { 20, 95 }, new[] { "10.0.2.XXX", "10.0.0.XXX" }, "Mqtt", 95);
            var (into, from) = largerFirst ? (larger, smaller) : (smaller, larger);

            into.MergeFrom(from);

            var entries = into.Entries();
            Assert.Equal(new[] { 10, 20, 30, 50, 70, 90, 95 }, entries.Select(e => (int)(e.Time - T0).TotalMinutes).ToArray());
            Assert.Equal("Mqtt", into.Protocol); // minute 95 is the newest
            Assert.Equal(3, into.Addresses.Count);

            // Each entry still points at the address it came with.
            string AddressAt(int minute)
            {
                var entry = entries.Single(e => (int)(e.Time - T0).TotalMinutes == minute);
                return entry.IpIndex == 0 ? "" : into.Addresses[entry.IpIndex - 1].ToString();
            }

            ulong a = AddressHash.Of("10.0.0.XXX"), b = AddressHash.Of("10.0.1.XXX"), c = AddressHash.Of("10.0.2.XXX");
            Assert.Equal(a.ToString(), AddressAt(50)); // larger side, first event: A
            Assert.Equal(b.ToString(), AddressAt(10)); // larger side, second: B
            Assert.Equal(c.ToString(), AddressAt(20)); // smaller side, first: C
            Assert.Equal(a.ToString(), AddressAt(95)); // smaller side, second: A, shared
        }
    }
}
