using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// Hides secrets in any text before it leaves the module: SharedAccessKey (and
    /// SharedAccessSignature) in connection strings, SAS token signatures, and the values of keys,
    /// passwords and tokens in YAML, JSON or key=value text. Everything Core returns or reports
    /// that can hold file content goes through <see cref="Mask"/>.
    /// </summary>
    public static class SecretMasker
    {
        public const string Masked = "***";

        private static readonly Regex ConnectionStringSecret = new Regex(
            @"(?<name>SharedAccessKey|SharedAccessSignature|AccountKey|Password|sig)\s*=\s*(?<value>[^;""'\s&]+)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        // key: value, "key": "value", key = value, for names that say secret.
        private static readonly Regex NamedSecret = new Regex(
            @"(?<name>[""']?[A-Za-z0-9_\-]*(?:key|password|passwd|secret|token|pwd|credential)[""']?\s*[:=]\s*)(?<quote>[""']?)(?<value>[^""'\s,}#]+)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        public static string Mask(string? text)
        {
            if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
            string masked = ConnectionStringSecret.Replace(text, m => m.Groups["name"].Value + "=" + Masked);
            masked = NamedSecret.Replace(masked, m => IsHarmless(m.Groups["value"].Value)
                ? m.Value
                : m.Groups["name"].Value + m.Groups["quote"].Value + Masked);
            return masked;
        }

        // Values that are not secrets even under a secret-sounding name: file paths and URIs to a key file,
        // placeholders, and what we already masked.
        private static bool IsHarmless(string value) =>
            value == Masked || value.StartsWith("file:", System.StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("/", System.StringComparison.Ordinal) || value.StartsWith("<", System.StringComparison.Ordinal)
            || value.Length == 0 || value == "null" || value == "true" || value == "false" || value == "{}";
    }
}
