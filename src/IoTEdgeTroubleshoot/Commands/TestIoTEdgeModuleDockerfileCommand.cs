using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Dockerfile;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The guide's 404 "Module not found": checks that a module's Dockerfile starts the module as the container's
    /// main process (ENTRYPOINT or CMD in exec form, no shell wrapper, a start script that ends with exec).
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "IoTEdgeModuleDockerfile")]
    [OutputType(typeof(IoTEdgeCheckResult))]
    public sealed class TestIoTEdgeModuleDockerfileCommand : TroubleshootCmdlet
    {
        /// <summary>Dockerfiles, or module folders (their Dockerfile and Dockerfile.* are checked); wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = new string[0];

        protected override void ProcessRecord()
        {
            foreach (var resolved in ResolveFileSystemPaths(Path, literal: false))
            {
                var files = ModuleDockerfileCheck.FilesAt(resolved).ToList();
                if (files.Count == 0) WriteWarning($"'{resolved}' has no Dockerfile or Dockerfile.* file.");
                foreach (var file in files)
                {
                    CancellationToken.ThrowIfCancellationRequested();
                    try
                    {
                        WriteObject(ModuleDockerfileCheck.Run(file));
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                        WriteError(ErrorRecordFor(new Problem(ErrorIds.DockerfileUnreadable, ex is UnauthorizedAccessException ? ProblemKind.PermissionDenied : ProblemKind.ReadError, file,
                            $"Cannot read '{file}': {ex.Message}", ex)));
                    }
                }
            }
        }
    }
}
