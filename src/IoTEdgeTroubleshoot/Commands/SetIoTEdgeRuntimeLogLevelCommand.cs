using System.Management.Automation;
using IoTEdgeTroubleshoot.Completion;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Config;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>Sets RuntimeLogLevel in the agent's env, in config.yaml or config.toml (the guide's way to get debug logs from edgeAgent and edgeHub).</summary>
    [Cmdlet(VerbsCommon.Set, "IoTEdgeRuntimeLogLevel", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(IoTEdgeCheckResult))]
    public sealed class SetIoTEdgeRuntimeLogLevelCommand : EdgeConfigEditCommandBase
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateRuntimeLogLevel]
        [ArgumentCompleter(typeof(RuntimeLogLevelCompleter))]
        public string Level { get; set; } = "info";

        protected override string Action => $"Set agent.env.RuntimeLogLevel to '{Level.ToLowerInvariant()}'";

        protected override string Edit(EdgeConfigDocument document) => ConfigEditor.SetRuntimeLogLevel(document, Level.ToLowerInvariant());
    }
}
