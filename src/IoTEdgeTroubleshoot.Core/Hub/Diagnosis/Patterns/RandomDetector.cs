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
            // As frequent as Periodic on a fleet: its text is written in one buffer (see EvidenceText).
            var text = EvidenceText.Start().Append(drops).Append(" disconnects at irregular intervals (median ");
            Stats.AppendDuration(text, TimeSpan.FromMinutes(d.MedianIntervalMinutes ?? 0)).Append(", variation ").Append(Math.Round(variation * 100)).Append("%)");
            if (reconnect.HasValue)
            {
                Stats.AppendDuration(text.Append("; reconnected after a median "), TimeSpan.FromSeconds(reconnect.Value));
                Stats.AppendDuration(text.Append(" (longest "), longest).Append(')');
            }
            else
            {
                text.Append("; no connects in the input to time reconnects");
            }

            if (evidence.Timeline.Protocol != null) text.Append("; ").Append(evidence.Timeline.Protocol);
            if (sdk != null) text.Append("; ").Append(sdk.Name).Append(" SDK, keep-alive ").Append(sdk.KeepAliveSeconds).Append(" s (the hub closes after ").Append(sdk.KeepAliveSeconds * 3 / 2).Append(" s of silence)");
            d.Evidence = text.Append('.').ToString();
            d.Cause = "The device drops at irregular times and the hub only sees the connection close (the 404104 guide's cause 2): the device lost its network for longer than the keep-alive, its TCP connection was reset without an MQTT DISCONNECT (a bug of older SDKs), or the device application crashed.";
            d.Solution = "Test the device's connectivity to the hub, and use a current version of the Azure IoT SDK. On an unreliable network do not raise the keep-alive: a longer keep-alive only makes Azure Monitor notice the drop later. Check the device's own logs for crashes at the times in FirstSeen/LastSeen.";
            return d;
        }
    }
}
