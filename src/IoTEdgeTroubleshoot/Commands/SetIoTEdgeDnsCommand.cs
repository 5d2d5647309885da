using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Deployment;
using IoTEdgeTroubleshoot.Edge.Dns;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The guide's fix for "Empty config file": DNS servers for the containers, in the container engine's daemon.json
    /// (option 1, every container; -RestartEngine applies it) or in a deployment manifest's createOptions of edgeAgent
    /// and edgeHub (option 2). Addresses are validated first; everything else in the file stays.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "IoTEdgeDns", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = DaemonConfigSet)]
    [OutputType(typeof(IoTEdgeCheckResult))]
    public sealed class SetIoTEdgeDnsCommand : JsonFileEditCommandBase
    {
        private const string DaemonConfigSet = "DaemonConfig";
        private const string ManifestSet = "Manifest";

        [Parameter(Mandatory = true, Position = 0)]
        [Alias("Dns")]
        public string[] Server { get; set; } = new string[0];

        /// <summary>Option 1: the engine's daemon.json; without it, this platform's (created when missing).</summary>
        [Parameter(ParameterSetName = DaemonConfigSet)]
        [ValidateNotNullOrEmpty]
        public string? DaemonConfigPath { get; set; }

        /// <summary>Restart the container engine after the change, so that it reads daemon.json again.</summary>
        [Parameter(ParameterSetName = DaemonConfigSet)]
        public SwitchParameter RestartEngine { get; set; }

        /// <summary>Option 2: the deployment manifest whose createOptions get HostConfig.Dns.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ManifestSet)]
        [ValidateNotNullOrEmpty]
        public string ManifestPath { get; set; } = string.Empty;

        /// <summary>The modules to set it for; edgeAgent and edgeHub by default, as the guide says.</summary>
        [Parameter(ParameterSetName = ManifestSet)]
        [ValidateNotNullOrEmpty]
        public string[]? Module { get; set; }

        /// <summary>Return the DNS checks of the changed file.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private IReadOnlyList<string> Servers => Server;

        protected override void BeginProcessing()
        {
            try
            {
                DnsServers.Validate(Server);
            }
            catch (TroubleshootException ex)
            {
                ThrowTerminatingError(ErrorRecordFor(ex));
            }
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ManifestSet) SetInManifest();
            else SetInDaemonConfig();
        }

        private void SetInDaemonConfig()
        {
            string path = ResolveSinglePath(DaemonConfigPath ?? DaemonConfigLocations.DefaultForEdit());
            PlannedFileEdit edit;
            try
            {
                edit = DaemonConfigEditor.Plan(path, Servers);
            }
            catch (TroubleshootException ex)
            {
                WriteError(ErrorRecordFor(ex));
                return;
            }
            catch (System.Exception ex) when (ex is System.IO.IOException || ex is System.UnauthorizedAccessException)
            {
                WriteReadError(path, ex);
                return;
            }

            var outcome = WriteChange(path, edit.File, edit.NewText, $"Set the container engine's DNS servers to {string.Join(", ", Servers)}");
            ApplyEngineConfig(path, outcome, RestartEngine, "every container restarts with it");

            if (PassThru) PassChecks(new DnsCheckContext { DaemonConfigPaths = new[] { path }, DaemonConfigPathsGiven = true, CheckHub = false }, DnsChecks.EngineConfigId);
        }

        private void SetInManifest()
        {
            string path = ResolveSinglePath(ManifestPath);
            string modules = string.Join(" and ", Module ?? new[] { "edgeAgent", "edgeHub" });
            var outcome = EditFile(path, file => ManifestEditor.SetDns(file, Servers, Module), $"Set HostConfig.Dns of {modules} to {string.Join(", ", Servers)}");
            if (outcome == FileChangeOutcome.Written) SayDeploy(path);
            if (PassThru && outcome != FileChangeOutcome.Failed) PassChecks(new DnsCheckContext { DaemonConfigPaths = new string[0], DaemonConfigPathsGiven = true, ManifestPath = path, CheckHub = false }, "manifest-dns");
        }

        private void PassChecks(DnsCheckContext context, string checkId)
        {
            Invoke(() =>
            {
                foreach (var result in DnsChecks.Run(context, CancellationToken).Where(r => r.CheckId == checkId)) WriteObject(result);
            });
        }
    }
}
