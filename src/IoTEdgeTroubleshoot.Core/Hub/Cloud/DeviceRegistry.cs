using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Cloud
{
    /// <summary>A device identity in the hub's registry: the guide's last check, "is the device Enabled?".</summary>
    public sealed class IoTHubDeviceStatus
    {
        public string HubName { get; set; } = string.Empty;

        public string DeviceId { get; set; } = string.Empty;

        /// <summary>Enabled or Disabled: a disabled device cannot connect (the guide's last step).</summary>
        public string Status { get; set; } = string.Empty;

        public string? StatusReason { get; set; }

        /// <summary>Connected or Disconnected (MQTT and AMQP connections only).</summary>
        public string ConnectionState { get; set; } = string.Empty;

        public DateTimeOffset? LastActivityTime { get; set; }

        public DateTimeOffset? ConnectionStateUpdatedTime { get; set; }

        /// <summary>sas, selfSigned, certificateAuthority or none.</summary>
        public string AuthenticationType { get; set; } = string.Empty;

        public bool IsEdgeDevice { get; set; }

        public override string ToString() => $"{DeviceId} {Status} {ConnectionState}";
    }

    /// <summary>
    /// GET https://{hub}/devices/{id}?api-version=2021-04-12, with Azure AD (the 'IoT Hub Data Reader' role)
    /// or a shared access policy's connection string (registryRead).
    /// </summary>
    public sealed class DeviceStatusRequest
    {
        internal const string ApiVersion = "2021-04-12";

        public string HubName { get; set; } = string.Empty;

        /// <summary>A service policy's connection string; null to use Azure AD.</summary>
        public System.Security.SecureString? ConnectionString { get; set; }

        /// <summary>Overrides https://{HubName}.azure-devices.net/ (private endpoints, the tests' server).</summary>
        public Uri? HubEndpoint { get; set; }

        public IoTHubDeviceStatus Get(string deviceId, AzureConnectionSettings settings, IReporter reporter, CancellationToken cancellationToken)
        {
            var hub = HubService.Connect(HubName, ConnectionString, HubEndpoint, settings, reporter);
            string hubHost = hub.HostName;
            var uri = new Uri(hub.BaseUri, "devices/" + AzureResourceId.Segment(deviceId, "-DeviceId") + "?api-version=" + ApiVersion);
            var access = hub.Access("'IoT Hub Data Reader' on the hub (or a shared access policy with registryRead)");
            JsonDocument? document;
            try
            {
                document = hub.Rest.Send(RequestMethod.Get, uri, null, access, deviceId, cancellationToken);
            }
            catch (TroubleshootException ex) when (ex.ErrorId == ErrorIds.AzureResourceNotFound)
            {
                throw new TroubleshootException(ErrorIds.DeviceNotFound, ProblemKind.ObjectNotFound, deviceId,
                    $"IoT Hub {hubHost} has no device '{deviceId}' (404001 DeviceNotFound). Check the device id (it is case-sensitive) and the hub; "
                    + "a device that was deleted must be registered again before it can connect.", ex);
            }

            using (document)
            {
                if (document == null || document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new TroubleshootException(ErrorIds.AzureResponseMalformed, ProblemKind.InvalidData, deviceId, $"IoT Hub {hubHost} answered without a device identity.");
                }

                var root = document.RootElement;
                return new IoTHubDeviceStatus
                {
                    HubName = hub.HubName,
                    DeviceId = JsonValues.String(root, "deviceId") ?? deviceId,
                    Status = Capitalize(JsonValues.String(root, "status")),
                    StatusReason = JsonValues.String(root, "statusReason"),
                    ConnectionState = JsonValues.String(root, "connectionState") ?? string.Empty,
                    LastActivityTime = Time(root, "lastActivityTime"),
                    ConnectionStateUpdatedTime = Time(root, "connectionStateUpdatedTime"),
                    AuthenticationType = JsonValues.Member(root, "authentication", out var auth) ? JsonValues.String(auth, "type") ?? string.Empty : string.Empty,
                    IsEdgeDevice = JsonValues.Member(root, "capabilities", out var caps) && JsonValues.Member(caps, "iotEdge", out var edge) && edge.ValueKind == JsonValueKind.True,
                };
            }
        }

        // The registry says 0001-01-01T00:00:00Z for "never".
        private static DateTimeOffset? Time(JsonElement element, string name) =>
            JsonValues.String(element, name) is string text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && time.Year > 1
                ? time.ToUniversalTime()
                : (DateTimeOffset?)null;

        private static string Capitalize(string? text) => string.IsNullOrEmpty(text) ? string.Empty : char.ToUpperInvariant(text![0]) + text.Substring(1);
    }

    /// <summary>HostName=...;SharedAccessKeyName=...;SharedAccessKey=... of a hub's shared access policy.</summary>
    internal sealed class HubConnectionString
    {
        private HubConnectionString(string hostName, string keyName, byte[] key)
        {
            HostName = hostName;
            KeyName = keyName;
            Key = key;
        }

        public string HostName { get; }

        public string KeyName { get; }

        public byte[] Key { get; }

        public static HubConnectionString Parse(string text)
        {
            var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var part in text.Split(';'))
            {
                int equals = part.IndexOf('=');
                if (equals > 0) parts[part.Substring(0, equals).Trim()] = part.Substring(equals + 1).Trim();
            }

            const string expected = "give a shared access policy's connection string: HostName=<hub>.azure-devices.net;SharedAccessKeyName=<policy>;SharedAccessKey=<key> (a policy with registryRead, such as registryRead or iothubowner).";
            if (parts.ContainsKey("DeviceId")) throw Invalid("it is a device's connection string; " + expected);
            if (!parts.TryGetValue("HostName", out var host) || host.Length == 0 || host.IndexOfAny(new[] { '/', '?', '#', '@', '\\' }) >= 0
                || !parts.TryGetValue("SharedAccessKeyName", out var keyName) || keyName.Length == 0
                || !parts.TryGetValue("SharedAccessKey", out var key) || key.Length == 0)
            {
                throw Invalid(expected);
            }

            try
            {
                return new HubConnectionString(host, keyName, Convert.FromBase64String(key));
            }
            catch (FormatException)
            {
                throw Invalid("its SharedAccessKey is not base64; " + expected);
            }
        }

        private static TroubleshootException Invalid(string why) =>
            new TroubleshootException(ErrorIds.InvalidHubConnectionString, ProblemKind.InvalidArgument, "-ConnectionString", "-ConnectionString is not usable: " + why);
    }

    /// <summary>Signs each request with a SAS token for the hub (valid one hour), as the service SDKs do.</summary>
    internal sealed class SharedAccessSignaturePolicy : HttpPipelineSynchronousPolicy
    {
        private readonly HubConnectionString _connection;

        public SharedAccessSignaturePolicy(HubConnectionString connection) => _connection = connection;

        public override void OnSendingRequest(HttpMessage message) =>
            message.Request.Headers.SetValue("Authorization", Token(_connection, DateTimeOffset.UtcNow.AddHours(1)));

        internal static string Token(HubConnectionString connection, DateTimeOffset expiry)
        {
            string resource = Uri.EscapeDataString(connection.HostName.ToLowerInvariant());
            string seconds = expiry.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            using var hmac = new HMACSHA256(connection.Key);
            string signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(resource + "\n" + seconds)));
            return $"SharedAccessSignature sr={resource}&sig={Uri.EscapeDataString(signature)}&se={seconds}&skn={Uri.EscapeDataString(connection.KeyName)}";
        }
    }
}
