using System;
using System.Collections.Generic;
using System.Management.Automation;
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

        /// <summary>The connection and throttle parameters, the cmdlet's dynamic parameters in the remote set.</summary>
        public RemoteEdgeParameters Parameters { get; } = new RemoteEdgeParameters();

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

    /// <summary>
    /// The parameters every remote edge command has in its remote set, declared once: the commands return this
    /// object from GetDynamicParameters (they cannot share a base class with the Azure commands: their local sets
    /// derive from other bases).
    /// </summary>
    public sealed class RemoteEdgeParameters
    {
        /// <summary>How many devices are asked at once.</summary>
        [Parameter(ParameterSetName = RemoteEdge.ParameterSet)]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = RemoteEdge.DefaultThrottleLimit;

        /// <summary>A shared access policy's connection string (serviceConnect) instead of Azure AD.</summary>
        [Parameter(ParameterSetName = RemoteEdge.ParameterSet)]
        [SecureStringTransformation]
        [ValidateNotNull]
        public SecureString? ConnectionString { get; set; }

        /// <summary>Another address for the hub's REST API (a private endpoint's name).</summary>
        [Parameter(ParameterSetName = RemoteEdge.ParameterSet)]
        [ValidateNotNull]
        public Uri? HubEndpoint { get; set; }

        [Parameter(ParameterSetName = RemoteEdge.ParameterSet)]
        public AzureEnvironment Environment { get; set; } = AzureEnvironment.AzureCloud;

        [Parameter(ParameterSetName = RemoteEdge.ParameterSet)]
        [ValidateNotNullOrEmpty]
        public string? TenantId { get; set; }

        [Parameter(ParameterSetName = RemoteEdge.ParameterSet)]
        [SecureStringTransformation]
        [ValidateNotNull]
        public SecureString? AccessToken { get; set; }

        internal EdgeAgentConnection Connection(string hubName) =>
            new EdgeAgentConnection
            {
                HubName = hubName,
                ConnectionString = ConnectionString,
                HubEndpoint = HubEndpoint,
                Settings = AzureParameters.Settings(Environment, TenantId, AccessToken, null, null),
            };
    }
}
