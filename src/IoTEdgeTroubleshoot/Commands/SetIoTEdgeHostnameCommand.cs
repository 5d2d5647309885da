using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Config.Checks;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>Sets config.yaml's hostname (the guide's fix for "invalid hostname"), validated first; nothing else in the file changes.</summary>
    [Cmdlet(VerbsCommon.Set, "IoTEdgeHostname", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(IoTEdgeCheckResult))]
    public sealed class SetIoTEdgeHostnameCommand : EdgeConfigEditCommandBase
    {
        [Parameter(Mandatory = true, Position = 0)]
        [AllowEmptyString]
        public string HostName { get; set; } = string.Empty;

        protected override string Action => $"Set hostname to '{HostName}'";

        protected override void BeginProcessing()
        {
            string? problem = HostnameRules.Validate(HostName);
            if (problem != null)
            {
                ThrowTerminatingError(ErrorRecordFor(new Problem(ErrorIds.InvalidHostname, ProblemKind.InvalidArgument, HostName,
                    $"'{HostName}' cannot be the hostname: {problem} Use the machine's DNS name (at most 64 characters). Nothing was written.")));
            }
        }

        protected override string Edit(EdgeConfigDocument document) => ConfigEditor.SetHostname(document, HostName);
    }
}
