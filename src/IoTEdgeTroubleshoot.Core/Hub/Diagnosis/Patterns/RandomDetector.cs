using System;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis.Patterns
{
    /// <summary>
    /// 404104 symptom 2: one device disconnects at irregular times (cause 2): it lost the network for
    /// longer than its keep-alive, the TCP connection was reset without an MQTT DISCONNECT (often an
    /// old SDK), or the device application crashed.
    /// </summary>
    internal sealed class RandomDetector : IDevicePatternDetector
    {
        public DisconnectPattern Pattern => DisconnectPattern.Random;

        public IoTHubDisconnectDiagnosis? Detect(DeviceEvidence evidence)
        {
            int drops = evidence.DropCount;
            if (drops < DiagnosisThresholds.MinimumDrops) return null; // two drops say nothing about a pattern
            var periodicity = evidence.Periodicity;
            if (periodicity != null && periodicity.IsPeriodic) return null;
            if (evidence.Conflicts.Count >= DiagnosisThresholds.MinimumConflicts && evidence.Conflicts.Count >= drops) return null; // DuplicateIdentity explains these

            double variation = Stats.CoefficientOfVariation(evidence.Intervals);
            double? reconnect = evidence.MedianReconnectSeconds;
            var longest = evidence.LongestReconnect;
            var sdk = SdkProfile.Of(evidence.Timeline.SdkVersion);

            var d = evidence.NewDiagnosis(Pattern);
            d.FirstSeen = new DateTimeOffset(evidence.FirstDropTicks, TimeSpan.Zero);
            d.LastSeen = new DateTimeOffset(evidence.LastDropTicks, TimeSpan.Zero);
            d.DisconnectCount = drops;
            d.MedianIntervalMinutes = Stats.Median(evidence.Intervals) is double m ? Stats.Round(m) : (double?)null;
            d.MedianReconnectSeconds = reconnect.HasValue ? Stats.Round(reconnect.Value) : (double?)null;
            d.Confidence = drops >= DiagnosisThresholds.RandomHighConfidenceDrops && variation >= 0.3 ? DiagnosisConfidence.High : DiagnosisConfidence.Medium;
            d.HelpUri = HelpLinks.DeviceConnectionClosedRemotely;
            d.Evidence = $"{drops} disconnects at irregular intervals (median {Stats.Duration(TimeSpan.FromMinutes(d.MedianIntervalMinutes ?? 0))}, variation {Math.Round(variation * 100)}%)"
                + (reconnect.HasValue ? $"; reconnected after a median {Stats.Duration(TimeSpan.FromSeconds(reconnect.Value))} (longest {Stats.Duration(longest)})" : "; no connects in the input to time reconnects")
                + (evidence.Timeline.Protocol != null ? $"; {evidence.Timeline.Protocol}" : string.Empty)
                + (sdk != null ? $"; {sdk.Name} SDK, keep-alive {sdk.KeepAliveSeconds} s (the hub closes after {sdk.KeepAliveSeconds * 3 / 2} s of silence)" : string.Empty)
                + ".";
            d.Cause = "The device drops at irregular times and the hub only sees the connection close (the 404104 guide's cause 2): the device lost its network for longer than the keep-alive, its TCP connection was reset without an MQTT DISCONNECT (a bug of older SDKs), or the device application crashed.";
            d.Solution = "Test the device's connectivity to the hub, and use a current version of the Azure IoT SDK. On an unreliable network do not raise the keep-alive: a longer keep-alive only makes Azure Monitor notice the drop later. Check the device's own logs for crashes at the times in FirstSeen/LastSeen.";
            return d;
        }
    }
}
