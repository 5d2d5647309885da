using System;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis.Patterns
{
    /// <summary>
    /// 404104 symptom 1: the device disconnects at a stable period, often with 401003 just before the
    /// 404104 and a connect within a minute after: its SAS token expires and the SDK reconnects with a
    /// new one (cause 1). Expected over MQTT; alerts should ignore a disconnect followed by a quick connect.
    /// </summary>
    internal sealed class PeriodicDetector : IDevicePatternDetector
    {
        public DisconnectPattern Pattern => DisconnectPattern.Periodic;

        public IoTHubDisconnectDiagnosis? Detect(DeviceEvidence evidence)
        {
            var periodicity = evidence.Periodicity;
            if (periodicity == null || !periodicity.IsPeriodic || evidence.DropCount < DiagnosisThresholds.MinimumDrops) return null;

            double period = periodicity.PeriodMinutes;
            double? reconnect = evidence.MedianReconnectSeconds;
            int withUnauthorized = evidence.DropsWithUnauthorized;
            var sdk = SdkProfile.Of(evidence.Timeline.SdkVersion);
            bool amqp = evidence.Timeline.Protocol?.StartsWith("Amqp", StringComparison.OrdinalIgnoreCase) == true;
            bool matchesRenewal = sdk != null ? sdk.Renews(period) : SdkProfile.IsKnownRenewalPeriod(period);
            bool tokenSigns = withUnauthorized >= evidence.DropCount * DiagnosisThresholds.RenewalShareOfDrops || matchesRenewal;
            bool quickReconnect = reconnect.HasValue && reconnect.Value <= DiagnosisThresholds.QuickReconnect.TotalSeconds;

            var confidence = periodicity.SinglePeriodIntervals >= DiagnosisThresholds.HighConfidenceIntervals && tokenSigns && (quickReconnect || !reconnect.HasValue)
                ? DiagnosisConfidence.High
                : periodicity.SinglePeriodIntervals >= 3 ? DiagnosisConfidence.Medium : DiagnosisConfidence.Low;

            var d = evidence.NewDiagnosis(Pattern);
            d.FirstSeen = new DateTimeOffset(evidence.FirstDropTicks, TimeSpan.Zero);
            d.LastSeen = new DateTimeOffset(evidence.LastDropTicks, TimeSpan.Zero);
            d.DisconnectCount = evidence.DropCount;
            d.MedianIntervalMinutes = Stats.Round(period);
            d.MedianReconnectSeconds = reconnect.HasValue ? Stats.Round(reconnect.Value) : (double?)null;
            d.Confidence = confidence;
            d.HelpUri = HelpLinks.IoTHubUnauthorized;
            // The most frequent diagnosis of a fleet: its text is written in one buffer (see EvidenceText).
            var text = EvidenceText.Start()
                .Append(evidence.DropCount).Append(" disconnects every ").Append(Stats.Round(period)).Append(" min ")
                .Append("(spread ").Append(Stats.Round(periodicity.Spread * 100)).Append("%, ")
                .Append(Math.Round(periodicity.OnPeriodShare * 100)).Append("% of intervals on the period)");
            if (withUnauthorized > 0) text.Append(", ").Append(withUnauthorized).Append(" with 401003 IoTHubUnauthorized just before");
            if (reconnect.HasValue) Stats.AppendDuration(text.Append("; reconnected after a median "), TimeSpan.FromSeconds(reconnect.Value));
            else text.Append("; no connects in the input to time reconnects");
            if (sdk != null) text.Append("; the ").Append(sdk.Name).Append(" SDK renews its SAS token over MQTT ").Append(sdk.RenewalText).Append('.');
            else text.Append('.');
            d.Evidence = text.ToString();

            if (amqp)
            {
                d.Cause = "The device disconnects at a stable period over AMQP. AMQP clients renew SAS tokens without disconnecting, so the period points elsewhere: a token the application makes itself without renewal, a NAT or firewall idle timeout, or a scheduled restart.";
                d.Solution = "Check how the application supplies its token (let the SDK renew it), the idle timeouts of NATs and firewalls on the path, and scheduled jobs on the device at that period.";
            }
            else
            {
                d.Cause = "The SAS token the device connects with expires on a fixed period, and the hub closes the connection; the device reconnects with a new token (the 404104 guide's cause 1). Over MQTT the Azure IoT SDKs renew tokens this way.";
                d.Solution = "If each disconnect is followed by a connect within about a minute, this is the SDK's normal token renewal: make alerts ignore a disconnect followed by a connect within a minute. Otherwise follow the 401003 IoTHubUnauthorized guidance: check the token's lifetime and that the device renews it before expiry.";
            }

            return d;
        }
    }
}
