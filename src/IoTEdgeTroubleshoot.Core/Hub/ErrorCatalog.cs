using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>
    /// The IoT Hub connection error codes a Connections log can carry, with root cause and
    /// resolution in this module's own words (after the troubleshooting guide's table and the
    /// IoT Hub error codes page). Adding a code is adding one entry.
    /// </summary>
    public static class ErrorCatalog
    {
        public const string ErrorCodesPage = "https://learn.microsoft.com/azure/iot-hub/troubleshoot-error-codes";

        private static readonly IoTHubErrorCodeInfo[] Entries =
        {
            Entry("400027", "ConnectionForcefullyClosedOnNewConnection",
                "The hub closed this connection because a new connection arrived for the same device or module identity. Two clients share one identity, or the device opened a new connection before the hub noticed the old one was gone.",
                "Give every client its own identity, and open a new connection only after the old one has dropped. If it follows network trouble, fix the disconnects first: this error is their side effect.",
                transient: false),
            Entry("401003", "IoTHubUnauthorized",
                "The hub could not authenticate the connection: the SAS token or certificate expired, was signed with a key that has since been rotated, names another hub or device, or the device clock is wrong.",
                "Check that the device uses the current key or certificate and a correct clock. The Azure IoT SDKs renew SAS tokens themselves; over MQTT the renewal closes and reopens the connection (about every 45 to 65 minutes depending on the SDK), so a 401003 followed by a connect within a minute is expected and alerts should ignore it.",
                transient: false),
            Entry("403002", "IoTHubQuotaExceeded",
                "The hub used up its daily message quota; further device-to-cloud messages are refused until the quota resets at 00:00 UTC.",
                "Wait for the daily reset, or raise the quota: add units or move to a larger tier. Check which devices send more than expected.",
                transient: false),
            Entry("403004", "DeviceMaximumQueueDepthExceeded",
                "The device's cloud-to-device queue is full (50 messages): the device does not complete, reject or abandon the messages it receives.",
                "Make the device settle each cloud-to-device message (complete, reject or abandon), or purge the queue; send fewer messages to an offline device.",
                transient: false),
            Entry("403006", "DeviceMaximumActiveFileUploadLimitExceeded",
                "The device has more concurrent file uploads open than the hub allows (10): it does not notify the hub when an upload finishes.",
                "Send the file upload completion notification after every upload, and wait for the SAS URIs of abandoned uploads to expire (1 hour by default).",
                transient: false),
            Entry("404001", "DeviceNotFound",
                "The device is not registered in this hub's identity registry (device IDs are case-sensitive), or the request went to another hub.",
                "Register the device, or correct the device ID and the hub host name in its connection string. Check in the portal (IoT devices) or with az iot hub device-identity show that the device exists and is Enabled.",
                transient: false),
            Entry("404103", "DeviceNotOnline",
                "A direct method call or similar request was made to a device that is not connected.",
                "Make sure the device is connected and subscribed to direct methods before calling it, or retry after it connects.",
                transient: true),
            Entry("404104", "DeviceConnectionClosedRemotely",
                "The device closed the connection and the hub does not know why: MQTT or AMQP keep-alive timeout after a network loss, a TCP reset without an MQTT DISCONNECT, the device app crashed, or the SAS token renewal of an MQTT client.",
                "Test that the device can reach the hub (outbound 8883 for MQTT, 5671 for AMQP, 443 for WebSockets and HTTPS). If it connects but drops now and then, implement keep-alive correctly for its protocol and use a current SDK. Drops at a steady period (about every 45 to 65 minutes) are the SAS token renewal of an MQTT client; drops on many devices at once point at the hub (see 500001).",
                transient: true,
                anchor: "404104-deviceconnectionclosedremotely"),
            Entry("409001", "DeviceAlreadyExists",
                "A device with this ID already exists in the hub's identity registry.",
                "Use another device ID, or update the existing device instead of creating it.",
                transient: false),
            Entry("409002", "LinkCreationConflict",
                "A second connection arrived for a device that still had one, and the hub closed the older connection. Usually the device noticed a drop and reconnected before the hub saw the drop: a side effect of another, often transient, problem.",
                "Look at the other errors of the same devices and troubleshoot those. Otherwise make sure the device opens a new connection only when the old one has dropped, and that no two clients use one identity.",
                transient: true),
            Entry("412002", "DeviceMessageLockLost",
                "The device tried to complete, reject or abandon a cloud-to-device message after its lock had expired (or after reconnecting while it held the message).",
                "Settle cloud-to-device messages within the lock timeout (1 minute by default), and expect redelivery after a reconnect.",
                transient: false),
            Entry("429001", "ThrottlingException",
                "The hub's throttling limits for this operation were exceeded.",
                "Slow the devices down with back-off and jitter on retries; spread reconnects after an outage; add units or a larger tier if the load is normal.",
                transient: true),
            Entry("429002", "ThrottlingMaxActiveJobCountExceeded",
                "Too many jobs are active on the hub at once.",
                "Wait for running jobs to finish or cancel some before starting new ones.",
                transient: true),
            Entry("429003", "ThrottlingBacklogTimeout",
                "Requests waited in the throttling backlog longer than the hub allows.",
                "Reduce the request rate and retry with back-off; add units if the load is expected.",
                transient: true),
            Entry("500001", "ServerError",
                "The hub had a server-side problem, most likely a transient fault on the node the device reached.",
                "Retry from the device (current Azure IoT SDKs do it with back-off). If it persists after retries, check the hub's Resource Health and Azure status; if neither shows a problem and it goes on, contact Azure support.",
                transient: true),
            Entry("500008", "GenericTimeout",
                "The hub could not complete the connection request before timing out; like 500001, usually transient.",
                "Handle it as 500001 ServerError: retry, then check Resource Health and Azure status, then contact support.",
                transient: true),
            Entry("503003", "PartitionNotFound",
                "The hub's service was briefly unavailable, usually during maintenance or a failover.",
                "Retry with back-off; if it persists, check Resource Health and Azure status.",
                transient: true),
            Entry("504101", "GatewayTimeout",
                "The hub timed out waiting for the device to answer a direct method or twin request.",
                "Make sure the device handles the request and answers within the timeout, or raise the timeout of the call.",
                transient: true),
        };

        private static readonly Dictionary<string, IoTHubErrorCodeInfo> ByCode =
            Entries.ToDictionary(e => e.ResultType, StringComparer.Ordinal);

        /// <summary>Every code the catalog knows, in code order.</summary>
        public static IReadOnlyList<IoTHubErrorCodeInfo> All => Entries;

        public static bool TryGet(string resultType, out IoTHubErrorCodeInfo info) =>
            ByCode.TryGetValue(resultType ?? string.Empty, out info!);

        /// <summary>
        /// The catalog entry for a code; for a code it does not know, an entry built from the
        /// hub's own description (and the family of the code, for 5xx), never an error.
        /// </summary>
        public static IoTHubErrorCodeInfo Lookup(string resultType, string? hubDescription)
        {
            if (TryGet(resultType, out var known)) return known;
            string name = string.IsNullOrWhiteSpace(hubDescription) ? "Unknown" : hubDescription!.Trim();
            if (resultType.Length == 6 && resultType[0] == '5')
            {
                return new IoTHubErrorCodeInfo(resultType, name,
                    $"The hub reported an internal error ({name}). Errors of the 5xxxxx family are server-side and usually transient.",
                    "Retry from the device; if it persists, check the hub's Resource Health and Azure status, then contact Azure support.",
                    true, ErrorCodesPage, isKnown: false);
            }

            return new IoTHubErrorCodeInfo(resultType, name,
                $"This module's catalog has no entry for {resultType}; the hub describes it as '{name}'.",
                "Look the code up on the IoT Hub error codes page, and check the ErrorMessage of the events.",
                null, ErrorCodesPage, isKnown: false);
        }

        private static IoTHubErrorCodeInfo Entry(string code, string name, string rootCause, string resolution, bool transient, string? anchor = null) =>
            new IoTHubErrorCodeInfo(code, name, rootCause, resolution, transient,
                ErrorCodesPage + "#" + (anchor ?? (code + "-" + name.ToLowerInvariant())));
    }
}
