using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.Config;

namespace IoTEdgeTroubleshoot.Edge.Daemon
{
    /// <summary>
    /// Turns the service manager's view of one unit into an <see cref="IoTEdgeDaemonStatus"/> whose Health says
    /// whether the state is a problem. The identity services (aziot-keyd, -certd, -identityd, -tpmd) are
    /// socket-activated: inactive with a listening socket is how they wait, not a fault.
    /// </summary>
    public static class DaemonStatusRules
    {
        /// <summary>
        /// The status of <paramref name="unit"/> (a service, with or without ".service") from the blocks of one
        /// 'systemctl show' answer, which also holds its socket's block when it has one.
        /// </summary>
        public static IoTEdgeDaemonStatus FromSystemd(string unit, EdgeGeneration generation, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> unitsById)
        {
            string name = ServiceName(unit);
            unitsById.TryGetValue(name + ".service", out var properties);
            properties ??= new Dictionary<string, string>();
            string Value(string key) => properties.TryGetValue(key, out var v) ? v : string.Empty;

            string loadState = Value("LoadState").Length == 0 ? "not-found" : Value("LoadState");
            string state = Value("ActiveState").Length == 0 ? "inactive" : Value("ActiveState");
            string? subState = TextOrNull(Value("SubState"));
            int? pid = int.TryParse(Value("MainPID"), NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p > 0 ? p : (int?)null;
            int? restarts = int.TryParse(Value("NRestarts"), NumberStyles.None, CultureInfo.InvariantCulture, out int r) ? r : (int?)null;
            var since = SystemctlShow.ParseTimestamp(Value("StateChangeTimestamp"))
                ?? (state == "active" ? SystemctlShow.ParseTimestamp(Value("ActiveEnterTimestamp")) ?? SystemctlShow.ParseTimestamp(Value("ExecMainStartTimestamp")) : null);

            string? socketId = SocketOf(name, Value("TriggeredBy"), unitsById);
            string? socketState = null;
            bool listening = false;
            if (socketId != null && unitsById.TryGetValue(socketId, out var socket))
            {
                string socketActive = socket.TryGetValue("ActiveState", out var a) ? a : string.Empty;
                string socketSub = socket.TryGetValue("SubState", out var s) ? s : string.Empty;
                bool socketLoaded = !socket.TryGetValue("LoadState", out var l) || l == "loaded";
                if (socketLoaded)
                {
                    listening = socketActive == "active";
                    socketState = $"{socketId} {(socketSub.Length > 0 ? socketSub : socketActive)}";
                }
            }

            var (health, note) = Assess(name, loadState, state, subState, restarts, TextOrNull(Value("Result")), socketState, listening);
            return new IoTEdgeDaemonStatus(name, generation.Name(), loadState, state, subState, pid, since, restarts, socketState, health, note);
        }

        /// <summary>What a state means: the health and a note that says what to do.</summary>
        internal static (DaemonHealth Health, string Note) Assess(string name, string loadState, string state, string? subState, int? restarts, string? result, string? socket, bool listening)
        {
            string again = restarts > 0 ? $" systemd restarted it {Times(restarts.Value)} after failures." : string.Empty;
            if (loadState == "not-found") return (DaemonHealth.NotInstalled, $"Not installed: the service manager has no {name} service.");
            if (loadState == "masked") return (DaemonHealth.Error, $"Masked: it cannot start. Unmask it (sudo systemctl unmask {name}) if that was not meant.");
            if (loadState != "loaded") return (DaemonHealth.Error, $"Its unit file did not load ({loadState}): 'systemctl status {name}' says why.");

            switch (state)
            {
                case "active":
                case "reloading":
                    return restarts > 0
                        ? (DaemonHealth.Warning, $"Running now, but{again} Read why with Get-IoTEdgeDaemonLog.")
                        : (DaemonHealth.Ok, "Running.");
                case "inactive" when listening && DaemonUnits.IsSocketActivated(name):
                    return (DaemonHealth.Ok, $"Idle, as it should be: socket-activated, it starts on the first request to its socket ({socket}).");
                case "inactive":
                    return (DaemonHealth.Error, socket != null && DaemonUnits.IsSocketActivated(name)
                        ? $"Stopped, and its socket is not listening ({socket}): nothing can reach it. Restart the IoT Edge services (Restart-IoTEdgeDaemon).{again}"
                        : $"Stopped: IoT Edge does not run. Start it with Restart-IoTEdgeDaemon.{again}");
                case "failed":
                    return (DaemonHealth.Error, $"Failed{(result == null || result == "success" ? string.Empty : " (" + result + ")")}.{again} Read why with Get-IoTEdgeDaemonLog, fix it, then Restart-IoTEdgeDaemon.");
                case "activating" when subState == "auto-restart":
                    return (DaemonHealth.Warning, $"Waiting to be restarted after a failure.{again} Read why with Get-IoTEdgeDaemonLog.");
                case "activating":
                    return (DaemonHealth.Warning, "Starting." + again);
                case "deactivating":
                    return (DaemonHealth.Warning, "Stopping." + again);
                default:
                    return (DaemonHealth.Warning, $"In state '{state}': 'systemctl status {name}' tells more.");
            }
        }

        /// <summary>A Windows service's state (from 'sc queryex') as a status; null state means not installed.</summary>
        public static IoTEdgeDaemonStatus FromWindows(string name, WindowsServiceState? service)
        {
            string generation = EdgeGeneration.V1_1.Name(); // on Windows only 1.0/1.1 run natively (1.2+ runs in EFLOW's Linux VM)
            if (service == null)
            {
                return new IoTEdgeDaemonStatus(name, generation, "not-found", "inactive", null, null, null, null, null, DaemonHealth.NotInstalled,
                    $"Not installed: there is no '{name}' service. IoT Edge 1.2 and later run on Windows inside EFLOW: ask its VM (Invoke-EflowVmCommand 'sudo iotedge system status').");
            }

            string state = service.State switch
            {
                "RUNNING" => "active",
                "STOPPED" => "inactive",
                "START_PENDING" or "CONTINUE_PENDING" => "activating",
                "STOP_PENDING" or "PAUSE_PENDING" => "deactivating",
                _ => service.State.ToLowerInvariant(),
            };
            var (health, note) = Assess(name, "loaded", state, null, null, null, null, false);
            return new IoTEdgeDaemonStatus(name, generation, "loaded", state, service.State, service.ProcessId, null, null, null, health, note);
        }

        /// <summary>aziot-keyd.service → aziot-keyd.</summary>
        public static string ServiceName(string unit) => unit.EndsWith(".service", StringComparison.Ordinal) ? unit.Substring(0, unit.Length - ".service".Length) : unit;

        // The socket named by TriggeredBy (systemd 243+), else the one of the same name when the answer has it.
        private static string? SocketOf(string name, string triggeredBy, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> unitsById)
        {
            var named = triggeredBy.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).Where(u => u.EndsWith(".socket", StringComparison.Ordinal)).ToList();
            if (named.Count > 0) return named.FirstOrDefault(unitsById.ContainsKey) ?? named[0];
            string same = name + ".socket";
            return unitsById.ContainsKey(same) ? same : null;
        }

        private static string Times(int count) => count == 1 ? "once" : count.ToString(CultureInfo.InvariantCulture) + " times";

        private static string? TextOrNull(string value) => value.Length == 0 ? null : value;
    }
}
