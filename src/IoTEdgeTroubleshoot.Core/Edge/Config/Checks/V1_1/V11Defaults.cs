using System;
using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// The settings the 1.0/1.1 daemon merges the file over (its default.yaml, Linux or Windows): a section
    /// or key missing from config.yaml takes these values, so its absence is not an error.
    /// </summary>
    internal static class V11Defaults
    {
        /// <summary>Every top-level setting the daemon reads; it ignores others without a word.</summary>
        public static readonly string[] TopLevel =
        {
            "provisioning", "agent", "hostname", "allow_elevated_docker_permissions", "connect", "listen", "homedir", "certificates", "watchdog", "moby_runtime",
        };

        public static readonly string[] Sections = { "provisioning", "agent", "connect", "listen", "certificates", "watchdog", "moby_runtime" };

        private static readonly Dictionary<string, string> Linux = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["provisioning.source"] = "manual",
            ["agent.name"] = "edgeAgent",
            ["agent.type"] = "docker",
            ["agent.config.image"] = "mcr.microsoft.com/azureiotedge-agent:1.1",
            ["hostname"] = "localhost",
            ["connect.management_uri"] = "unix:///var/run/iotedge/mgmt.sock",
            ["connect.workload_uri"] = "unix:///var/run/iotedge/workload.sock",
            ["listen.management_uri"] = "unix:///var/run/iotedge/mgmt.sock",
            ["listen.workload_uri"] = "unix:///var/run/iotedge/workload.sock",
            ["homedir"] = "/var/lib/iotedge",
            ["moby_runtime.uri"] = "unix:///var/run/docker.sock",
            ["moby_runtime.network"] = "azure-iot-edge",
        };

        private static readonly Dictionary<string, string> Windows = new Dictionary<string, string>(Linux, StringComparer.Ordinal)
        {
            ["connect.management_uri"] = "unix:///C:/ProgramData/iotedge/mgmt/sock",
            ["connect.workload_uri"] = "unix:///C:/ProgramData/iotedge/workload/sock",
            ["listen.management_uri"] = "unix:///C:/ProgramData/iotedge/mgmt/sock",
            ["listen.workload_uri"] = "unix:///C:/ProgramData/iotedge/workload/sock",
            ["homedir"] = @"C:\ProgramData\iotedge",
            ["moby_runtime.uri"] = "npipe://./pipe/iotedge_moby_engine",
            ["moby_runtime.network"] = "nat",
        };

        /// <summary>The default of a setting ("connect.management_uri"), for the platform the file is written for; null when it has none.</summary>
        public static string? For(EdgeConfigDocument document, string setting) =>
            (IsWindowsFile(document) ? Windows : Linux).TryGetValue(setting, out var value) ? value : null;

        // The file is for the platform its own paths are for: Windows paths and pipes say Windows.
        private static bool IsWindowsFile(EdgeConfigDocument document)
        {
            foreach (var setting in new[] { new[] { "homedir" }, new[] { "moby_runtime", "uri" }, new[] { "connect", "management_uri" } })
            {
                string? value = document.ScalarValue(setting);
                if (value == null) continue;
                if (value.StartsWith("npipe:", StringComparison.OrdinalIgnoreCase) || value.IndexOf(":/ProgramData", StringComparison.OrdinalIgnoreCase) >= 0
                    || (value.Length > 2 && value[1] == ':' && (value[2] == '\\' || value[2] == '/'))) return true;
            }

            return false;
        }
    }
}
