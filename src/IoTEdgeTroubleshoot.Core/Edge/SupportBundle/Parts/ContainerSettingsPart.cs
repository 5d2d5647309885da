using System;
using System.Linq;
using System.Text.Json;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.SupportBundle.Parts
{
    /// <summary>
    /// containers.json: the module containers as 'docker inspect' shows them (the createOptions the engine
    /// applied), cleaned by <see cref="ContainerSettings"/>.
    /// </summary>
    internal sealed class ContainerSettingsPart : IBundlePart
    {
        public const string Entry = "containers.json";

        public string Name => "container settings";

        public string Plan(SupportBundleRequest request) => $"{Entry} ('docker inspect' of the module containers: createOptions, HostConfig, Mounts, ports; environment values hidden)";

        public void Collect(BundleContext context, CancellationToken cancellationToken)
        {
            if (!(context.ModulesFor(Name, cancellationToken) is { } modules)) return;

            // docker answers 1 when one of the names is no container (removed meanwhile) and prints the others.
            var command = new NativeCommand("docker", new[] { "inspect", "--type", "container" }.Concat(modules.Select(m => m.Name)), TimeSpan.FromSeconds(60))
            {
                AcceptedExitCodes = new[] { 0, 1 },
                WhatToTry = "Check that the container engine runs: 'systemctl status docker' (or aziot's moby).",
            };
            string output = context.Tool.Run(command, cancellationToken).StandardOutput;
            int count;
            using var cleaned = new System.IO.MemoryStream(); // 'docker inspect' of a few containers is small: cleaned whole before the entry is opened
            try
            {
                count = ContainerSettings.Write(output, cleaned);
            }
            catch (JsonException ex)
            {
                context.Skip(Name, $"'{command.Display}' printed no container list ({ex.Message})");
                return;
            }

            context.Archive.WriteText(Entry, new System.Text.UTF8Encoding(false).GetString(cleaned.ToArray()));
            context.Collected(Entry, $"{count} of {modules.Count} module containers ('docker inspect'), environment values hidden");
        }
    }
}
