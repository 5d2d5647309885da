using System.Collections.Generic;
using IoTEdgeTroubleshoot.Edge.DeviceChecks;

namespace IoTEdgeTroubleshoot.Completion
{
    /// <summary>-Include and -Exclude of Test-IoTEdge: the catalog's check ids and the ids their results carry.</summary>
    public sealed class DeviceCheckIdCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => DeviceCheckCatalog.AllIds;
    }
}
