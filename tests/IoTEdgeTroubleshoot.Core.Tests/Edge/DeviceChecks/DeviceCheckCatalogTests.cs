using System.Linq;
using System.Text.RegularExpressions;
using IoTEdgeTroubleshoot.Edge.DeviceChecks;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.DeviceChecks
{
    public class DeviceCheckCatalogTests
    {
        [Fact]
        public void Every_check_has_its_own_id_in_the_ids_style_of_iotedge_check()
        {
            Assert.Equal(DeviceCheckCatalog.Ids.Count, DeviceCheckCatalog.Ids.Distinct().Count());
            Assert.All(DeviceCheckCatalog.AllIds, id => Assert.Matches(new Regex("^[a-z0-9]+([-_][a-z0-9]+)*$"), id));
            Assert.All(DeviceCheckCatalog.All, check => Assert.False(string.IsNullOrWhiteSpace(check.Description), check.Id));
        }

        [Fact]
        public void No_check_id_is_also_another_check_s_result_id()
        {
            // -Exclude <check id> must not drop another check's results by accident.
            foreach (var check in DeviceCheckCatalog.All)
            {
                var others = DeviceCheckCatalog.All.Where(c => c != check).SelectMany(DeviceCheckSelection.ResultIdsOf);
                Assert.DoesNotContain(check.Id, others);
            }
        }

        [Fact]
        public void Every_category_has_a_check()
        {
            Assert.Equal(System.Enum.GetValues(typeof(DeviceCheckCategory)).Cast<DeviceCheckCategory>().OrderBy(c => c), DeviceCheckCatalog.All.Select(c => c.Category).Distinct().OrderBy(c => c));
        }

        [Fact]
        public void AllIds_holds_the_check_ids_and_every_result_id_they_report()
        {
            Assert.Contains("edge-config", DeviceCheckCatalog.AllIds);
            Assert.Contains("hostname", DeviceCheckCatalog.AllIds);
            Assert.Contains("keyd-running", DeviceCheckCatalog.AllIds);
            Assert.Contains("edgehub-port-free-443", DeviceCheckCatalog.AllIds);
            Assert.Contains("host-connect-iothub-amqp", DeviceCheckCatalog.AllIds);
            Assert.DoesNotContain("edgehub-port-free", DeviceCheckCatalog.AllIds); // only the three ports edgeHub publishes are checked
        }
    }
}
