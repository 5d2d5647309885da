using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks
{
    /// <summary>
    /// aziotctl check's host-local-time: this machine's clock against an SNTP server (DeviceCheckContext.TimeServer).
    /// An unreachable server is a Warning, as in aziotctl: the clock may be right, it could not be compared.
    /// </summary>
    public sealed class HostLocalTimeCheck : IDeviceCheck
    {
        public const string CheckId = "host-local-time";

        private const string Fix = "Synchronise the clock: on Linux, timedatectl status, then timedatectl set-ntp true (or install chrony); on Windows, w32tm /resync. Then restart IoT Edge so that it makes new tokens and certificates.";

        public string Id => CheckId;

        public string Description => "host time is close to reference time";

        public DeviceCheckCategory Category => DeviceCheckCategory.Connectivity;

        public async Task<IReadOnlyList<IoTEdgeCheckResult>> RunAsync(DeviceCheckContext context, CancellationToken cancellationToken)
        {
            TimeSpan offset;
            try
            {
                offset = await SntpClient.QueryOffsetAsync(context.TimeServer, context.UtcNow, context.Timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (SntpException ex)
            {
                return this.One(CheckStatus.Warning, $"Could not query the time server '{context.TimeServer}': {ex.Message}, so the clock was not compared.",
                    remedy: ex.Unreachable
                        ? "Allow outbound UDP 123 to the time server, or give a reachable one (an NTP server on your network) as the time server."
                        : "Give another time server.");
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException || ex is ObjectDisposedException)
            {
                return this.One(CheckStatus.Warning, $"Could not query the time server '{context.TimeServer}': {ex.Message}, so the clock was not compared.");
            }

            string direction = offset >= TimeSpan.Zero ? "behind" : "ahead of";
            var size = offset.Duration();
            string said = $"This device's clock is {Describe(size)} {direction} the time server '{context.TimeServer}'";
            if (size >= DeviceCheckThresholds.ClockOffsetError)
            {
                return this.One(CheckStatus.Error, said + ": SAS tokens and certificates it makes are expired or not yet valid elsewhere, so connections to IoT Hub fail.", remedy: Fix, remedyCommand: "Restart-IoTEdgeDaemon");
            }

            if (size >= DeviceCheckThresholds.ClockOffsetWarning)
            {
                return this.One(CheckStatus.Warning, said + $" (from {DeviceCheckThresholds.ClockOffsetWarning.TotalSeconds:0} s, aziotctl check warns): this may cause problems connecting to IoT Hub.", remedy: Fix, remedyCommand: "Restart-IoTEdgeDaemon");
            }

            return this.One(CheckStatus.Pass, said + ".");
        }

        internal static string Describe(TimeSpan size) => size.TotalHours >= 48
            ? string.Format(CultureInfo.InvariantCulture, "{0:0.#} days", size.TotalDays)
            : size.TotalMinutes >= 120
                ? string.Format(CultureInfo.InvariantCulture, "{0:0.#} hours", size.TotalHours)
                : size.TotalSeconds >= 120
                    ? string.Format(CultureInfo.InvariantCulture, "{0:0.#} minutes", size.TotalMinutes)
                    : string.Format(CultureInfo.InvariantCulture, "{0:0.###} s", size.TotalSeconds);
    }
}
