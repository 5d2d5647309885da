using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config.Checks;

namespace IoTEdgeTroubleshoot.Edge.Config
{
    /// <summary>
    /// Test-IoTEdgeConfig: every check of the file's generation, in order; checks that need a readable,
    /// parsed file are Skipped otherwise.
    /// </summary>
    public static class ConfigChecks
    {
        private static readonly IConfigCheck[] V1_1 =
        {
            new FileReadableCheck(),
            new NoTabsCheck(),
            new YamlSyntaxCheck(),
            new SectionsCheck(),
            new ProvisioningCheck(),
            new HostnameCheck(),
            new AgentCheck(),
            new UrisCheck(),
            new HomedirCheck(),
        };

        private static readonly IConfigCheck[] V1_2 =
        {
            new FileReadableCheck(),
            new WellFormedCheck(),
            new ProvisioningCheck12(),
            new HostnameCheck12(),
            new ParentHostnameCheck(),
            new CertsPreloadedCheck(),
            new AgentImageCheck(),
            new AgentEnvCheck(),
            new ProxySettingsCheck(),
            new ConnectManagementUriCheck(),
            new ContainerEngineUriCheck(),
            new EdgeCaCheck(),
            new AutoReprovisioningCheck(),
            new ConfigsUpToDateCheck(),
        };

        /// <summary>The ids of every check, in the order they run: the 1.0/1.1 checks, then the 1.2+ checks (documented in about_IoTEdgeTroubleshoot).</summary>
        public static IReadOnlyList<string> CheckIds { get; } = V1_1.Concat(V1_2).Select(check => check.Id).ToArray();

        /// <summary>The ids of one generation's checks, in the order they run.</summary>
        public static IReadOnlyList<string> CheckIdsFor(EdgeGeneration generation) => For(generation).Select(check => check.Id).ToArray();

        public static IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                context.Document = EdgeConfigDocument.Load(context.Path, context.RequestedGeneration);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                context.ReadFailure = ex;
            }

            foreach (var check in For(context.Generation))
            {
                cancellationToken.ThrowIfCancellationRequested();
                bool unreadable = context.Document == null && !(check is FileReadableCheck);
                bool invalid = check.NeedsParsedDocument && context.Document?.IsValid != true;
                if (unreadable || invalid)
                {
                    yield return check.Result(context, CheckStatus.Skipped, unreadable ? "Skipped: the file could not be read." : $"Skipped: the file is not well-formed {context.Document!.FormatName}.");
                    continue;
                }

                foreach (var result in check.Run(context)) yield return result;
            }
        }

        private static IConfigCheck[] For(EdgeGeneration generation) => generation == EdgeGeneration.V1_1 ? V1_1 : V1_2;
    }
}
