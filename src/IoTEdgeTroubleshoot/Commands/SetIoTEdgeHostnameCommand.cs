using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>Sets the hostname in config.yaml or config.toml (the guide's fix for "invalid hostname"), validated first; nothing else in the file changes.</summary>
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
            // What no generation accepts is refused before any file is read; the 64-character limit of 1.1 is checked per file.
            string? problem = HostnameRules.Check(HostName, EdgeGeneration.V1_2).Error;
            if (problem != null)
            {
                ThrowTerminatingError(ErrorRecordFor(new Problem(ErrorIds.InvalidHostname, ProblemKind.InvalidArgument, HostName,
                    $"'{HostName}' cannot be the hostname: {problem} Use the machine's DNS name (at most 64 characters). Nothing was written.")));
            }
        }

        protected override string Edit(EdgeConfigDocument document) => ConfigEditor.SetHostname(document, HostName);

        protected override void Written(EdgeConfigDocument document)
        {
            string? warning = HostnameRules.Check(HostName, document.Generation).Warning;
            if (warning != null) WriteWarning($"'{HostName}': {warning}");
            if (document.Generation == EdgeGeneration.V1_2)
            {
                WriteWarning("'iotedge config apply' refuses a new hostname while IoT Edge modules exist on the device; if it does, set the old name back, or remove the modules (their data is lost) and apply again (about_IoTEdgeTroubleshoot, HostnameChangeRefused).");
            }
        }
    }
}
