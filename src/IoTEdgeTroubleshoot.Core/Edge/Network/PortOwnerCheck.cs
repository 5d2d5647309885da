using System;
using System.Collections.Generic;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.Network.Listeners;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Network
{
    /// <summary>
    /// Test-IoTEdgeFirewall -Local: for each port edgeHub publishes on the host (443, 5671, 8883), whether a
    /// process already listens there, which would make Docker fail with "Bind for 0.0.0.0:443 failed: port is
    /// already allocated" (the guide's "IoT Edge hub fails to start"): find that process and stop it.
    /// </summary>
    public static class PortOwnerCheck
    {
        // What publishes a container's port on the host: edgeHub's own mapping when it runs.
        private static readonly string[] ContainerPortProxies = { "docker-proxy", "com.docker.backend", "vpnkit", "wslrelay" };

        /// <summary>Whether a listening process is the container engine's port proxy (a container publishes the port).</summary>
        public static bool IsContainerPortProxy(string? processName) => ContainerPortProxies.Contains(processName, StringComparer.OrdinalIgnoreCase);

        public static IReadOnlyList<IoTEdgePortCheckResult> Run(IEnumerable<int> ports, IListenerTable? table)
        {
            if (table == null)
            {
                throw new TroubleshootException(ErrorIds.ListenerTableUnavailable, ProblemKind.NotImplemented, "-Local",
                    "-Local reads the listening sockets on Linux and Windows only; on this system, run 'lsof -nP -iTCP -sTCP:LISTEN'.");
            }

            IReadOnlyList<TcpListenerEntry> listeners;
            try
            {
                listeners = table.Listeners();
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException || ex is System.ComponentModel.Win32Exception || ex is DllNotFoundException)
            {
                throw new TroubleshootException(ErrorIds.ListenerTableUnavailable, ProblemKind.ReadError, "-Local", $"The listening sockets cannot be read: {ex.Message}", ex);
            }

            var results = new List<IoTEdgePortCheckResult>();
            foreach (int port in ports.Distinct())
            {
                var guidance = PortGuide.For(port);
                var here = listeners.Where(l => l.Port == port).ToList();
                if (here.Count == 0)
                {
                    results.Add(Result(guidance, port, CheckStatus.Pass, $"Nothing listens on port {port}: edgeHub can publish it."));
                    continue;
                }

                // One result per process (a process often listens on 0.0.0.0 and :: both).
                foreach (var owner in here.GroupBy(l => l.ProcessId).Select(g => g.First())) results.Add(Owned(guidance, owner));
            }

            return results;
        }

        private static IoTEdgePortCheckResult Owned(PortGuidance guidance, TcpListenerEntry owner)
        {
            int port = owner.Port;
            string at = $"{owner.LocalAddress}:{port}";
            if (owner.ProcessId == null)
            {
                var hidden = Result(guidance, port, CheckStatus.Error,
                    $"A process of another user listens on {at}; run as root (sudo pwsh) to see which. edgeHub cannot publish port {port} while it does.", owner);
                hidden.Remedy = "Run Test-IoTEdgeFirewall -Local as root to name the process, then stop it (usually a web server on 443).";
                return hidden;
            }

            string name = owner.ProcessName ?? "an unnamed process";
            if (IsContainerPortProxy(owner.ProcessName))
            {
                var mapping = Result(guidance, port, CheckStatus.Warning,
                    $"{name} (pid {owner.ProcessId}) listens on {at}: a container publishes the port. When edgeHub runs, that is edgeHub itself; otherwise another container holds it.", owner);
                mapping.Remedy = $"See which container publishes {port}, and stop it if it is not edgeHub.";
                mapping.RemedyCommand = $"docker ps --filter publish={port}";
                return mapping;
            }

            var result = Result(guidance, port, CheckStatus.Error,
                $"{name} (pid {owner.ProcessId}{(owner.ServiceName == null ? string.Empty : ", service " + owner.ServiceName)}) listens on {at}: edgeHub cannot publish port {port} (Docker fails with 'port is already allocated').", owner);
            result.Remedy = owner.ProcessId == 4
                ? $"PID 4 is the Windows HTTP service (http.sys): 'netsh http show servicestate' names the application that registered port {port}; stop it or move it to another port."
                : $"Stop {name} or move it to another port (on port 443 it is usually a web server), then restart IoT Edge.";
            result.RemedyCommand = owner.ServiceName != null ? $"sudo systemctl disable --now {owner.ServiceName}" : owner.ProcessId == 4 ? "netsh http show servicestate" : $"Stop-Process -Id {owner.ProcessId}";
            return result;
        }

        private static IoTEdgePortCheckResult Result(PortGuidance guidance, int port, CheckStatus status, string message, TcpListenerEntry? owner = null) => new IoTEdgePortCheckResult
        {
            CheckId = guidance.LocalCheckId,
            Description = $"no other process listens on port {port}, which edgeHub publishes on the host",
            Status = status,
            Message = message,
            Port = port,
            LocalAddress = owner?.LocalAddress,
            ProcessId = owner?.ProcessId,
            ProcessName = owner?.ProcessName,
        };
    }
}
