using System;
using System.Collections.Generic;
using System.IO;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>The file exists and this user can read it.</summary>
    internal sealed class FileReadableCheck : IConfigCheck
    {
        public string Id => "config-readable";

        public string Description => "the config file exists and can be read";

        public bool NeedsParsedDocument => false;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            switch (context.ReadFailure)
            {
                case null:
                    yield return this.Result(context, CheckStatus.Pass, $"'{context.Path}' was read.");
                    break;
                case UnauthorizedAccessException:
                    yield return this.Result(context, CheckStatus.Error, $"Access to '{context.Path}' is denied.",
                        remedy: "Run elevated: 'sudo pwsh' on Linux, or PowerShell as Administrator on Windows.");
                    break;
                case FileNotFoundException:
                case DirectoryNotFoundException:
                    yield return this.Result(context, CheckStatus.Error, $"'{context.Path}' does not exist.",
                        remedy: context.Generation == EdgeGeneration.V1_1
                            ? "Install the IoT Edge runtime, or give -Path the config file's location."
                            : "Create it from the template (sudo cp /etc/aziot/config.toml.edge.template /etc/aziot/config.toml), or import a 1.1 config.yaml (sudo iotedge config import); on a machine without IoT Edge, install it or give -Path the file's location.");
                    break;
                default:
                    yield return this.Result(context, CheckStatus.Error, $"'{context.Path}' could not be read: {context.ReadFailure.Message}");
                    break;
            }
        }
    }
}
