using System;
using System.Globalization;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.DeviceChecks;
using IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks;
using IoTEdgeTroubleshoot.Edge.Dns;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The fix of container-engine-logrotate: the container engine rotates module logs (log-driver with log-opts
    /// max-size and max-file in daemon.json), so that they cannot fill the disk. Everything else in the file stays;
    /// -RestartEngine applies it.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "IoTEdgeContainerLogRotation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(IoTEdgeCheckResult))]
    public sealed class SetIoTEdgeContainerLogRotationCommand : JsonFileEditCommandBase
    {
        /// <summary>The engine's daemon.json; without it, this platform's (created when missing). A check result's Path binds here.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Path")]
        [ValidateNotNullOrEmpty]
        public string? DaemonConfigPath { get; set; }

        /// <summary>json-file (docker's default driver) or local (a compact format that rotates by default).</summary>
        [Parameter]
        [ValidateSet("json-file", "local")]
        public string Driver { get; set; } = "json-file";

        /// <summary>The largest a log file grows before it is rotated: a number with k, m or g.</summary>
        [Parameter]
        [ValidatePattern(LogRotationEditor.SizePattern)]
        public string MaxSize { get; set; } = "10m";

        /// <summary>How many log files a container keeps.</summary>
        [Parameter]
        [ValidateRange(1, 100)]
        public int MaxFile { get; set; } = 3;

        /// <summary>Restart the container engine after the change, so that it reads daemon.json again.</summary>
        [Parameter]
        public SwitchParameter RestartEngine { get; set; }

        /// <summary>Return the container-engine-logrotate check of the file.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            string path = ResolveSinglePath(DaemonConfigPath ?? DaemonConfigLocations.DefaultForEdit());
            PlannedFileEdit edit;
            try
            {
                edit = LogRotationEditor.Plan(path, Driver, MaxSize, MaxFile);
            }
            catch (TroubleshootException ex)
            {
                WriteError(ErrorRecordFor(ex));
                return;
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                WriteReadError(path, ex);
                return;
            }

            string action = string.Format(CultureInfo.InvariantCulture, "Rotate container logs: log-driver {0}, max-size {1}, max-file {2}", Driver, MaxSize, MaxFile);
            var outcome = WriteChange(path, edit.File, edit.NewText, action);
            ApplyEngineConfig(path, outcome, RestartEngine, "containers created before keep their old log settings until IoT Edge recreates them");

            if (PassThru && outcome != FileChangeOutcome.Failed)
            {
                Invoke(() =>
                {
                    var context = new DeviceCheckContext { DaemonJsonPaths = new[] { path } };
                    foreach (var result in Await(new ContainerLogRotationCheck().RunAsync(context, CancellationToken))) WriteObject(result);
                });
            }
        }
    }
}
