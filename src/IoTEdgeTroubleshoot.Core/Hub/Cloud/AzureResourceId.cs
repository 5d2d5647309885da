using System;
using System.Linq;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Cloud
{
    /// <summary>An ARM resource id checked for its shape: /subscriptions/{s}/resourceGroups/{g}/providers/{ns}/{type}/{name}.</summary>
    public sealed class AzureResourceId
    {
        private AzureResourceId(string id, string subscription, string resourceGroup, string name)
        {
            Id = id;
            SubscriptionId = subscription;
            ResourceGroup = resourceGroup;
            Name = name;
        }

        public string Id { get; }

        public string SubscriptionId { get; }

        public string ResourceGroup { get; }

        public string Name { get; }

        /// <summary>Parses <paramref name="id"/> and checks it names a resource of <paramref name="type"/> ("Microsoft.Devices/IotHubs").</summary>
        public static AzureResourceId Parse(string id, string type, string parameter)
        {
            string trimmed = (id ?? string.Empty).Trim().TrimEnd('/');
            string[] parts = trimmed.Split('/');
            string[] typeParts = type.Split('/');
            // "", subscriptions, {s}, resourceGroups, {g}, providers, {ns}, {type}, {name}
            bool ok = parts.Length == 9 && parts[0].Length == 0
                && Is(parts[1], "subscriptions") && parts[2].Length > 0
                && Is(parts[3], "resourceGroups") && parts[4].Length > 0
                && Is(parts[5], "providers") && Is(parts[6], typeParts[0]) && Is(parts[7], typeParts[1])
                && parts[8].Length > 0;
            foreach (var part in parts)
            {
                if (part.IndexOfAny(new[] { '?', '#', '\\' }) >= 0 || part == "." || part == ".." || part.Any(char.IsControl)) ok = false;
            }

            if (!ok)
            {
                throw new TroubleshootException(ErrorIds.InvalidResourceId, ProblemKind.InvalidArgument, id,
                    $"{parameter} '{id}' is not the resource id of a {type} resource: expected /subscriptions/<id>/resourceGroups/<group>/providers/{type}/<name> "
                    + "(the Properties page of the resource in the portal, or (Get-AzResource -Name <name>).ResourceId).");
            }

            return new AzureResourceId(trimmed, parts[2], parts[4], parts[8]);
        }

        /// <summary>
        /// A user's value (a device id, a setting or rule name) as one escaped URL path segment. "." and ".."
        /// are refused: System.Uri folds them (escaped too), so the request would name another resource.
        /// </summary>
        public static string Segment(string value, string parameter)
        {
            if (value == "." || value == "..")
            {
                throw new TroubleshootException(ErrorIds.InvalidAzureName, ProblemKind.InvalidArgument, value,
                    $"{parameter} '{value}' cannot be sent: in a URL it names the resource above, not one called '{value}'. Give another {parameter}.");
            }

            return Uri.EscapeDataString(value);
        }

        /// <summary>The id with each segment escaped for a URL path.</summary>
        public string ToPath()
        {
            var parts = Id.Split('/');
            for (int i = 0; i < parts.Length; i++) parts[i] = Uri.EscapeDataString(parts[i]);
            return string.Join("/", parts);
        }

        private static bool Is(string part, string expected) => string.Equals(part, expected, StringComparison.OrdinalIgnoreCase);

        public override string ToString() => Id;
    }
}
