using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// configs-up-to-date, as `aziotctl check` names it: 'iotedge config apply' has written each service's
    /// config.d/00-super.toml (beside config.toml: /etc/aziot/keyd/config.d/...) after config.toml last changed;
    /// otherwise the services run with an older configuration than the file says.
    /// </summary>
    internal sealed class ConfigsUpToDateCheck : IConfigCheck
    {
        private static readonly string[] Services = { "keyd", "certd", "identityd", "tpmd", "edged" };

        public string Id => "configs-up-to-date";

        public string Description => "the services' configurations are up to date with config.toml";

        public bool NeedsParsedDocument => false;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(context.Path)) ?? ".";
            var applied = Services.Select(s => (Service: s, File: Path.Combine(folder, s, "config.d", "00-super.toml")))
                .Select(s => (s.Service, s.File, Time: context.LastWriteTimeUtc(s.File)))
                .ToList();
            var written = context.LastWriteTimeUtc(context.Path);
            string apply = "sudo iotedge config apply" + (string.Equals(Path.GetFullPath(context.Path), EdgeInstallation.TomlPath, StringComparison.Ordinal) ? string.Empty : $" -c {CheckResults.Quote(context.Path)}");
            if (applied.All(a => a.Time == null))
            {
                yield return string.Equals(Path.GetFullPath(context.Path), EdgeInstallation.TomlPath, StringComparison.Ordinal)
                    ? this.Result(context, CheckStatus.Warning, "config.toml has never been applied: no service has a config.d/00-super.toml.", remedy: "Apply it.", remedyCommand: apply)
                    : this.Result(context, CheckStatus.Skipped, $"No applied configuration beside '{context.Path}' (a copy, not the device's file).");
                yield break;
            }

            var missing = applied.Where(a => a.Time == null).Select(a => a.Service).ToList();
            var older = applied.Where(a => a.Time != null && written != null && a.Time < written).Select(a => a.Service).ToList();
            if (missing.Count > 0 || older.Count > 0)
            {
                yield return this.Result(context, CheckStatus.Warning,
                    older.Count > 0
                        ? $"config.toml changed after it was last applied ({string.Join(", ", older)} run with the older configuration)."
                        : $"{string.Join(", ", missing)} {(missing.Count == 1 ? "has" : "have")} no config.d/00-super.toml: config.toml was not fully applied.",
                    remedy: "Apply config.toml; the services restart with it.", remedyCommand: apply);
                yield break;
            }

            yield return this.Result(context, CheckStatus.Pass, "Every service's configuration was applied after config.toml last changed.");
        }
    }
}
