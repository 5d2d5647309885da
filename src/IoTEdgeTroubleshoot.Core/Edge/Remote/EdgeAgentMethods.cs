using System;
using System.Globalization;
using System.IO;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Threading;
using Azure.Core;
using IoTEdgeTroubleshoot.Hub.Cloud;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Remote
{
    /// <summary>Which hub, how to sign, and how long a device may take to answer: what every remote edge command shares.</summary>
    public sealed class EdgeAgentConnection
    {
        public string HubName { get; set; } = string.Empty;

        /// <summary>A service policy's connection string (serviceConnect); null to use Azure AD.</summary>
        public SecureString? ConnectionString { get; set; }

        /// <summary>Overrides https://{HubName}.azure-devices.net/ (private endpoints, the tests' server).</summary>
        public Uri? HubEndpoint { get; set; }

        public AzureConnectionSettings Settings { get; set; } = new AzureConnectionSettings();

        /// <summary>responseTimeoutInSeconds: how long IoT Hub waits for the device's answer (5 to 300; the hub's default is 30).</summary>
        public int MethodTimeoutSeconds { get; set; } = 30;
    }

    /// <summary>A direct method's answer: the device's status and its payload (a clone, valid after the answer is gone).</summary>
    internal sealed class MethodAnswer
    {
        public MethodAnswer(int status, JsonElement payload, int payloadBytes)
        {
            Status = status;
            Payload = payload;
            PayloadBytes = payloadBytes;
        }

        public int Status { get; }

        public JsonElement Payload { get; }

        /// <summary>The payload's size as the device sent it: the hub caps it at about 128 KB.</summary>
        public int PayloadBytes { get; }
    }

    /// <summary>
    /// Invokes edgeAgent's direct methods through the IoT Hub service API:
    /// POST https://{hub}/twins/{device}/modules/$edgeAgent/methods?api-version=2021-04-12 with
    /// {methodName, payload, responseTimeoutInSeconds, connectTimeoutInSeconds}, answered {status, payload}.
    /// The hub's failures become what they mean for a device: 404103 not online, 504101 no answer in time,
    /// 404001 no such device; 401/403 name the role; 429 is waited out (and only 429: a method that timed
    /// out may have run, so it is never sent twice). One instance per thread: its reporter is that thread's.
    /// </summary>
    internal sealed class EdgeAgentMethods
    {
        internal const string ApiVersion = "2021-04-12";

        /// <summary>How the hub sends a method to edgeAgent's module identity.</summary>
        internal const string AgentModuleId = "$edgeAgent";

        internal const int DeviceNotOnline = 404103;
        internal const int GatewayTimeout = 504101;
        internal const int DeviceNotFoundCode = 404001;

        private const string Role = "'IoT Hub Data Contributor' on the hub (or a shared access policy with serviceConnect)";

        private readonly HubService _hub;
        private readonly EdgeAgentConnection _connection;

        public EdgeAgentMethods(EdgeAgentConnection connection, IReporter reporter)
        {
            _connection = connection;
            _hub = HubService.Connect(connection.HubName, connection.ConnectionString, connection.HubEndpoint, connection.Settings, reporter);
        }

        public string HubName => _hub.HubName;

        /// <summary>The address of edgeAgent's methods on one device; each segment escaped, "." and ".." refused.</summary>
        public Uri MethodsUri(string deviceId) => new Uri(_hub.BaseUri,
            "twins/" + AzureResourceId.Segment(deviceId, "-DeviceId") + "/modules/" + Uri.EscapeDataString(AgentModuleId) + "/methods?api-version=" + ApiVersion);

        /// <summary>Invokes <paramref name="methodName"/> with the payload <paramref name="writePayload"/> writes; throws for every failure.</summary>
        public MethodAnswer Invoke(string deviceId, string methodName, Action<Utf8JsonWriter> writePayload, CancellationToken cancellationToken)
        {
            var uri = MethodsUri(deviceId);
            string body = Body(methodName, writePayload, _connection.MethodTimeoutSeconds);
            JsonDocument? document;
            try
            {
                document = _hub.Rest.Send(RequestMethod.Post, uri, body, _hub.Access(Role), deviceId, cancellationToken, retryThrottlingOnly: true);
            }
            catch (TroubleshootException ex) when (Meaning(ex, deviceId, methodName) is TroubleshootException meant)
            {
                throw meant;
            }

            using (document)
            {
                if (document == null || document.RootElement.ValueKind != JsonValueKind.Object
                    || !document.RootElement.TryGetProperty("status", out var statusElement)
                    || statusElement.ValueKind != JsonValueKind.Number || !statusElement.TryGetInt32(out int status)) // TryGetInt32 throws on a non-number
                {
                    throw new TroubleshootException(ErrorIds.AzureResponseMalformed, ProblemKind.InvalidData, deviceId,
                        $"IoT Hub {_hub.HostName} answered {methodName} on '{deviceId}' without the method's status.");
                }

                document.RootElement.TryGetProperty("payload", out var payload);
                var answer = new MethodAnswer(status, payload.ValueKind == JsonValueKind.Undefined ? default : payload.Clone(),
                    payload.ValueKind == JsonValueKind.Undefined ? 0 : Encoding.UTF8.GetByteCount(payload.GetRawText()));
                if (status < 200 || status >= 300)
                {
                    throw new TroubleshootException(ErrorIds.EdgeAgentMethodFailed, ProblemKind.InvalidOperation, deviceId,
                        $"edgeAgent on '{deviceId}' answered {methodName} with status {status}{Said(answer.Payload)}. Check the module name (names are case-sensitive) "
                        + "and that the device runs IoT Edge 1.0.10 or later.");
                }

                return answer;
            }
        }

        internal static string Body(string methodName, Action<Utf8JsonWriter> writePayload, int timeoutSeconds)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("methodName", methodName);
                writer.WritePropertyName("payload");
                writePayload(writer);
                writer.WriteNumber("responseTimeoutInSeconds", timeoutSeconds);
                // 0: the device must be connected now; a device that is not is said at once (404103), not waited for.
                writer.WriteNumber("connectTimeoutInSeconds", 0);
                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private TroubleshootException? Meaning(TroubleshootException ex, string deviceId, string methodName)
        {
            int status = ex.Data[AzureRestClient.HttpStatusKey] is int s ? s : 0;
            int code = ex.Data[AzureRestClient.HubErrorCodeKey] is int c ? c : 0;
            if (code == DeviceNotOnline)
            {
                return new TroubleshootException(ErrorIds.EdgeDeviceNotOnline, ProblemKind.ConnectionError, deviceId,
                    $"Device '{deviceId}' is not connected to IoT Hub {_hub.HostName} (404103 DeviceNotOnline): {methodName} could not reach its edgeAgent. "
                    + "Get-IoTHubDeviceStatus shows its ConnectionState; on the device, Get-IoTEdgeDaemonStatus and the edgeAgent log say why.", ex);
            }

            if (code == GatewayTimeout || status == 504)
            {
                return new TroubleshootException(ErrorIds.EdgeMethodTimedOut, ProblemKind.OperationTimeout, deviceId,
                    $"Device '{deviceId}' did not answer {methodName} within {_connection.MethodTimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s (504101 GatewayTimeout). "
                    + "The device is slow or its link is poor: try again, or ask for less (-Tail, a shorter -Since).", ex);
            }

            if (code == DeviceNotFoundCode)
            {
                return new TroubleshootException(ErrorIds.DeviceNotFound, ProblemKind.ObjectNotFound, deviceId,
                    $"IoT Hub {_hub.HostName} has no device '{deviceId}' (404001 DeviceNotFound). Check the device id (it is case-sensitive) and the hub.", ex);
            }

            if (status == 404)
            {
                return new TroubleshootException(ErrorIds.EdgeAgentMethodFailed, ProblemKind.ObjectNotFound, deviceId,
                    $"IoT Hub {_hub.HostName} found no edgeAgent on '{deviceId}' for {methodName} ({Code(code)}): is it an IoT Edge device, and has its edgeAgent ever connected?", ex);
            }

            return null;
        }

        private static string Code(int code) => code == 0 ? "404" : code.ToString(CultureInfo.InvariantCulture);

        // What the device said about its failure: edgeAgent answers {"message": "..."}, bounded and masked.
        private static string Said(JsonElement payload)
        {
            string? text = payload.ValueKind == JsonValueKind.Object ? JsonValues.String(payload, "message") ?? JsonValues.String(payload, "Message")
                : payload.ValueKind == JsonValueKind.String ? payload.GetString() : null;
            if (string.IsNullOrWhiteSpace(text)) return string.Empty;
            text = text!.Trim();
            if (text.Length > 400) text = text.Substring(0, 400) + "…";
            return ": " + SecretMasker.Mask(text);
        }
    }
}
