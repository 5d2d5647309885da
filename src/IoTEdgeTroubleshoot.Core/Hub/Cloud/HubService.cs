using System;
using System.Security;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Cloud
{
    /// <summary>
    /// The IoT Hub service API of one hub: its host, the base address (or -HubEndpoint), and a REST client that
    /// signs with Azure AD (scope https://iothubs.azure.net) or with a service policy's SAS. The registry read and
    /// the edgeAgent direct methods share it, so both check the hub name and sign the same way.
    /// </summary>
    internal sealed class HubService
    {
        private static readonly char[] NotInHubName = { '/', '?', '#', '@', ':', '\\' };

        private HubService(AzureRestClient rest, string hostName, Uri baseUri)
        {
            Rest = rest;
            HostName = hostName;
            BaseUri = baseUri;
        }

        public AzureRestClient Rest { get; }

        /// <summary>contoso-iot-prod.azure-devices.net.</summary>
        public string HostName { get; }

        /// <summary>The hub's short name, as the portal shows it.</summary>
        public string HubName => HostName.Split('.')[0];

        /// <summary>https://{host}/, or -HubEndpoint.</summary>
        public Uri BaseUri { get; }

        /// <param name="connectionString">A service policy's connection string; null to use Azure AD.</param>
        /// <param name="hubEndpoint">Overrides https://{HubName}.azure-devices.net/ (private endpoints, the tests' server).</param>
        public static HubService Connect(string hubName, SecureString? connectionString, Uri? hubEndpoint, AzureConnectionSettings settings, IReporter reporter)
        {
            AzureRestClient rest;
            string hubHost;
            if (connectionString != null)
            {
                var parsed = HubConnectionString.Parse(StaticTokenCredential.PlainText(connectionString));
                hubHost = parsed.HostName;
                // The remote edge commands take both: a -HubName the string does not name would be shown in -WhatIf
                // and -Confirm while the methods went to another hub's devices.
                if (!string.IsNullOrWhiteSpace(hubName) && !Names(hubName, hubHost))
                {
                    throw new TroubleshootException(ErrorIds.InvalidHubConnectionString, ProblemKind.InvalidArgument, "-ConnectionString",
                        $"-ConnectionString is for IoT Hub {hubHost}, not -HubName '{hubName}'. Give the connection string of a policy of {hubName}, or -HubName {hubHost.Split('.')[0]}. Nothing was sent.");
                }

                rest = new AzureRestClient(settings, reporter, new SharedAccessSignaturePolicy(parsed), parsed.KeyName);
            }
            else
            {
                if (string.IsNullOrWhiteSpace(hubName) || hubName.IndexOfAny(NotInHubName) >= 0)
                {
                    throw new TroubleshootException(ErrorIds.InvalidResourceId, ProblemKind.InvalidArgument, hubName,
                        $"-HubName '{hubName}' is not an IoT hub name (the first label of its host name, such as contoso-iot-prod).");
                }

                hubHost = hubName.Contains(".") ? hubName : hubName + settings.Endpoints.HubHostSuffix;
                rest = new AzureRestClient(settings, reporter);
            }

            var baseUri = hubEndpoint != null ? AzureEndpoints.RequireHttps(hubEndpoint, "-HubEndpoint") : new Uri("https://" + hubHost + "/");
            return new HubService(rest, hubHost, baseUri);
        }

        // contoso-iot-prod names contoso-iot-prod.azure-devices.net, as does the host name itself (host names are case-insensitive).
        private static bool Names(string hubName, string hubHost) =>
            string.Equals(hubName.Trim(), hubHost, StringComparison.OrdinalIgnoreCase)
            || string.Equals(hubName.Trim(), hubHost.Split('.')[0], StringComparison.OrdinalIgnoreCase);

        /// <summary>The token audience, and the role a 401 or 403 asks for.</summary>
        public ServiceAccess Access(string role) => new ServiceAccess("IoT Hub " + HostName, Rest.Endpoints.HubScope, role);
    }
}
