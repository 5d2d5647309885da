using System;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.SupportBundle.Parts
{
    /// <summary>versions/docker.txt and versions/iotedge.txt: 'docker version' (client and the moby engine) and 'iotedge version'.</summary>
    internal sealed class VersionsPart : IBundlePart
    {
        private static readonly (string Tool, string Entry)[] Tools = { ("iotedge", "versions/iotedge.txt"), ("docker", "versions/docker.txt") };

        public string Name => "versions";

        public string Plan(SupportBundleRequest request) => "versions/iotedge.txt and versions/docker.txt ('iotedge version', 'docker version')";

        public void Collect(BundleContext context, CancellationToken cancellationToken)
        {
            foreach (var (tool, entry) in Tools)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var command = new NativeCommand(tool, new[] { "version" }, TimeSpan.FromSeconds(30));
                ProcessResult result;
                try
                {
                    result = context.Tool.Run(command, cancellationToken);
                }
                catch (TroubleshootException ex)
                {
                    context.Skip($"{tool} version", ex.Message);
                    continue;
                }

                context.Archive.WriteText(entry, SecretMasker.Mask(result.StandardOutput));
                context.Collected(entry, $"'{command.Display}'");
            }
        }
    }
}
