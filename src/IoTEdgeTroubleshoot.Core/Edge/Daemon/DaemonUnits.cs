using System.Collections.Generic;
using IoTEdgeTroubleshoot.Edge.Config;

namespace IoTEdgeTroubleshoot.Edge.Daemon
{
    /// <summary>
    /// The services each IoT Edge generation runs, by their systemd unit names: 1.0/1.1 has one daemon
    /// (iotedge, whose process is iotedged); 1.2+ has aziot-edged and the four identity services that
    /// 'iotedge system logs|status|restart' cover, in that command's order.
    /// </summary>
    public static class DaemonUnits
    {
        public const string V11Daemon = "iotedge";
        public const string V12Daemon = "aziot-edged";

        /// <summary>The Windows service of IoT Edge 1.0/1.1 (1.2+ runs on Windows only inside EFLOW's Linux VM).</summary>
        public const string WindowsService = "iotedge";

        private static readonly string[] V11 = { V11Daemon };
        private static readonly string[] V12 = { V12Daemon, "aziot-identityd", "aziot-keyd", "aziot-certd", "aziot-tpmd" };

        // The identity services start on the first request to their socket: inactive with a listening socket is normal.
        private static readonly string[] SocketActivated = { "aziot-identityd", "aziot-keyd", "aziot-certd", "aziot-tpmd" };

        public static IReadOnlyList<string> For(EdgeGeneration generation) => generation == EdgeGeneration.V1_1 ? V11 : V12;

        /// <summary>Whether the service waits for its socket rather than running all the time.</summary>
        public static bool IsSocketActivated(string unit) => System.Array.IndexOf(SocketActivated, unit) >= 0;

        /// <summary>The unit of the daemon that runs the modules.</summary>
        public static string DaemonFor(EdgeGeneration generation) => generation == EdgeGeneration.V1_1 ? V11Daemon : V12Daemon;
    }
}
