using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Dns
{
    /// <summary>
    /// DNS server addresses as dockerd and Docker's HostConfig.Dns take them: IPv4 in four dotted parts or
    /// IPv6, nothing else (no host name, no port). IPAddress.TryParse alone would take "1" as 0.0.0.1.
    /// </summary>
    public static class DnsServers
    {
        private static readonly Regex DottedQuad = new Regex(@"^(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$", RegexOptions.CultureInvariant);

        /// <summary>Why <paramref name="server"/> is not a DNS server address, or null when it is one.</summary>
        public static string? Problem(string? server)
        {
            if (string.IsNullOrWhiteSpace(server)) return "an empty address";
            string value = server!;
            if (value.Trim() != value) return $"'{value}' has spaces around it";
            if (DottedQuad.IsMatch(value)) return null;
            if (value.IndexOf(':') >= 0 && value.IndexOf('%') < 0 && IPAddress.TryParse(value, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6) return null;
            int zone = value.IndexOf('%');
            if (zone > 0 && IPAddress.TryParse(value.Substring(0, zone), out var zoned) && zoned.AddressFamily == AddressFamily.InterNetworkV6)
            {
                // The zone names an interface of the host, which the containers do not have.
                return $"'{value}' has a zone ('{value.Substring(zone)}'): a link-local address with the host's interface name does not work inside a container; give a global or unique-local IPv6 address, or an IPv4 one";
            }

            return value.IndexOf(':') >= 0 && value.IndexOf('.') >= 0 && value.Split(':').Length == 2
                ? $"'{value}' has a port; dockerd and HostConfig.Dns take an address only (port 53 is used)"
                : $"'{value}' is not an IPv4 or IPv6 address (a DNS server is given by address, not by name)";
        }

        /// <summary>Throws InvalidDnsServer for the first address that is not one; returns the list otherwise.</summary>
        public static IReadOnlyList<string> Validate(IEnumerable<string>? servers)
        {
            var list = (servers ?? Array.Empty<string>()).ToList();
            if (list.Count == 0)
            {
                throw new TroubleshootException(ErrorIds.InvalidDnsServer, ProblemKind.InvalidArgument, "Server",
                    "Give at least one DNS server address, such as -Server 10.0.0.53 (one your devices can reach). Nothing was written.");
            }

            foreach (var server in list)
            {
                string? problem = Problem(server);
                if (problem != null)
                {
                    throw new TroubleshootException(ErrorIds.InvalidDnsServer, ProblemKind.InvalidArgument, server,
                        $"Not a DNS server address: {problem}. Nothing was written.");
                }
            }

            var repeated = list.GroupBy(s => s, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (repeated != null)
            {
                throw new TroubleshootException(ErrorIds.InvalidDnsServer, ProblemKind.InvalidArgument, repeated.Key,
                    $"'{repeated.Key}' is given twice; give each DNS server once. Nothing was written.");
            }

            return list;
        }
    }
}
