using System;
using System.Security;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace IoTEdgeTroubleshoot.Hub.Cloud
{
    /// <summary>
    /// How the cloud commands reach Azure: the cloud and its endpoints, and the credential.
    /// No Azure.* type is public: the cmdlets fill this in with plain values.
    /// </summary>
    public sealed class AzureConnectionSettings
    {
        public AzureEnvironment Environment { get; set; } = AzureEnvironment.AzureCloud;

        public string? TenantId { get; set; }

        /// <summary>A token the caller already has (Get-AzAccessToken); otherwise DefaultAzureCredential.</summary>
        public SecureString? AccessToken { get; set; }

        public Uri? LogAnalyticsEndpoint { get; set; }

        public Uri? ResourceManagerEndpoint { get; set; }

        /// <summary>Tests only: the transport that reaches the loopback server (its certificate trusted there).</summary>
        internal HttpPipelineTransport? Transport { get; set; }

        /// <summary>Tests only: a credential that stands in for DefaultAzureCredential (which would probe the network).</summary>
        internal TokenCredential? DefaultCredential { get; set; }

        /// <summary>Tests only: shorter back-off.</summary>
        internal RetryTiming Retry { get; set; } = RetryTiming.Default;

        internal AzureEndpoints Endpoints => AzureEndpoints.For(Environment).WithOverrides(LogAnalyticsEndpoint, ResourceManagerEndpoint);

        /// <summary>The credential the settings ask for, wrapped so that a 401/403 can name the identity.</summary>
        internal ObservedCredential CreateCredential()
        {
            if (AccessToken != null) return new ObservedCredential(new StaticTokenCredential(AccessToken), "the -AccessToken token");
            var options = new DefaultAzureCredentialOptions { AuthorityHost = AzureEndpoints.For(Environment).AuthorityHost };
            if (!string.IsNullOrEmpty(TenantId)) options.TenantId = TenantId;
            return new ObservedCredential(DefaultCredential ?? new DefaultAzureCredential(options), "DefaultAzureCredential (managed identity, environment, Azure CLI, Azure PowerShell)");
        }
    }

    /// <summary>Back-off of <see cref="BoundedRetryPolicy"/>.</summary>
    internal sealed class RetryTiming
    {
        public static readonly RetryTiming Default = new RetryTiming(4, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60));

        public RetryTiming(int maxRetries, TimeSpan firstDelay, TimeSpan longestWait)
        {
            MaxRetries = maxRetries;
            FirstDelay = firstDelay;
            LongestWait = longestWait;
        }

        public int MaxRetries { get; }

        public TimeSpan FirstDelay { get; }

        /// <summary>The longest Retry-After honoured; a longer one ends the retries with the service's answer.</summary>
        public TimeSpan LongestWait { get; }
    }

    internal sealed class TroubleshootClientOptions : ClientOptions
    {
        public TroubleshootClientOptions(AzureConnectionSettings settings, BoundedRetryPolicy retry)
        {
            if (settings.Transport != null) Transport = settings.Transport;
            RetryPolicy = retry;
            // Logs queries may run 10 minutes (Prefer: wait=600); the socket waits a little longer.
            Retry.NetworkTimeout = TimeSpan.FromMinutes(11);
            Diagnostics.ApplicationId = "IoTEdgeTroubleshoot";
            Diagnostics.IsDistributedTracingEnabled = false;
            Diagnostics.IsLoggingContentEnabled = false;
            Diagnostics.IsTelemetryEnabled = false;
        }
    }
}
