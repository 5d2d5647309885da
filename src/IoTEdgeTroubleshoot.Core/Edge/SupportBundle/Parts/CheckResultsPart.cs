using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.SupportBundle.Parts
{
    /// <summary>check-results.json: every check result with all its properties (the network checks add theirs), texts masked.</summary>
    internal sealed class CheckResultsPart : IBundlePart
    {
        public const string Entry = "check-results.json";

        public string Name => "check results";

        public string Plan(SupportBundleRequest request) => $"{Entry} (the results of the checks)";

        public void Collect(BundleContext context, CancellationToken cancellationToken)
        {
            var results = context.Request.RunChecks(cancellationToken);
            using (var text = context.Archive.OpenText(Entry))
            {
                text.Write(ToJson(results));
            }

            var counts = results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}");
            context.Collected(Entry, $"{results.Count} check results ({string.Join(", ", counts)})");
        }

        /// <summary>The results as an indented JSON array; enums by name, texts masked.</summary>
        internal static string ToJson(IEnumerable<IoTEdgeCheckResult> results)
        {
            using var buffer = new System.IO.MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartArray();
                foreach (var result in results)
                {
                    writer.WriteStartObject();
                    foreach (var property in result.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
                    {
                        object? value = property.GetValue(result);
                        writer.WritePropertyName(property.Name);
                        switch (value)
                        {
                            case null:
                                writer.WriteNullValue();
                                break;
                            case bool flag:
                                writer.WriteBooleanValue(flag);
                                break;
                            case int number:
                                writer.WriteNumberValue(number);
                                break;
                            case long number:
                                writer.WriteNumberValue(number);
                                break;
                            case double number:
                                writer.WriteNumberValue(number);
                                break;
                            case DateTimeOffset time:
                                writer.WriteStringValue(time.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
                                break;
                            case System.Collections.IEnumerable items when !(value is string):
                                writer.WriteStartArray();
                                foreach (var item in items) writer.WriteStringValue(SecretMasker.Mask(Convert.ToString(item, System.Globalization.CultureInfo.InvariantCulture)));
                                writer.WriteEndArray();
                                break;
                            default:
                                writer.WriteStringValue(SecretMasker.Mask(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)));
                                break;
                        }
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            return new System.Text.UTF8Encoding(false).GetString(buffer.ToArray());
        }
    }
}
