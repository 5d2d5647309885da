using System;
using System.Collections.Generic;
using System.Security;
using IoTEdgeTroubleshoot.Commands;
using IoTEdgeTroubleshoot.Edge.Remote;
using IoTEdgeTroubleshoot.Hub.Cloud;

namespace IoTEdgeTroubleshoot.Cloud
{
    /// <summary>
    /// What the remote parameter sets of the edge commands share (Get-IoTEdgeModuleLog, Restart-IoTEdgeModule and
    /// Export-IoTEdgeSupportBundle -HubName -DeviceId): the connection, the devices gathered from arguments and the
    /// pipeline (each once), and the writing of each device's outcome on the pipeline thread.
    /// </summary>
    internal sealed class RemoteEdge
    {
        /// <summary>The parameter set name of every remote edge command.</summary>
        public const string ParameterSet = "Remote";

        public const int DefaultThrottleLimit = 8;

        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>The devices in the order they came.</summary>
        public List<string> Devices { get; } = new List<string>();

        public void Add(IEnumerable<string> deviceIds)
        {
            foreach (var id in deviceIds)
            {
                if (!string.IsNullOrEmpty(id) && _seen.Add(id)) Devices.Add(id);
            }
        }

        /// <summary>A time from the command line is local time unless it says otherwise.</summary>
        public static DateTimeOffset? ToUtc(DateTime? time) => time == null ? (DateTimeOffset?)null : AzureParameters.ToUtc(time.Value);

        public static EdgeAgentConnection Connection(string hubName, SecureString? connectionString, Uri? hubEndpoint, AzureEnvironment environment, string? tenantId, SecureString? accessToken) =>
            new EdgeAgentConnection
            {
                HubName = hubName,
                ConnectionString = connectionString,
                HubEndpoint = hubEndpoint,
                Settings = AzureParameters.Settings(environment, tenantId, accessToken, null, null),
            };

        /// <summary>
        /// One device's outcome, on the pipeline thread: what was said while it ran, then its objects, or its error
        /// record (its own ErrorId, the device as target): one device's failure never stops the others.
        /// </summary>
        public static void Write<T>(TroubleshootCmdlet cmdlet, DeviceOutcome<T> outcome, Action<T> write)
        {
            foreach (var line in outcome.Verbose) cmdlet.WriteVerbose(line);
            foreach (var problem in outcome.Problems) cmdlet.WriteError(TroubleshootCmdlet.ErrorRecordFor(problem));
            foreach (var result in outcome.Results) write(result);
            foreach (var warning in outcome.Warnings) cmdlet.WriteWarning(warning);
            if (outcome.Failure != null) cmdlet.WriteError(TroubleshootCmdlet.ErrorRecordFor(outcome.Failure));
        }
    }
}
