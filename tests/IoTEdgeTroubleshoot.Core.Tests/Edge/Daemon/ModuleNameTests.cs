using IoTEdgeTroubleshoot.Edge.Modules;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Daemon
{
    /// <summary>The names Get-IoTEdgeModuleLog and Restart-IoTEdgeModule pass to iotedge as one argument.</summary>
    public class ModuleNameTests
    {
        [Theory]
        [InlineData("edgeAgent")]
        [InlineData("edgeHub")]
        [InlineData("SimulatedTemperatureSensor")]
        [InlineData("filter-module_2.v1")]
        [InlineData("módulé")]
        [InlineData("edge*")] // no module matches it; iotedge says so, and nothing else reads it
        [InlineData("a'b\"c")]
        public void WhyNot_AcceptsWhatIotedgeTakesAsAName(string name)
        {
            Assert.Null(ModuleName.WhyNot(name));
        }

        [Theory]
        [InlineData("-f", "starts with '-'")]
        [InlineData("--help", "starts with '-'")]
        [InlineData("edge Hub", "no spaces")]
        [InlineData("edgeHub\n--tail", "no spaces")]
        [InlineData("edge\tHub", "no spaces")]
        [InlineData("edge\u0000Hub", "control characters")]
        [InlineData("", "is needed")]
        public void WhyNot_RefusesOptionsAndWhatNoModuleIsCalled(string name, string why)
        {
            Assert.Contains(why, ModuleName.WhyNot(name));
        }
    }
}
