using System.Net;

namespace IoTEdgeTroubleshoot.Edge.Config
{
    /// <summary>What is wrong with a hostname, and how badly.</summary>
    public sealed class HostnameVerdict
    {
        internal HostnameVerdict(string? error, string? warning)
        {
            Error = error;
            Warning = warning;
        }

        /// <summary>Why the daemon (or the guide's "invalid hostname" failure) rejects it; null when it does not.</summary>
        public string? Error { get; }

        /// <summary>What `iotedge check` warns about (RFC 1035, certificate issuer length); null when nothing.</summary>
        public string? Warning { get; }
    }

    /// <summary>
    /// The hostname rules, one place for the checks and the Set- command. Errors: empty; a placeholder
    /// or pasted damage; on 1.0/1.1 more than 64 characters (the guide's "invalid hostname" failure).
    /// Warnings, as `iotedge check` gives them: not RFC 1035 (a label starting with a digit, an underscore);
    /// on 1.2+ more than 64 characters (too long for a certificate issuer). An IP address is fine on 1.2+.
    /// </summary>
    public static class HostnameRules
    {
        public const int MaxLength = 64;

        public static HostnameVerdict Check(string? hostname, EdgeGeneration generation)
        {
            if (string.IsNullOrWhiteSpace(hostname)) return new HostnameVerdict("it is empty.", null);
            string name = hostname!;
            var damage = PastedValue.Problem(name);
            if (damage != null) return new HostnameVerdict(damage, null);
            foreach (char c in name)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c)) return new HostnameVerdict($"it contains a space or control character (U+{(int)c:X4}).", null);
            }

            bool tooLong = name.Length > MaxLength;
            if (tooLong && generation == EdgeGeneration.V1_1)
            {
                return new HostnameVerdict($"it has {name.Length} characters; the daemon accepts at most {MaxLength}.", null);
            }

            if (generation == EdgeGeneration.V1_2 && IPAddress.TryParse(name, out _)) return new HostnameVerdict(null, null);
            string? rfc = Rfc1035Problem(name);
            if (rfc != null)
            {
                return new HostnameVerdict(null, $"it does not follow RFC 1035: {rfc} The daemon accepts it, but TLS with modules and downstream devices may fail (`iotedge check` warns too).");
            }

            return new HostnameVerdict(null, tooLong ? $"it has {name.Length} characters: too long to be a certificate issuer name (at most {MaxLength}), as `iotedge check` warns." : null);
        }

        /// <summary>Null when the name follows RFC 1035 (labels of letters, digits and hyphens, starting with a letter).</summary>
        public static string? Rfc1035Problem(string hostname)
        {
            if (hostname.Length > 255) return "it is longer than 255 characters.";
            foreach (var label in hostname.Split('.'))
            {
                if (label.Length == 0) return "it has an empty label (two dots, or a dot at an end).";
                if (label.Length > 63) return $"the label '{label}' is longer than 63 characters.";
                if (!IsLetter(label[0])) return $"the label '{label}' does not start with a letter.";
                if (!IsLetterOrDigit(label[label.Length - 1])) return $"the label '{label}' does not end with a letter or digit.";
                foreach (char c in label)
                {
                    if (!IsLetterOrDigit(c) && c != '-') return $"the label '{label}' has '{c}'; only letters, digits and hyphens are allowed.";
                }
            }

            return null;
        }

        private static bool IsLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

        private static bool IsLetterOrDigit(char c) => IsLetter(c) || (c >= '0' && c <= '9');
    }
}
