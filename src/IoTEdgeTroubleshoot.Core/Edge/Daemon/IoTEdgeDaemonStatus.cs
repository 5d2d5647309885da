using System;

namespace IoTEdgeTroubleshoot.Edge.Daemon
{
    /// <summary>What a daemon's state means for the device, so that a normal state never alarms anyone.</summary>
    public enum DaemonHealth
    {
        /// <summary>Running, or idle the way it is meant to be (a socket-activated service waiting for its first request).</summary>
        Ok,

        /// <summary>Running or starting, but it failed before (automatic restarts), or it is between states.</summary>
        Warning,

        /// <summary>Stopped or failed where it should run: the device cannot work like this.</summary>
        Error,

        /// <summary>The service is not installed on this machine.</summary>
        NotInstalled,
    }

    /// <summary>One IoT Edge service as the service manager sees it (systemd on Linux, the service control manager on Windows).</summary>
    public sealed class IoTEdgeDaemonStatus
    {
        public IoTEdgeDaemonStatus(string name, string generation, string loadState, string state, string? subState, int? processId,
            DateTimeOffset? since, int? restarts, string? socket, DaemonHealth health, string note)
        {
            Name = name;
            Generation = generation;
            LoadState = loadState;
            State = state;
            SubState = subState;
            ProcessId = processId;
            Since = since;
            Restarts = restarts;
            Socket = socket;
            Health = health;
            Note = note;
        }

        /// <summary>The service: iotedge (1.0/1.1), aziot-edged and aziot-identityd, -keyd, -certd, -tpmd (1.2+).</summary>
        public string Name { get; }

        /// <summary>The IoT Edge generation the service belongs to: "1.0/1.1" or "1.2+".</summary>
        public string Generation { get; }

        /// <summary>systemd's LoadState: loaded, not-found (not installed), masked ...; on Windows, loaded or not-found.</summary>
        public string LoadState { get; }

        /// <summary>active, inactive, failed, activating, deactivating, reloading (systemd's ActiveState; Windows states are mapped to them).</summary>
        public string State { get; }

        /// <summary>systemd's SubState (running, dead, auto-restart, listening ...); on Windows, the service state (RUNNING, STOP_PENDING ...).</summary>
        public string? SubState { get; }

        /// <summary>The main process, or null when none runs.</summary>
        public int? ProcessId { get; }

        /// <summary>When it entered its current state (systemctl status "since"); null when unknown.</summary>
        public DateTimeOffset? Since { get; }

        /// <summary>How often systemd restarted it automatically after a failure; null where not known (Windows, systemd before 235).</summary>
        public int? Restarts { get; }

        /// <summary>The socket that starts it on demand and that socket's state ("aziot-keyd.socket listening"), for socket-activated services.</summary>
        public string? Socket { get; }

        public DaemonHealth Health { get; }

        /// <summary>What the state means and what to do.</summary>
        public string Note { get; }

        public override string ToString() => $"{Name}: {State}{(SubState == null ? string.Empty : " (" + SubState + ")")}";
    }
}
