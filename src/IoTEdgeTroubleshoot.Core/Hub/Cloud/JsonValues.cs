using System.Text.Json;

namespace IoTEdgeTroubleshoot.Hub.Cloud
{
    /// <summary>Reading the Azure answers: a string member, or null when it is missing or not a string.</summary>
    internal static class JsonValues
    {
        public static string? String(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
