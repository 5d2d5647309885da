using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Config.Checks;

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
                ThrowTerminatingError(new ErrorRecord(
                    new System.ArgumentException($"'{HostName}' cannot be the hostname: {problem} Use the machine's DNS name (at most 64 characters). Nothing was written."),
                    "InvalidHostname", ErrorCategory.InvalidArgument, HostName));
            }
        }

        protected override string Edit(EdgeConfigDocument document) => ConfigEditor.SetHostname(document, HostName);
    }
}
