using System;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis.Patterns
{
    /// <summary>The device's last event is a disconnect, and it stayed away long enough to matter.</summary>
    internal sealed class NeverReconnectedDetector : IDevicePatternDetector
    {
        public DisconnectPattern Pattern => DisconnectPattern.NeverReconnected;

        public IoTHubDisconnectDiagnosis? Detect(DeviceEvidence evidence)
        {
            // With errors only (no connect in the whole input), every device's last event is an error.
            if (!evidence.InputHasConnects) return null;

            // A connection closed by a newer one of the same identity (409002/400027) leaves the device
            // connected: look at the last event that is not such a takeover.
            var all = evidence.All;
            int index = all.Count - 1;
            while (index >= 0 && (all[index].Code == DeviceEvidence.LinkCreationConflict || all[index].Code == DeviceEvidence.ForcefullyClosedOnNewConnection)) index--;
            if (index < 0 || !all[index].IsDisconnect) return null;
            var last = all[index];

            // Silence must be longer than this device usually takes to come back, or it may just be late.
            var usual = evidence.LongestReconnect;
            var silence = evidence.DataEnd - last.Time;
            var needed = usual.Ticks * 3 > DiagnosisThresholds.MinimumSilence.Ticks ? TimeSpan.FromTicks(usual.Ticks * 3) : DiagnosisThresholds.MinimumSilence;
            if (silence < needed) return null;

            var d = evidence.NewDiagnosis(Pattern);
            d.FirstSeen = d.LastSeen = last.Time;
            d.DisconnectCount = 1;
            d.Confidence = silence >= DiagnosisThresholds.LongSilence ? DiagnosisConfidence.High : DiagnosisConfidence.Medium;
            d.HelpUri = HelpLinks.DeviceConnectionClosedRemotely;
            string how = last.Kind == EntryKind.ErrorDisconnect ? $"with {last.Code:D6}" : "cleanly (no error)";
            d.Evidence = $"Last event: a disconnect {how} at {last.Time:yyyy-MM-dd HH:mm:ss} UTC; no connect in the {Stats.Duration(silence)} of logs after it.";
            d.Cause = last.Kind == EntryKind.ErrorDisconnect
                ? "The device lost its connection and has not reconnected: it is offline, has no network, or its application stopped retrying or crashed."
                : "The device closed its connection itself and has not reconnected: it was shut down, its application stopped, or it was taken out of service.";
            d.Solution = "Check that the device is powered and has network, and look at its application and its logs around the time in LastSeen. If it is meant to be gone, disable or delete its identity so it stops counting as a device.";
            return d;
        }
    }
}
