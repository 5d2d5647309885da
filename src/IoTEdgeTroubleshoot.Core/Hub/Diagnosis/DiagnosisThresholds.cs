using System;
using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    /// <summary>One named threshold of the disconnect analysis, with the reason for its value (shown in the help).</summary>
    public sealed class DiagnosisThreshold
    {
        internal DiagnosisThreshold(string name, string value, string reason)
        {
            Name = name;
            Value = value;
            Reason = reason;
        }

        public string Name { get; }

        public string Value { get; }

        public string Reason { get; }

        public override string ToString() => $"{Name} = {Value}: {Reason}";
    }

    /// <summary>
    /// Every number the disconnect detectors decide by, in one place, each with why it has its value.
    /// Get-IoTHubDisconnectDiagnosis's help lists them (a Pester test holds the help to <see cref="All"/>).
    /// </summary>
    public static class DiagnosisThresholds
    {
        // Drops and reconnects
        /// <summary>Error disconnects this close together are one drop (401003 then 404104 a second later).</summary>
        public static readonly TimeSpan DropMergeWindow = TimeSpan.FromSeconds(10);

        /// <summary>A reconnect at most this long after a drop or refusal is the SDK renewing its SAS token.</summary>
        public static readonly TimeSpan QuickReconnect = TimeSpan.FromSeconds(90);

        /// <summary>Fewer drops than this say nothing about a pattern.</summary>
        public const int MinimumDrops = 3;

        // Periodic
        /// <summary>Intervals within this share of the period (or 1.5 min, whichever is larger) are "on the period".</summary>
        public const double PeriodTolerance = 0.04;

        /// <summary>Absolute floor of the period tolerance, in minutes.</summary>
        public const double PeriodToleranceMinutes = 1.5;

        /// <summary>Share of the intervals that must be one to three periods.</summary>
        public const double MinimumOnPeriodShare = 0.8;

        /// <summary>Share of the drops with 401003 just before that marks a token renewal.</summary>
        public const double RenewalShareOfDrops = 0.3;

        /// <summary>Single-period intervals for High confidence (Medium from 3).</summary>
        public const int HighConfidenceIntervals = 5;

        // Random
        /// <summary>Drops for High confidence in Random (with an interval variation of at least 30%).</summary>
        public const int RandomHighConfidenceDrops = 6;

        // Refusals
        /// <summary>401003 refusals (not followed by a quick reconnect) that make AuthenticationFailure.</summary>
        public const int MinimumAuthenticationRefusals = 3;

        /// <summary>404001 refusals (not followed by a quick reconnect) that make DeviceNotFound.</summary>
        public const int MinimumNotFoundRefusals = 2;

        /// <summary>409002/400027 takeovers that make DuplicateIdentity.</summary>
        public const int MinimumConflicts = 3;

        // NeverReconnected
        /// <summary>Shortest silence after a last disconnect that counts (or 3 times the device's longest reconnect).</summary>
        public static readonly TimeSpan MinimumSilence = TimeSpan.FromMinutes(30);

        /// <summary>Silence for High confidence.</summary>
        public static readonly TimeSpan LongSilence = TimeSpan.FromHours(2);

        // HubWide
        /// <summary>Drops within this window are counted together when looking for an incident.</summary>
        public static readonly TimeSpan HubWideWindow = TimeSpan.FromMinutes(5);

        /// <summary>How long after an incident its reconnect errors (500xxx, 409002, 429xxx) still belong to it.</summary>
        public static readonly TimeSpan HubWideAftermath = TimeSpan.FromMinutes(10);

        /// <summary>Fewest devices in a window for an incident.</summary>
        public const int HubWideMinimumDevices = 5;

        /// <summary>Share of the fleet in a window for an incident.</summary>
        public const double HubWideFleetShare = 0.03;

        /// <summary>An incident's window holds at least this many times the usual drops (plus one).</summary>
        public const double HubWideRateFactor = 5;

        // Input limits
        /// <summary>Events kept per device (the newest); the evidence and a warning say when more were left out.</summary>
        public const int MaxEventsPerDevice = 4096;

        /// <summary>Events dated before this are not IoT Hub logs (the service started in 2016): left out with a warning.</summary>
        public static readonly DateTimeOffset EarliestPlausibleTime = new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero);

        /// <summary>Events dated more than this after the clock are left out with a warning.</summary>
        public static readonly TimeSpan LatestPlausibleSkew = TimeSpan.FromDays(1);

        /// <summary>Every threshold, with the reason for its value.</summary>
        public static IReadOnlyList<DiagnosisThreshold> All { get; } = new[]
        {
            new DiagnosisThreshold(nameof(DropMergeWindow), "10 s", "the hub logs 401003 and then 404104 about a second apart for one token expiry; 10 s joins them without joining separate drops"),
            new DiagnosisThreshold(nameof(QuickReconnect), "90 s", "the SDKs reconnect within about a minute after a token renewal; a refusal followed by a connect this soon is a renewal, not a credential failure"),
            new DiagnosisThreshold(nameof(MinimumDrops), "3", "two drops make one interval, which cannot tell a period from chance"),
            new DiagnosisThreshold(nameof(PeriodTolerance), "4%", "SDK renewal jitter is 0.4 to 1.2 min on 45 to 65 min periods, under 2%; 4% leaves room for the hub's logging delay"),
            new DiagnosisThreshold(nameof(PeriodToleranceMinutes), "1.5 min", "on short periods the hub's minute-level logging delay dominates the jitter"),
            new DiagnosisThreshold(nameof(MinimumOnPeriodShare), "0.8", "one stray or one missing drop in five intervals still reads as periodic"),
            new DiagnosisThreshold(nameof(RenewalShareOfDrops), "0.3", "the hub does not log 401003 before every renewal drop; 30% is well above what random drops show"),
            new DiagnosisThreshold(nameof(HighConfidenceIntervals), "5", "five single-period intervals at 4% spread do not happen by chance"),
            new DiagnosisThreshold(nameof(RandomHighConfidenceDrops), "6", "six irregular drops with 30% variation are a pattern, not bad luck"),
            new DiagnosisThreshold(nameof(MinimumAuthenticationRefusals), "3", "an SDK retries a refused connect; three refusals without a quick success mean the credentials fail"),
            new DiagnosisThreshold(nameof(MinimumNotFoundRefusals), "2", "an identity that is missing stays missing: a second refusal confirms it"),
            new DiagnosisThreshold(nameof(MinimumConflicts), "3", "one or two takeovers happen when a device reconnects before the hub saw the drop"),
            new DiagnosisThreshold(nameof(MinimumSilence), "30 min", "longer than any SDK's retry back-off (at most a few minutes) and than a usual reboot"),
            new DiagnosisThreshold(nameof(LongSilence), "2 h", "a device silent for two hours of logs is down, not slow"),
            new DiagnosisThreshold(nameof(HubWideWindow), "5 min", "a hub incident drops its devices within minutes; wider windows fold in the usual drops"),
            new DiagnosisThreshold(nameof(HubWideAftermath), "10 min", "reconnect storms (500xxx, 409002, 429xxx) follow an incident for several minutes"),
            new DiagnosisThreshold(nameof(HubWideMinimumDevices), "5", "fewer devices dropping together is ordinary on any fleet"),
            new DiagnosisThreshold(nameof(HubWideFleetShare), "3%", "on a large fleet a handful of devices drop together by chance"),
            new DiagnosisThreshold(nameof(HubWideRateFactor), "5", "five times the usual rate (plus one) is far outside the minute-to-minute noise"),
            new DiagnosisThreshold(nameof(MaxEventsPerDevice), "4096", "keeps memory bounded by devices, not by the log; weeks of a device's hourly drops fit"),
            new DiagnosisThreshold(nameof(EarliestPlausibleTime), "2015-01-01", "IoT Hub did not exist before; such dates are damage (year 0001) and would hide incidents"),
            new DiagnosisThreshold(nameof(LatestPlausibleSkew), "1 day", "logs cannot come from the future; a day allows for clocks and time zones"),
        };
    }
}
