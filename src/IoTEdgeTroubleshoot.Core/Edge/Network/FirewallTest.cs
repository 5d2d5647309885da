using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTEdgeTroubleshoot.Edge.Network.Probing;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Network
{
    /// <summary>The probes of one Test-IoTEdgeFirewall run, ready to start.</summary>
    public sealed class FirewallRun
    {
        internal FirewallRun(IReadOnlyList<PlannedProbe> probes, ProxyEndpoint? proxy, string? upstreamProtocol, ProbeSettings settings)
        {
            Probes = probes;
            Proxy = proxy;
            UpstreamProtocol = upstreamProtocol;
            Settings = settings;
        }

        public IReadOnlyList<PlannedProbe> Probes { get; }

        public ProxyEndpoint? Proxy { get; }

        public string? UpstreamProtocol { get; }

        public ProbeSettings Settings { get; }
    }

    /// <summary>
    /// Test-IoTEdgeFirewall: plans the probes from the request (on the caller's thread, which may report),
    /// then runs them all at once, so the run takes about as long as its slowest probe.
    /// </summary>
    public static class FirewallTest
    {
        public static FirewallRun Prepare(FirewallRequest request, IReporter reporter)
        {
            var settings = request.Settings;
            if (request.HubHostName == null && settings?.HubHostName == null && settings?.DpsHostName == null && settings?.ParentHostName == null)
            {
                string path = settings?.ConfigPath ?? "the config";
                throw new TroubleshootException(ErrorIds.FirewallHubUnknown, ProblemKind.ObjectNotFound, path,
                    $"'{path}' names no hub, DPS endpoint or parent device to probe (provisioning is not set, or its source is none). Give -HubHostName <hub>.azure-devices.net.");
            }

            ProxyEndpoint? proxy = null;
            if (settings?.HttpsProxy != null)
            {
                proxy = ProxyEndpoint.Parse(settings.HttpsProxy, out string? problem);
                if (proxy == null) reporter.Warning($"The agent's https_proxy is not used by these probes: {problem}. (Test-IoTEdgeConfig's proxy-settings check says more.)");
            }

            var probeSettings = request.Probe;
            if (request.HubHostName == null && settings?.ParentHostName != null && settings.TrustBundlePath != null)
            {
                // A nested device trusts its parent's edge CA through its trust bundle: so does the probe.
                try
                {
                    probeSettings = new ProbeSettings { Timeout = probeSettings.Timeout, Resolve = probeSettings.Resolve, Trust = probeSettings.Trust.With(CertificateTrust.ReadPem(settings.TrustBundlePath)) };
                    reporter.Verbose($"Certificates of the parent are validated with the trust bundle '{settings.TrustBundlePath}' too.");
                }
                catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException || ex is FormatException || ex is System.Security.Cryptography.CryptographicException)
                {
                    reporter.Warning($"The trust bundle '{settings.TrustBundlePath}' cannot be read ({ex.Message}): the parent's certificate is validated with the system's roots only.");
                }
            }

            var probes = FirewallPlan.For(request, proxy);
            foreach (var probe in probes.Where(p => p.SkipReason == null))
            {
                reporter.Verbose($"{probe.CheckId}: {probe.Target} (time limit {probeSettings.Timeout.TotalSeconds:0.#} s).");
            }

            return new FirewallRun(probes, proxy, settings?.UpstreamProtocol, probeSettings);
        }

        /// <summary>Runs every probe at once; the results come in the plan's order. Cancelling stops them all.</summary>
        public static async Task<IReadOnlyList<IoTEdgeNetworkCheckResult>> RunAsync(FirewallRun run, CancellationToken cancellationToken)
        {
            var outcomes = await Task.WhenAll(run.Probes.Select(probe => RunOne(probe, run.Settings, cancellationToken))).ConfigureAwait(false);
            var pairs = run.Probes.Zip(outcomes, (planned, outcome) => (planned, outcome)).ToList();
            var verdict = new ProbeVerdict(run.Proxy, run.UpstreamProtocol, pairs);
            return pairs.Select(p => verdict.Judge(p.planned, p.outcome)).ToArray();
        }

        // A probe that cannot run (its SkipReason says why) has no outcome.
        private static async Task<ProbeOutcome?> RunOne(PlannedProbe probe, ProbeSettings settings, CancellationToken cancellationToken) =>
            probe.SkipReason == null ? await ConnectivityProbe.RunAsync(probe.Target, settings, cancellationToken).ConfigureAwait(false) : null;
    }
}
