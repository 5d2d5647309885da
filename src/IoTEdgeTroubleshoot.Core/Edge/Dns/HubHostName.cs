using System;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.Config;

namespace IoTEdgeTroubleshoot.Edge.Dns
{
    /// <summary>The IoT hub a device connects to, as its config names it (manual provisioning only: DPS assigns it).</summary>
    public static class HubHostName
    {
        /// <summary>The hub's host name, or null with <paramref name="why"/> saying why the file does not tell it.</summary>
        public static string? FromConfig(EdgeConfigDocument document, out string why)
        {
            why = string.Empty;
            if (!document.IsValid)
            {
                why = $"'{document.Path}' does not parse (Test-IoTEdgeConfig says where)";
                return null;
            }

            string? source = document.ScalarValue("provisioning", "source");
            if (string.Equals(source, "dps", StringComparison.OrdinalIgnoreCase))
            {
                why = $"'{document.Path}' provisions through DPS, which assigns the hub";
                return null;
            }

            string? connection = document.Generation == EdgeGeneration.V1_1
                ? document.ScalarValue("provisioning", "device_connection_string")
                : document.ScalarValue("provisioning", "connection_string");
            string? host = connection == null ? null : Part(connection, "HostName");
            host ??= document.Generation == EdgeGeneration.V1_1
                ? document.ScalarValue("provisioning", "authentication", "iothub_hostname")
                : document.ScalarValue("provisioning", "iothub_hostname");
            if (string.IsNullOrWhiteSpace(host))
            {
                why = $"'{document.Path}' names no hub (no HostName in the connection string, no iothub_hostname)";
                return null;
            }

            return host!.Trim();
        }

        private static string? Part(string connectionString, string name) =>
            connectionString.Split(';').Select(p => p.Split(new[] { '=' }, 2)).Where(p => p.Length == 2 && p[0].Trim() == name).Select(p => p[1].Trim()).LastOrDefault();
    }
}
