using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.LoopbackAzure
{
    /// <summary>An edge device as the test sets it: how it answers, its modules' logs, what it was asked to do.</summary>
    public sealed class EdgeDevice
    {
        public string DeviceId { get; set; } = string.Empty;

        /// <summary>online, offline (404103) or slow (answers after the method timeout: 504101).</summary>
        public string State { get; set; } = "online";

        /// <summary>Module name → its log text ('iotedge logs' output).</summary>
        public Dictionary<string, string> Modules { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>The support bundle task ends Failed instead of Completed.</summary>
        public bool BundleFails { get; set; }

        public List<string> Restarted { get; } = new List<string>();

        internal Dictionary<string, int> Tasks { get; } = new Dictionary<string, int>(StringComparer.Ordinal);
    }

    /// <summary>
    /// edgeAgent's direct methods behind IoT Hub's invoke API: {methodName, payload, responseTimeoutInSeconds,
    /// connectTimeoutInSeconds} answered {status, payload}; the hub's own failures as the hub sends them (the
    /// six-digit code in a JSON Message, and the iothub-errorcode header). GetModuleLogs answers are capped as
    /// the hub caps them (128 KB).
    /// </summary>
    internal static class EdgeDeviceMethod
    {
        public const int AnswerCapBytes = 128 * 1024;

        /// <summary>How long a slow device keeps the test waiting before the hub gives up (the real hub waits the method's timeout).</summary>
        public const int SlowDeviceMilliseconds = 300;

        private static readonly string[] TaskStatuses = { "NotStarted", "Running", "Completed" };

        public static (int, Dictionary<string, string>, string, int) Answer(Dictionary<string, EdgeDevice> devices, string deviceId, string module, string body)
        {
            var request = JsonNode.Parse(body)!.AsObject();
            string methodName = (string)request["methodName"]!;
            int timeout = (int)request["responseTimeoutInSeconds"]!;
            if (timeout < 5 || timeout > 300) return HubError(400, 400027, "ArgumentInvalid", "responseTimeoutInSeconds must be 5 to 300.", 0);
            if (!devices.TryGetValue(deviceId, out var device)) return HubError(404, 404001, "DeviceNotFound", $"Device {deviceId} not registered", 0);
            if (module != "$edgeAgent") return HubError(404, 404010, "ModuleNotFound", $"Module {module} not registered on {deviceId}", 0);
            if (device.State == "offline") return HubError(404, 404103, "DeviceNotOnline", "Timed out waiting for device to connect.", 0);
            if (device.State == "slow") return HubError(504, 504101, "GatewayTimeout", "Timed out waiting for the response from device.", Math.Min(timeout * 1000, SlowDeviceMilliseconds));

            var payload = request["payload"];
            var (status, answer) = methodName switch
            {
                "GetModuleLogs" => ModuleLogs(device, payload!),
                "RestartModule" => Restart(device, (string)payload!["id"]!),
                "UploadSupportBundle" => Upload(device, payload!),
                "GetTaskStatus" => TaskStatus(device, (string)payload!["correlationId"]!),
                _ => (501, (JsonNode?)new JsonObject { ["message"] = $"Method {methodName} not supported" }),
            };
            string text = new JsonObject { ["status"] = status, ["payload"] = answer }.ToJsonString();
            return (200, new Dictionary<string, string>(), text, 0);
        }

        private static (int, JsonNode?) ModuleLogs(EdgeDevice device, JsonNode payload)
        {
            var item = payload["items"]![0]!;
            var pattern = new Regex((string)item["id"]!);
            int? tail = item["filter"]?["tail"] is JsonNode t ? (int)t : null;
            var logs = new JsonArray();
            int budget = AnswerCapBytes - 512;
            foreach (var module in device.Modules.Where(m => pattern.IsMatch(m.Key)))
            {
                var lines = module.Value.Split('\n');
                if (tail is int n && lines.Length > n) lines = lines.Skip(lines.Length - n).ToArray();
                string text = string.Join("\n", lines);
                var bytes = Encoding.UTF8.GetBytes(text);
                if (bytes.Length > budget) text = Encoding.UTF8.GetString(bytes, 0, Math.Max(0, budget)); // the hub's cap: the answer ends where it ends
                budget -= Encoding.UTF8.GetByteCount(text);
                logs.Add(new JsonObject { ["id"] = module.Key, ["payload"] = text });
            }

            return (200, logs);
        }

        private static (int, JsonNode?) Restart(EdgeDevice device, string id)
        {
            if (!device.Modules.ContainsKey(id)) return (400, new JsonObject { ["message"] = $"Module {id} not found in the current environment" });
            device.Restarted.Add(id);
            return (200, null);
        }

        private static (int, JsonNode?) Upload(EdgeDevice device, JsonNode payload)
        {
            if (!((string)payload["sasUrl"]!).StartsWith("https://", StringComparison.Ordinal)) return (400, new JsonObject { ["message"] = "sasUrl must be https" });
            string id = Guid.NewGuid().ToString();
            device.Tasks[id] = 0;
            return (200, new JsonObject { ["status"] = "NotStarted", ["message"] = "", ["correlationId"] = id });
        }

        private static (int, JsonNode?) TaskStatus(EdgeDevice device, string id)
        {
            if (!device.Tasks.TryGetValue(id, out int step)) return (200, new JsonObject { ["status"] = "Unknown", ["message"] = "No task " + id, ["correlationId"] = id });
            step = Math.Min(step + 1, TaskStatuses.Length - 1);
            device.Tasks[id] = step;
            bool failed = device.BundleFails && step == TaskStatuses.Length - 1;
            return (200, new JsonObject
            {
                ["status"] = failed ? "Failed" : TaskStatuses[step],
                ["message"] = failed ? "Upload failed: 403 AuthorizationPermissionMismatch" : "",
                ["correlationId"] = id,
            });
        }

        private static (int, Dictionary<string, string>, string, int) HubError(int status, int code, string name, string message, int delay)
        {
            string inner = new JsonObject { ["errorCode"] = code, ["trackingId"] = Guid.NewGuid().ToString("N"), ["message"] = message, ["timestampUtc"] = DateTime.UtcNow.ToString("o") }.ToJsonString();
            return (status, new Dictionary<string, string> { ["iothub-errorcode"] = name }, new JsonObject { ["Message"] = inner, ["ExceptionMessage"] = "" }.ToJsonString(), delay);
        }
    }
}
