using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config.Checks;

namespace IoTEdgeTroubleshoot.Edge.Config
{
    /// <summary>Test-IoTEdgeConfig: every check, in order; checks that need a readable, well-formed file are Skipped otherwise.</summary>
    public static class ConfigChecks
    {
        private static readonly IConfigCheck[] All =
        {
            new FileReadableCheck(),
            new NoTabsCheck(),
            new YamlSyntaxCheck(),
            new RequiredSectionsCheck(),
            new ProvisioningCheck(),
            new HostnameCheck(),
            new AgentCheck(),
            new UriCheck(),
            new HomedirCheck(),
        };

        /// <summary>The ids of every check, in the order they run (documented in about_IoTEdgeTroubleshoot).</summary>
        public static IReadOnlyList<string> CheckIds { get; } = Array.ConvertAll(All, check => check.Id);

        public static IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                context.Document = EdgeConfigDocument.Load(context.Path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                context.ReadFailure = ex;
            }

            foreach (var check in All)
            {
                cancellationToken.ThrowIfCancellationRequested();
                bool unreadable = context.Document == null && !(check is FileReadableCheck);
                bool invalid = check.NeedsValidYaml && context.Document?.IsValid != true;
                if (unreadable || invalid)
                {
                    yield return check.Result(context, CheckStatus.Skipped, unreadable ? "Skipped: the file could not be read." : "Skipped: the file is not well-formed YAML.");
                    continue;
                }

                foreach (var result in check.Run(context)) yield return result;
            }
        }
    }
}
