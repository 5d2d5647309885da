using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using IoTEdgeTroubleshoot.Cloud;
using IoTEdgeTroubleshoot.Hub.Cloud;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The guide's last check: is the device Enabled in the hub's registry? DeviceId and HubName bind from
    /// piped events; each device is asked for once per run however many events name it.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "IoTHubDeviceStatus", DefaultParameterSetName = AzureAdSet)]
    [OutputType(typeof(IoTHubDeviceStatus))]
    public sealed class GetIoTHubDeviceStatusCommand : AzureCommandBase
    {
        private const string AzureAdSet = "AzureAD";
        private const string ConnectionStringSet = "ConnectionString";
        private readonly HashSet<string> _asked = new HashSet<string>(StringComparer.Ordinal);

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = AzureAdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string HubName { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] DeviceId { get; set; } = Array.Empty<string>();

        /// <summary>A shared access policy's connection string (registryRead) instead of Azure AD.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ConnectionStringSet)]
        [SecureStringTransformation]
        [ValidateNotNull]
        public SecureString? ConnectionString { get; set; }

        /// <summary>Another address for the hub's REST API (a private endpoint's name).</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? HubEndpoint { get; set; }

        protected override void ProcessRecord()
        {
            var request = new DeviceStatusRequest { HubName = HubName, ConnectionString = ConnectionString, HubEndpoint = HubEndpoint };
            var settings = AzureSettings();
            foreach (var id in DeviceId)
            {
                if (!_asked.Add(HubName + "/" + id)) continue;
                Invoke(() =>
                {
                    try
                    {
                        WriteObject(request.Get(id, settings, Reporter, CancellationToken));
                    }
                    catch (TroubleshootException ex) when (ex.ErrorId == ErrorIds.DeviceNotFound || ex.ErrorId == ErrorIds.InvalidAzureName)
                    {
                        WriteError(ErrorRecordFor(ex)); // one unknown or unusable device id does not stop the others
                    }
                });
            }
        }
    }
}
