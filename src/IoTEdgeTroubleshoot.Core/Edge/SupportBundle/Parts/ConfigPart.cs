using System;
using System.IO;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.SupportBundle.Parts
{
    /// <summary>
    /// config/&lt;name&gt;: the config file with every secret masked (<see cref="SecretMasker"/>: connection
    /// strings, symmetric keys, passwords, tokens, inline private keys), and for 1.2+ the drop-ins in the
    /// config.d folder beside config.toml that can be read.
    /// </summary>
    internal sealed class ConfigPart : IBundlePart
    {
        public string Name => "config";

        public string Plan(SupportBundleRequest request) => $"config/{Path.GetFileName(request.ConfigPath)} (masked)"
            + (request.Generation == EdgeGeneration.V1_2 ? $" and config/config.d/*.toml from '{DropInFolder(request.ConfigPath)}'" : string.Empty);

        public void Collect(BundleContext context, CancellationToken cancellationToken)
        {
            string path = context.Request.ConfigPath;
            if (!File.Exists(path))
            {
                context.Skip(Name, $"'{path}' does not exist; give the config file with -ConfigPath.");
            }
            else
            {
                Copy(context, path, "config/" + Path.GetFileName(path), Name);
            }

            if (context.Request.Generation != EdgeGeneration.V1_2) return;
            string folder = DropInFolder(path);
            if (!Directory.Exists(folder)) return;
            string[] dropIns;
            try
            {
                dropIns = Directory.GetFiles(folder, "*.toml").OrderBy(f => f, StringComparer.Ordinal).ToArray();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                context.Skip("config drop-ins", $"'{folder}' cannot be listed: {ex.Message} Run elevated (sudo pwsh) to include it.");
                return;
            }

            foreach (var dropIn in dropIns)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Copy(context, dropIn, "config/config.d/" + Path.GetFileName(dropIn), "config drop-in " + Path.GetFileName(dropIn));
            }
        }

        private static string DropInFolder(string configPath) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath)) ?? ".", "config.d");

        private static void Copy(BundleContext context, string path, string entry, string part)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (UnauthorizedAccessException)
            {
                context.Skip(part, $"'{path}' may not be read by this user; run elevated (sudo pwsh) to include it.");
                return;
            }
            catch (IOException ex)
            {
                context.Skip(part, $"'{path}' cannot be read: {ex.Message}");
                return;
            }

            context.Archive.WriteText(entry, SecretMasker.Mask(text));
            context.Collected(entry, $"'{path}', secrets masked");
        }
    }
}
