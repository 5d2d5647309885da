using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Network.Probing
{
    /// <summary>What a probe connects to: a name and a port, directly or through an HTTP proxy.</summary>
    public sealed class ProbeTarget
    {
        public ProbeTarget(string host, int port, ProxyEndpoint? proxy = null)
        {
            Host = host;
            Port = port;
            Proxy = proxy;
        }

        public string Host { get; }

        public int Port { get; }

        /// <summary>Null for a direct connection.</summary>
        public ProxyEndpoint? Proxy { get; }

        public override string ToString() => Proxy == null ? $"{Host}:{Port}" : $"{Host}:{Port} through {Proxy}";

        /// <summary><see cref="HostFromUserInput"/> for a hub the user named (-HubHostName): InvalidHostname when it is no host name.</summary>
        public static string HubHostFromUserInput(string value) => HostFromUserInput(value) ?? throw new TroubleshootException(
            ErrorIds.InvalidHostname, ProblemKind.InvalidArgument, value, $"'{value}' is not a host name: give the hub's name, such as contoso.azure-devices.net.");

        /// <summary>A host name or IP address as a user types it, or the host of a URL pasted whole (https://contoso.azure-devices.net/); null when it is neither.</summary>
        public static string? HostFromUserInput(string value)
        {
            string host = value.Trim();
            if (host.Contains("://") && Uri.TryCreate(host, UriKind.Absolute, out var uri)) host = uri.Host;
            host = host.Trim('[', ']');
            return host.Length > 0 && Uri.CheckHostName(host) != UriHostNameType.Unknown ? host : null;
        }
    }

    /// <summary>How far a probe got, and how long it took.</summary>
    public sealed class ProbeOutcome
    {
        internal ProbeOutcome(ProbeTarget target) => Target = target;

        public ProbeTarget Target { get; }

        public bool Succeeded => FailedStage == null;

        public ProbeStage? FailedStage { get; internal set; }

        public bool TimedOut { get; internal set; }

        /// <summary>Why the stage failed, in words.</summary>
        public string? Detail { get; internal set; }

        /// <summary>The address the TCP connection went to (the proxy's, through one).</summary>
        public IPAddress? Address { get; internal set; }

        public long LatencyMs { get; internal set; }

        public string? CertificateIssuer { get; internal set; }
    }

    /// <summary>What every probe of one run shares: its time budget, how names resolve and what certificates are trusted.</summary>
    public sealed class ProbeSettings
    {
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

        public TimeSpan Timeout { get; set; } = DefaultTimeout;

        /// <summary>Name resolution; the system's resolver unless a test gives its own.</summary>
        public Func<string, CancellationToken, Task<IPAddress[]>> Resolve { get; set; } = DnsStage.SystemResolver;

        /// <summary>The roots trusted beyond the system's: none by default.</summary>
        public CertificateTrust Trust { get; set; } = CertificateTrust.SystemOnly;
    }

    /// <summary>A stage that failed, and why in words (the probe reports the stage and the words).</summary>
    internal sealed class StageFailedException : Exception
    {
        public StageFailedException(ProbeStage stage, string message, Exception? inner = null, string? issuer = null)
            : base(message, inner)
        {
            Stage = stage;
            Issuer = issuer;
        }

        public ProbeStage Stage { get; }

        /// <summary>The issuer of the certificate refused (certificate stage).</summary>
        public string? Issuer { get; }
    }
}
