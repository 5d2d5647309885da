using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Config.Checks;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>Checks an IoT Edge 1.0/1.1 config.yaml the way the guide asks: readable, no tabs, valid YAML, complete, sensible values.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "IoTEdgeConfig")]
    [OutputType(typeof(IoTEdgeCheckResult))]
    public sealed class TestIoTEdgeConfigCommand : TroubleshootCmdlet
    {
        /// <summary>The config file; the platform's default when not given.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        private readonly System.Collections.Generic.HashSet<string> _checked = new System.Collections.Generic.HashSet<string>(System.StringComparer.Ordinal);

        protected override void ProcessRecord()
        {
            string path = ResolveSinglePath(Path ?? EdgeConfigDocument.DefaultPath);
            if (!_checked.Add(path)) return; // several results of one file came down the pipeline
            WriteVerbose($"Checking '{path}'.");
            Invoke(() =>
            {
                foreach (var result in ConfigChecks.Run(new ConfigCheckContext(path), CancellationToken))
                {
                    WriteObject(result);
                }
            });
        }
    }
}
