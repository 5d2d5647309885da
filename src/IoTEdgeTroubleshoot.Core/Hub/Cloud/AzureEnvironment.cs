using System;

namespace IoTEdgeTroubleshoot.Hub.Cloud
{
    /// <summary>The Azure clouds -Environment offers; each has its own endpoints, token scopes and sign-in authority.</summary>
    public enum AzureEnvironment
    {
        AzureCloud,
        AzureUSGovernment,
        AzureChinaCloud,
    }

    /// <summary>Where the module's requests go in one cloud, and the token audience of each service.</summary>
    public sealed class AzureEndpoints
    {
        private AzureEndpoints(Uri logAnalytics, Uri resourceManager, Uri authorityHost, string hubSuffix)
        {
            LogAnalytics = logAnalytics;
            ResourceManager = resourceManager;
            AuthorityHost = authorityHost;
            HubHostSuffix = hubSuffix;
            LogAnalyticsScope = ScopeOf(logAnalytics);
            ResourceManagerScope = ScopeOf(resourceManager);
        }

        public Uri LogAnalytics { get; private set; }

        public Uri ResourceManager { get; private set; }

        public Uri AuthorityHost { get; }

        /// <summary>A hub's data-plane host is {name}{HubHostSuffix}.</summary>
        public string HubHostSuffix { get; }

        /// <summary>Scopes follow the cloud, not an overridden endpoint: a private link or a test server still
        /// takes the cloud's token.</summary>
        public string LogAnalyticsScope { get; }

        public string ResourceManagerScope { get; }

        /// <summary>The IoT Hub data-plane audience (the same name in every cloud).</summary>
        public string HubScope => "https://iothubs.azure.net/.default";

        public static AzureEndpoints For(AzureEnvironment environment) => environment switch
        {
            AzureEnvironment.AzureUSGovernment => new AzureEndpoints(
                new Uri("https://api.loganalytics.us/"), new Uri("https://management.usgovcloudapi.net/"),
                new Uri("https://login.microsoftonline.us/"), ".azure-devices.us"),
            AzureEnvironment.AzureChinaCloud => new AzureEndpoints(
                new Uri("https://api.loganalytics.azure.cn/"), new Uri("https://management.chinacloudapi.cn/"),
                new Uri("https://login.chinacloudapi.cn/"), ".azure-devices.cn"),
            _ => new AzureEndpoints(
                new Uri("https://api.loganalytics.io/"), new Uri("https://management.azure.com/"),
                new Uri("https://login.microsoftonline.com/"), ".azure-devices.net"),
        };

        /// <summary>The cloud's endpoints with -LogAnalyticsEndpoint / -ResourceManagerEndpoint in place.</summary>
        public AzureEndpoints WithOverrides(Uri? logAnalytics, Uri? resourceManager)
        {
            var copy = (AzureEndpoints)MemberwiseClone();
            if (logAnalytics != null) copy.LogAnalytics = RequireHttps(logAnalytics, "-LogAnalyticsEndpoint");
            if (resourceManager != null) copy.ResourceManager = RequireHttps(resourceManager, "-ResourceManagerEndpoint");
            return copy;
        }

        /// <summary>A bearer token only ever travels over TLS.</summary>
        internal static Uri RequireHttps(Uri endpoint, string parameter)
        {
            if (!endpoint.IsAbsoluteUri || endpoint.Scheme != Uri.UriSchemeHttps)
            {
                throw new Platform.TroubleshootException(Platform.ErrorIds.InvalidAzureEndpoint, Platform.ProblemKind.InvalidArgument, endpoint,
                    $"{parameter} '{endpoint}' is not an absolute https:// address; tokens are only sent over TLS.");
            }

            return endpoint.AbsolutePath.EndsWith("/", StringComparison.Ordinal) ? endpoint : new Uri(endpoint + "/");
        }

        private static string ScopeOf(Uri endpoint) => endpoint.GetLeftPart(UriPartial.Authority) + "/.default";
    }
}
