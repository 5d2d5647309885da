using System.Text.Json;
using System.Text.Json.Nodes;

namespace IoTEdgeTroubleshoot.Hub.Cloud
{
    /// <summary>
    /// Reading the Azure answers without trusting their shape: a member of something that is not an object,
    /// or a value of another type than documented, reads as missing (never an InvalidOperationException).
    /// </summary>
    internal static class JsonValues
    {
        public static string? String(JsonElement element, string name) =>
            Member(element, name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        public static bool Member(JsonElement element, string name, out JsonElement value)
        {
            value = default;
            return element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out value);
        }

        /// <summary>The member when it is an array, else false.</summary>
        public static bool Array(JsonElement element, string name, out JsonElement value) =>
            Member(element, name, out value) && value.ValueKind == JsonValueKind.Array;

        public static string? String(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

        public static bool IsTrue(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;
    }
}
