using System;
using System.Linq;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Cloud;
using IoTEdgeTroubleshoot.Hub.Cloud;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>The hub's connectedDeviceCount metric (the guide's alert signal), drops flagged; pipes into Get-IoTHubDisconnectDiagnosis -Metric.</summary>
    [Cmdlet(VerbsCommon.Get, "IoTHubConnectedDeviceMetric")]
    [OutputType(typeof(ConnectedDeviceMetricPoint))]
    public sealed class GetIoTHubConnectedDeviceMetricCommand : AzureCommandBase
    {
        private static readonly TimeSpan[] Intervals = { TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromDays(1) };

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ResourceId { get; set; } = string.Empty;

        /// <summary>Default: 24 hours before -EndTime.</summary>
        [Parameter]
        public DateTime StartTime { get; set; }

        /// <summary>Default: now.</summary>
        [Parameter]
        public DateTime EndTime { get; set; }

        [Parameter]
        public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

        [Parameter]
        [ValidateRange(0.1, 100.0)]
        public double DropThreshold { get; set; } = 5;

        protected override void ProcessRecord()
        {
            if (!Intervals.Contains(Interval))
            {
                ThrowTerminatingError(ErrorRecordFor(new Problem(ErrorIds.InvalidMetricInterval, ProblemKind.InvalidArgument, Interval,
                    $"-Interval {Interval} is not a grain the metric has: 1, 5, 15 or 30 minutes, 1, 6 or 12 hours, or 1 day.")));
            }

            var (start, end) = AzureParameters.Range(MyInvocation.BoundParameters, StartTime, EndTime);
            if (AzureParameters.ReversedRange(start, end) is Problem reversed) ThrowTerminatingError(ErrorRecordFor(reversed));

            var request = new ConnectedDeviceMetricRequest { ResourceId = ResourceId, StartTime = start, EndTime = end, Interval = Interval, DropThreshold = DropThreshold };
            Invoke(() =>
            {
                foreach (var point in request.Run(AzureSettings(), Reporter, CancellationToken)) WriteObject(point);
            });
        }
    }
}
