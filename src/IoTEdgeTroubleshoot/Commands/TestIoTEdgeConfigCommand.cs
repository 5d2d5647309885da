using System.Collections.Generic;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Config.Checks;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// Checks an IoT Edge config file the way the daemons read it: config.yaml (1.0/1.1) or config.toml
    /// (1.2+), told apart by name, content and what is installed, or by -Generation.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "IoTEdgeConfig")]
    [OutputType(typeof(IoTEdgeCheckResult))]
    public sealed class TestIoTEdgeConfigCommand : TroubleshootCmdlet
    {
        private readonly HashSet<string> _checked = new HashSet<string>(System.StringComparer.Ordinal);

        /// <summary>The config file; without it, the installed runtime's (config.toml, else config.yaml).</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>The IoT Edge version the file is for, when its name and content do not say.</summary>
        [Parameter]
        [ValidateSet("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6")]
        public string? Generation { get; set; }

        protected override void ProcessRecord()
        {
            EdgeGeneration? generation = Generation == null ? (EdgeGeneration?)null : EdgeGenerations.FromVersion(Generation);
            string path = ResolveSinglePath(Path ?? EdgeInstallation.DefaultPath(generation));
            if (!_checked.Add(path)) return; // several results of one file came down the pipeline
            Invoke(() =>
            {
                var context = new ConfigCheckContext(path, generation);
                bool told = false;
                foreach (var result in ConfigChecks.Run(context, CancellationToken))
                {
                    // The generation is known once the file is read, which the first result follows.
                    if (!told) WriteVerbose($"Checking '{path}' as an IoT Edge {context.Generation.Name()} file.");
                    told = true;
                    WriteObject(result);
                }
            });
        }
    }
}
