using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// A device connection string as the daemons parse it: ';'-separated name=value parts, the names
    /// HostName, DeviceId and SharedAccessKey matched exactly (case counts), the key in base64. 1.0/1.1
    /// also holds DeviceId and HostName to patterns. An X.509 device's string (x509=true) has no key and
    /// cannot be used here.
    /// </summary>
    internal static class ConnectionStringRules
    {
        public const string Copy = "Copy the connection string again from the portal (IoT Hub > Devices > your device > Primary connection string): HostName=...;DeviceId=...;SharedAccessKey=...";

        private static readonly Regex DeviceIdPattern = new Regex(@"^[A-Za-z0-9\-:.+%_#*?!(),=@;$']{1,128}$", RegexOptions.CultureInvariant);
        private static readonly Regex HubPattern = new Regex(@"^[a-zA-Z0-9_\-\.]+$", RegexOptions.CultureInvariant);
        private static readonly string[] Names = { "HostName", "DeviceId", "SharedAccessKey" };

        /// <summary>Everything the daemon would refuse, in words (empty when it would take it).</summary>
        public static IEnumerable<string> Problems(string value, EdgeGeneration generation)
        {
            if (value.Length == 0)
            {
                yield return "The connection string is empty.";
                yield break;
            }

            string? pasted = PastedValue.Problem(value);
            if (pasted != null)
            {
                yield return "The connection string is not usable: " + pasted;
                yield break;
            }

            var parts = value.Split(';')
                .Select(p => p.Split(new[] { '=' }, 2))
                .Where(p => p.Length == 2)
                .ToList();
            string? Part(string name) => parts.LastOrDefault(p => p[0] == name)?[1];

            if (Part("SharedAccessKey") == null && parts.Any(p => p[0].Trim().Equals("x509", StringComparison.OrdinalIgnoreCase) && p[1].Trim().Equals("true", StringComparison.OrdinalIgnoreCase)))
            {
                yield return generation == EdgeGeneration.V1_1
                    ? "This is the connection string of an X.509 device (x509=true): it has no SharedAccessKey, which a connection string here needs. For an X.509 identity, set provisioning.authentication with method: \"x509\", iothub_hostname, device_id, identity_cert and identity_pk instead."
                    : "This is the connection string of an X.509 device (x509=true): it has no SharedAccessKey, which connection_string needs. For an X.509 identity, set iothub_hostname, device_id and [provisioning.authentication] method = \"x509\" with identity_cert and identity_pk instead.";
                yield break;
            }

            foreach (var name in Names)
            {
                string? found = Part(name);
                if (found == null)
                {
                    var other = parts.FirstOrDefault(p => p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase));
                    yield return other != null
                        ? $"The connection string has '{other[0]}' where the daemon needs '{name}' exactly (names are case-sensitive, with no spaces)."
                        : $"The connection string has no {name}.";
                    continue;
                }

                // 1.1 keeps only what is before the next '=' (the key's padding), then decodes leniently.
                string part = generation == EdgeGeneration.V1_1 && name != "SharedAccessKey" ? found.Split('=')[0] : found;
                switch (name)
                {
                    case "SharedAccessKey" when part.Length == 0:
                        yield return "The connection string's SharedAccessKey is empty.";
                        break;
                    case "SharedAccessKey" when !SettingValues.IsBase64(part):
                        yield return "The connection string's SharedAccessKey is not valid base64 (cut short, or a character changed?).";
                        break;
                    case "DeviceId" when generation == EdgeGeneration.V1_1 && !DeviceIdPattern.IsMatch(part):
                        yield return "The connection string's DeviceId has characters a device id cannot have, or is longer than 128.";
                        break;
                    case "HostName" when generation == EdgeGeneration.V1_1 && !HubPattern.IsMatch(part):
                        yield return "The connection string's HostName is not a host name (letters, digits, '-', '_' and '.').";
                        break;
                }
            }
        }
    }
}
