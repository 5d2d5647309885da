using System;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Hub.Cloud;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>The guide's alert: a metric alert rule that fires when the hub's connectedDeviceCount Minimum falls below a threshold.</summary>
    [Cmdlet(VerbsCommon.New, "IoTHubConnectedDeviceAlert", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ConnectedDeviceAlertInfo))]
    public sealed class NewIoTHubConnectedDeviceAlertCommand : AzureCommandBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ResourceId { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1)]
        [ValidateRange(0.0, double.MaxValue)]
        public double Threshold { get; set; }

        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string[] ActionGroupId { get; set; } = Array.Empty<string>();

        [Parameter]
        [ValidateRange(0, 4)]
        public int Severity { get; set; } = 2;

        [Parameter]
        public TimeSpan WindowSize { get; set; } = TimeSpan.FromMinutes(15);

        [Parameter]
        public TimeSpan Frequency { get; set; } = TimeSpan.FromMinutes(5);

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        protected override void ProcessRecord()
        {
            var request = new ConnectedDeviceAlertRequest
            {
                ResourceId = ResourceId,
                Threshold = Threshold,
                ActionGroupId = ActionGroupId,
                Severity = Severity,
                WindowSize = WindowSize,
                Frequency = Frequency,
                Name = Name,
            };
            Invoke(() =>
            {
                var created = request.Create(AzureSettings(), ShouldProcess, Reporter, CancellationToken);
                if (created != null) WriteObject(created);
            });
        }
    }
}
