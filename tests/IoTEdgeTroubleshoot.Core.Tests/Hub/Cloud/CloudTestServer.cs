using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Security;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using IoTEdgeTroubleshoot.Hub.Cloud;
using IoTEdgeTroubleshoot.LoopbackAzure;

namespace IoTEdgeTroubleshoot.Tests.Hub.Cloud
{
    /// <summary>
    /// The loopback HTTPS server and settings that reach it: its certificate (made at run time) is trusted
    /// by this client's handler only, and the -AccessToken is a JWT naming a user, so errors can name it.
    /// </summary>
    public sealed class CloudTestServer : IDisposable
    {
        public const string HubId = "/subscriptions/0f3c2a5e-7d41-4b8e-9a6c-2d5b8e1f4a70/resourceGroups/iot-prod-rg/providers/Microsoft.Devices/IotHubs/contoso-iot-prod";

        public static readonly Guid WorkspaceId = new Guid("6a1d0c3e-5b2f-4e7a-9c8d-1f2e3d4c5b6a");

        public CloudTestServer()
        {
            Token = FakeJwt("ana@contoso.com", "11111111-2222-3333-4444-555555555555", DateTimeOffset.UtcNow.AddHours(1));
            Server = new LoopbackAzureServer(Token);
        }

        public LoopbackAzureServer Server { get; }

        public string Token { get; }

        public AzureConnectionSettings Settings(int maxRetries = 3)
        {
            var handler = new HttpClientHandler
            {
                // Trust exactly the test server's certificate, nothing else.
                ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate != null && certificate.Thumbprint == Server.Certificate.Thumbprint,
            };
            return new AzureConnectionSettings
            {
                AccessToken = Secure(Token),
                LogAnalyticsEndpoint = Server.Endpoint,
                ResourceManagerEndpoint = Server.Endpoint,
                Transport = new HttpClientTransport(handler),
                Retry = new RetryTiming(maxRetries, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(5)),
            };
        }

        public static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (char c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        public static string FakeJwt(string upn, string objectId, DateTimeOffset expires)
        {
            static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return Part("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Part($"{{\"upn\":\"{upn}\",\"oid\":\"{objectId}\",\"exp\":{expires.ToUnixTimeSeconds()}}}") + ".c2lnbmF0dXJlLXNlY3JldC14eXo";
        }

        /// <summary>An AzureDiagnostics row of the Connections category, as the workspace holds it.</summary>
        public void AddRow(DateTimeOffset time, string deviceId, string operation = "deviceDisconnect", string level = "Error", string resultType = "404104", string resultDescription = "DeviceConnectionClosedRemotely")
        {
            var properties = new JsonObject
            {
                ["deviceId"] = deviceId,
                ["protocol"] = "Mqtt",
                ["authType"] = "{\"scope\":\"device\",\"type\":\"sas\",\"issuer\":\"iothub\",\"acceptingIpFilterRule\":null}",
                ["maskedIpAddress"] = "203.0.113.XXX",
                ["statusCode"] = resultType.Length > 0 ? resultType : null,
                ["errorMessage"] = "",
                ["sdkVersion"] = "azure-iot-device-csharp/1.42.0",
            };
            Server.ConnectionRows.Add(new JsonObject
            {
                ["TimeGenerated"] = time.UtcDateTime.ToString("o"),
                ["_ResourceId"] = HubId.ToLowerInvariant(),
                ["Resource"] = "CONTOSO-IOT-PROD",
                ["OperationName"] = operation,
                ["Category"] = "Connections",
                ["Level"] = level,
                ["ResultType"] = resultType,
                ["ResultDescription"] = resultDescription,
                ["properties_s"] = properties.ToJsonString(),
            });
        }

        /// <summary>
        /// Storage-export records (one JSON object per line, as samples/connections holds them) as the workspace
        /// would hold them: time becomes TimeGenerated, the properties string properties_s. Returns the rows added.
        /// </summary>
        public int AddExportedRecords(IEnumerable<string> files)
        {
            int added = 0;
            foreach (var file in files)
            {
                foreach (var line in File.ReadLines(file))
                {
                    if (line.Trim().Length == 0) continue;
                    var record = JsonNode.Parse(line)!.AsObject();
                    string resourceId = (string)record["resourceId"]!;
                    var properties = record["properties"];
                    Server.ConnectionRows.Add(new JsonObject
                    {
                        ["TimeGenerated"] = (string)record["time"]!,
                        ["_ResourceId"] = resourceId.ToLowerInvariant(),
                        ["Resource"] = resourceId.Substring(resourceId.LastIndexOf('/') + 1),
                        ["OperationName"] = (string?)record["operationName"],
                        ["Category"] = (string?)record["category"],
                        ["Level"] = (string?)record["level"],
                        ["ResultType"] = (string?)record["resultType"] ?? string.Empty,
                        ["ResultDescription"] = (string?)record["resultDescription"] ?? string.Empty,
                        ["properties_s"] = properties is JsonValue ? (string?)properties : properties?.ToJsonString(),
                    });
                    added++;
                }
            }

            return added;
        }

        public void Dispose() => Server.Dispose();
    }
}
