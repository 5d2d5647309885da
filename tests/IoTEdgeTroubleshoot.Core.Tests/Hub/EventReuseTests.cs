using System;
using System.Linq;
using System.Reflection;
using System.Text;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    public class EventReuseTests
    {
        [Fact]
        public void Reset_empties_every_settable_property_so_no_value_carries_over_to_the_next_record()
        {
            var fresh = new IoTHubConnectionEvent();
            var reused = new IoTHubConnectionEvent();
            var properties = typeof(IoTHubConnectionEvent)
                .GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .Where(p => p.CanWrite && p.SetMethod != null)
                .ToList();
            foreach (var property in properties) property.SetValue(reused, SomeValue(property.PropertyType));

            reused.ResetForReuse();

            foreach (var property in properties.Where(p => p.Name != nameof(IoTHubConnectionEvent.TimeGenerated)))
            {
                Assert.True(Equals(property.GetValue(fresh), property.GetValue(reused)), $"{property.Name} is not reset");
            }
        }

        private static object SomeValue(Type type) =>
            type == typeof(string) ? "x"
            : type == typeof(ulong) ? 42UL
            : type == typeof(DateTimeOffset) ? DateTimeOffset.UnixEpoch
            : type == typeof(IoTHubErrorCodeInfo) ? ErrorCatalog.All.First()
            : type == typeof(DeviceKeyTable) ? new DeviceKeyTable()
            : type == typeof(DeviceKeyTable.Slot[]) ? new DeviceKeyTable.Slot[1]
            : type == typeof(int) ? 7
            : throw new InvalidOperationException($"Add a value for {type} here, and reset it in ResetForReuse.");

        [Theory]
        [InlineData("203.0.113.XXX")]
        [InlineData("2001:db8::XXXX")]
        [InlineData("ädresse")] // not ASCII: the string path encodes it as UTF-8 first
        public void An_address_hashes_the_same_from_its_bytes_and_from_its_string(string address)
        {
            Assert.Equal(AddressHash.Of(Encoding.UTF8.GetBytes(address)), AddressHash.Of(address));
            Assert.NotEqual(0UL, AddressHash.Of(address));
        }

        [Fact]
        public void No_address_is_zero_and_different_addresses_differ()
        {
            Assert.Equal(0UL, AddressHash.Of((string?)null));
            Assert.Equal(0UL, AddressHash.Of(string.Empty));
            Assert.NotEqual(AddressHash.Of("203.0.113.XXX"), AddressHash.Of("198.51.100.XXX"));
        }
    }
}
