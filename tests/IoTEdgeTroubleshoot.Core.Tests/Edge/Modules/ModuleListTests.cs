using System;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Modules;
using IoTEdgeTroubleshoot.Platform;
using IoTEdgeTroubleshoot.Tests.Edge.Daemon;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Modules
{
    /// <summary>'iotedge list' as objects, and 'iotedge restart' with the name as one argument.</summary>
    public class ModuleListTests
    {
        [Fact]
        public void Parse_12_ReadsEveryColumn_DescriptionsWithSpacesIncluded()
        {
            var modules = ModuleList.Parse(NativeFixtures.Text("iotedge-list-1.2.txt"));

            Assert.Equal(new[] { "SimulatedTemperatureSensor", "edgeAgent", "edgeHub", "filterModule", "opcPublisher" }, modules.Select(m => m.Name));
            var failed = modules.Single(m => m.Name == "filterModule");
            Assert.Equal("failed", failed.Status);
            Assert.Equal("Failed (139) 3 minutes ago", failed.Description);
            Assert.Equal("contoso.azurecr.io/filtermodule:0.0.4-amd64", failed.Config);
            Assert.Equal("Stopped 2 hours ago", modules.Single(m => m.Name == "opcPublisher").Description);
        }

        [Fact]
        public void Parse_11_WithItsUpperCaseHeader()
        {
            var modules = ModuleList.Parse(NativeFixtures.Text("iotedge-list-1.1.txt"));

            Assert.Equal(3, modules.Count);
            Assert.Equal(("tempSensor", "backoff", "Backing off"), (modules[2].Name, modules[2].Status, modules[2].Description));
        }

        [Fact]
        public void Parse_HeaderOnly_IsNoModule()
        {
            Assert.Empty(ModuleList.Parse(NativeFixtures.Text("iotedge-list-empty.txt")));
            Assert.Empty(ModuleList.Parse("NAME STATUS DESCRIPTION CONFIG\n"));
            Assert.Empty(ModuleList.Parse(string.Empty));
        }

        [Fact]
        public void Parse_RowsWhoseSpacesWereSqueezed_AreStillRead()
        {
            var modules = ModuleList.Parse("NAME STATUS DESCRIPTION CONFIG\r\nedgeHub running Up 5 minutes mcr.microsoft.com/azureiotedge-hub:1.5\r\nedgeAgent  running  Up an hour  mcr.microsoft.com/azureiotedge-agent:1.5\r\n");

            Assert.Equal(2, modules.Count);
            Assert.Equal(("edgeHub", "running", "Up 5 minutes", "mcr.microsoft.com/azureiotedge-hub:1.5"), (modules[0].Name, modules[0].Status, modules[0].Description, modules[0].Config));
            Assert.Equal("Up an hour", modules[1].Description);
        }

        [Fact]
        public void Parse_TextBeforeTheTable_IsIgnored()
        {
            var modules = ModuleList.Parse("Warning: something\n" + NativeFixtures.Text("iotedge-list-1.1.txt"));

            Assert.Equal("edgeAgent", modules[0].Name);
        }

        [Fact]
        public void Read_RunsIotedgeList()
        {
            var runner = new RecordingRunner { Answer = (_, _) => new ProcessResult(0, NativeFixtures.Text("iotedge-list-1.2.txt"), string.Empty) };

            var modules = ModuleList.Read(new NativeTool(runner), CancellationToken.None);

            Assert.Equal("iotedge list", Assert.Single(runner.Lines));
            Assert.Equal(5, modules.Count);
        }

        [Fact]
        public void Read_TheDaemonDown_IsNativeToolFailed_SayingToCheckIt()
        {
            var runner = new RecordingRunner { Answer = (_, _) => new ProcessResult(1, string.Empty, "A module runtime error occurred\n\tcaused by: Could not list modules\n\tcaused by: Connection refused (os error 111)\n") };

            var ex = Assert.Throws<TroubleshootException>(() => ModuleList.Read(new NativeTool(runner), CancellationToken.None));

            Assert.Equal(ErrorIds.NativeToolFailed, ex.ErrorId);
            Assert.Contains("Get-IoTEdgeDaemonStatus", ex.Message);
        }

        [Fact]
        public void Restart_PassesTheNameAsOneArgument_EvenWithShellCharacters()
        {
            var runner = new RecordingRunner();

            new ModuleRestart(runner).Restart("edgeHub; rm -rf /", CancellationToken.None);

            var call = Assert.Single(runner.Calls);
            Assert.Equal(new[] { "restart", "edgeHub; rm -rf /" }, call.Arguments);
        }

        [Fact]
        public void Restart_AnUnknownModule_IsNativeToolFailed_SayingToList()
        {
            var runner = new RecordingRunner { Answer = (_, _) => new ProcessResult(1, string.Empty, "A module runtime error occurred\n\tcaused by: No such container: edgeHubx\n") };

            var ex = Assert.Throws<TroubleshootException>(() => new ModuleRestart(runner).Restart("edgeHubx", CancellationToken.None));

            Assert.Equal(ErrorIds.NativeToolFailed, ex.ErrorId);
            Assert.Contains("No such container: edgeHubx", ex.Message);
            Assert.Contains("iotedge list", ex.Message);
        }
    }
}
