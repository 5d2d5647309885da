using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.SupportBundle
{
    /// <summary>
    /// The deployment's createOptions as the engine applied them: 'docker inspect' of the module containers,
    /// reduced to what explains a module's behaviour (Config, HostConfig with its port bindings and binds,
    /// Mounts, NetworkSettings, State) and made safe to share. Environment variables keep their names only
    /// (their values hold connection strings and registry passwords), IoT Edge's env label likewise, members
    /// whose name says secret are hidden, every other text goes through <see cref="SecretMasker"/>, and JSON
    /// held in a text (the create-options label) is cleaned by the same rules.
    /// </summary>
    internal static class ContainerSettings
    {
        /// <summary>The members of a container kept (the rest, like GraphDriver, says nothing about the deployment).</summary>
        private static readonly HashSet<string> Kept = new HashSet<string>(StringComparer.Ordinal)
        {
            "Id", "Name", "Created", "Image", "Platform", "RestartCount", "State", "Config", "HostConfig", "Mounts", "NetworkSettings",
        };

        // IoT Edge's label with the module's environment as JSON ({"name": {"value": "..."}}).
        private const string EnvLabel = "net.azure-devices.edge.env";

        /// <summary>'docker inspect' output (a JSON array of containers) cleaned, indented; the number of containers comes back.</summary>
        public static int Write(string inspectJson, Stream output)
        {
            using var document = JsonDocument.Parse(inspectJson, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Array) throw new JsonException("'docker inspect' printed no JSON array.");
            using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
            writer.WriteStartArray();
            int count = 0;
            foreach (var container in document.RootElement.EnumerateArray())
            {
                if (container.ValueKind != JsonValueKind.Object) continue;
                writer.WriteStartObject();
                foreach (var member in container.EnumerateObject())
                {
                    if (!Kept.Contains(member.Name)) continue;
                    writer.WritePropertyName(member.Name);
                    Copy(member.Value, member.Name, writer);
                }

                writer.WriteEndObject();
                count++;
            }

            writer.WriteEndArray();
            writer.Flush();
            return count;
        }

        /// <summary>One text of JSON (the create-options label) cleaned by the same rules, compact.</summary>
        internal static string Clean(string json)
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                Copy(document.RootElement, null, writer);
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private static void Copy(JsonElement value, string? name, Utf8JsonWriter writer)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (var member in value.EnumerateObject())
                    {
                        writer.WritePropertyName(member.Name);
                        if (member.Name == EnvLabel && member.Value.ValueKind == JsonValueKind.String) writer.WriteStringValue(EnvNames(member.Value.GetString()!));
                        else Copy(member.Value, member.Name, writer);
                    }

                    writer.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    bool environment = string.Equals(name, "Env", StringComparison.OrdinalIgnoreCase);
                    writer.WriteStartArray();
                    string? previous = null;
                    foreach (var item in value.EnumerateArray())
                    {
                        string? text = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
                        if (environment && text != null) writer.WriteStringValue(NameOnly(text));
                        else if (text != null && SecretMasker.NamesSecret(previous?.TrimStart('-'))) writer.WriteStringValue(SecretMasker.Masked); // Cmd: "--password", "x"
                        else Copy(item, name, writer);
                        previous = text;
                    }

                    writer.WriteEndArray();
                    break;
                case JsonValueKind.String:
                    writer.WriteStringValue(CleanText(value.GetString()!, name));
                    break;
                default:
                    value.WriteTo(writer);
                    break;
            }
        }

        private static string CleanText(string text, string? name)
        {
            if (text.Length == 0) return text;
            if (SecretMasker.NamesSecret(name)) return SecretMasker.Masked;
            string trimmed = text.TrimStart();
            if (trimmed.StartsWith("{", StringComparison.Ordinal) || trimmed.StartsWith("[", StringComparison.Ordinal))
            {
                try
                {
                    return Clean(text);
                }
                catch (JsonException)
                {
                    // not JSON after all: masked as text below
                }
            }

            return SecretMasker.Mask(text);
        }

        // "NAME=value" → "NAME=***": the name says what is set; the value may be a connection string.
        private static string NameOnly(string variable)
        {
            int equals = variable.IndexOf('=');
            return equals < 0 ? variable : variable.Substring(0, equals + 1) + SecretMasker.Masked;
        }

        // {"RuntimeLogLevel":{"value":"debug"}, ...} → the names, values hidden.
        private static string EnvNames(string json)
        {
            try
            {
                using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
                if (document.RootElement.ValueKind != JsonValueKind.Object) return SecretMasker.Masked;
                var names = new List<string>();
                foreach (var member in document.RootElement.EnumerateObject()) names.Add(member.Name + "=" + SecretMasker.Masked);
                return string.Join(", ", names);
            }
            catch (JsonException)
            {
                return SecretMasker.Masked;
            }
        }
    }
}
