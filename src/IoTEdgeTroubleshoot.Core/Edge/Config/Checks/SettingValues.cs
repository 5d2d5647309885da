using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// How each daemon reads a value. 1.0/1.1 (the config crate over yaml-rust) turns any scalar into a string
    /// and reads booleans from true/false/yes/no/on/off/1/0 in any case; 1.2+ (serde over TOML) wants the
    /// TOML type itself.
    /// </summary>
    internal static class SettingValues
    {
        /// <summary>The value as the daemon reads a string setting, or null when it cannot (null, mapping, sequence; or not a TOML string on 1.2+).</summary>
        public static string? AsString(ConfigNode node, EdgeGeneration generation)
        {
            if (generation == EdgeGeneration.V1_2) return node.Type == ConfigValueType.String ? node.Text : null;
            return node.IsScalar && node.Type != ConfigValueType.Null ? node.Text : null;
        }

        /// <summary>The value as the daemon reads a boolean setting, or null when it cannot.</summary>
        public static bool? AsBool(ConfigNode node, EdgeGeneration generation)
        {
            if (node.Type == ConfigValueType.Boolean) return node.Text == "true";
            if (generation == EdgeGeneration.V1_2 || !node.IsScalar || node.Type == ConfigValueType.Null) return null;
            if (node.Type == ConfigValueType.Integer || node.Type == ConfigValueType.Float) return double.TryParse(node.Text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double n) ? n != 0 : (bool?)null;
            return (node.Text ?? string.Empty).ToLowerInvariant() switch
            {
                "1" or "true" or "on" or "yes" => true,
                "0" or "false" or "off" or "no" => false,
                _ => null,
            };
        }

        /// <summary>What a value of the wrong kind is, for messages ("a mapping", "the number 12", "empty").</summary>
        public static string Describe(ConfigNode node) => node.Type switch
        {
            ConfigValueType.Null => "empty",
            ConfigValueType.Mapping => "a mapping (a section), not a value",
            ConfigValueType.Sequence => "a list, not a value",
            ConfigValueType.String => $"'{node.Text}'",
            _ => $"the {node.Type.ToString().ToLowerInvariant()} {node.Text} (not in quotes)",
        };

        /// <summary>An absolute URI as the daemons' url crate reads it; null when it is not one.</summary>
        public static Uri? AsUri(string? value) =>
            value != null && value.Trim() == value && SchemePrefix.IsMatch(value) && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme.Length > 1 ? uri : null;

        // .NET takes "/var/x" for a file URI on Unix; the daemons' url crate wants a scheme.
        private static readonly System.Text.RegularExpressions.Regex SchemePrefix = new System.Text.RegularExpressions.Regex("^[A-Za-z][A-Za-z0-9+.-]*:", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>The local path of a file:// URI the daemons accept (no host but localhost, no query); null otherwise.</summary>
        public static string? FilePath(Uri uri) =>
            uri.Scheme == "file" && (uri.Host.Length == 0 || uri.Host == "localhost") && uri.Query.Length == 0 ? Uri.UnescapeDataString(uri.AbsolutePath) : null;

        /// <summary>Standard base64, with or without its = padding (both daemons accept either).</summary>
        public static bool IsBase64(string value)
        {
            if (value.Length == 0 || value.Any(c => !(char.IsLetterOrDigit(c) && c < 128) && c != '+' && c != '/' && c != '=')) return false;
            string body = value.TrimEnd('=');
            if (body.Contains('=') || value.Length - body.Length > 2 || body.Length % 4 == 1) return false;
            try
            {
                return Convert.FromBase64String(body.PadRight(body.Length + (4 - body.Length % 4) % 4, '=')).Length > 0;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        /// <summary>The known name closest to a mistyped one (one or two letters off), for "did you mean".</summary>
        public static string? Closest(string name, IEnumerable<string> known) =>
            known.Select(k => (Name: k, Distance: Distance(name.ToLowerInvariant(), k.ToLowerInvariant())))
                .Where(k => k.Distance <= Math.Max(1, Math.Min(3, k.Name.Length / 4)))
                .OrderBy(k => k.Distance)
                .Select(k => k.Name)
                .FirstOrDefault();

        private static int Distance(string a, string b)
        {
            var row = Enumerable.Range(0, b.Length + 1).ToArray();
            for (int i = 1; i <= a.Length; i++)
            {
                int previous = row[0];
                row[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int current = row[j];
                    row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                    previous = current;
                }
            }

            return row[b.Length];
        }
    }
}
