using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using IoTEdgeTroubleshoot.Hub.Diagnosis.Patterns;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    /// <summary>A drop: error disconnects close together (401003 then 404104 a second later is one drop).</summary>
    internal sealed class Drop
    {
        public Drop(long ticks) => StartTicks = EndTicks = ticks;

        public long StartTicks { get; set; }

        public long EndTicks { get; set; }

        /// <summary>Whether one of the drop's error disconnects was 401003: the SDK's token renewal, when it recurs.</summary>
        public bool IncludesUnauthorized { get; private set; }

        public void AddCode(int code) => IncludesUnauthorized |= code == DeviceEvidence.Unauthorized;

        /// <summary>Time to the next successful connect, when there was one before the next drop.</summary>
        public TimeSpan? ReconnectDelay { get; set; }
    }

    /// <summary>
    /// The facts about one device that every pattern detector reads, computed once: its drops, their
    /// intervals and reconnect delays, its conflict, authentication and not-found errors.
    /// </summary>
    internal sealed class DeviceEvidence
    {
        public const int LinkCreationConflict = 409002;
        public const int ForcefullyClosedOnNewConnection = 400027;
        public const int Unauthorized = 401003;
        public const int NotFound = 404001;

        [MethodImpl(JitHints.AggressiveOptimization)] // runs once over every event: skip the slow first tier
        public DeviceEvidence(DeviceTimeline timeline, List<TimelineEntry> all, List<TimelineEntry> analysed, long dataEndTicks)
        {
            Timeline = timeline;
            All = all;
            Entries = analysed;
            DataEnd = new DateTimeOffset(dataEndTicks, TimeSpan.Zero);
            Drops = FindDrops(analysed);
            Intervals = new List<double>(Math.Max(0, Drops.Count - 1));
            for (int i = 1; i < Drops.Count; i++) Intervals.Add(TimeSpan.FromTicks(Drops[i].StartTicks - Drops[i - 1].StartTicks).TotalMinutes);

            // One pass, no LINQ: this runs for every device of the fleet.
            foreach (var e in analysed)
            {
                if (e.Code == LinkCreationConflict || e.Code == ForcefullyClosedOnNewConnection) Conflicts.Add(e);
                else if (e.Kind == EntryKind.ConnectFailure && e.Code == Unauthorized) AuthenticationFailures.Add(e);
                else if (e.Kind == EntryKind.ConnectFailure && e.Code == NotFound) NotFoundFailures.Add(e);
            }

        }

        private Periodicity? _periodicity;
        private bool _periodicityKnown;

        /// <summary>
        /// Whether the drops recur at a stable period; computed once, for the detectors that ask (the
        /// detectors of one device run on one thread, so no lock).
        /// </summary>
        public Periodicity? Periodicity
        {
            get
            {
                if (Drops.Count < 3) return null;
                if (!_periodicityKnown)
                {
                    _periodicity = Patterns.Periodicity.Of(Intervals);
                    _periodicityKnown = true;
                }

                return _periodicity;
            }
        }

        public DeviceTimeline Timeline { get; }

        /// <summary>Every entry of the device, in time order.</summary>
        public List<TimelineEntry> All { get; }

        /// <summary>The entries left once a hub-wide incident's share is taken out.</summary>
        public List<TimelineEntry> Entries { get; }

        public DateTimeOffset DataEnd { get; }

        /// <summary>False when the whole input had no successful connect (errors only): silence then proves nothing.</summary>
        public bool InputHasConnects { get; set; } = true;

        public List<Drop> Drops { get; }

        /// <summary>Minutes between consecutive drops.</summary>
        public List<double> Intervals { get; }

        public List<TimelineEntry> Conflicts { get; } = new List<TimelineEntry>();

        public List<TimelineEntry> AuthenticationFailures { get; } = new List<TimelineEntry>();

        public List<TimelineEntry> NotFoundFailures { get; } = new List<TimelineEntry>();

        public double? MedianReconnectSeconds =>
            Stats.Median(Drops.Where(d => d.ReconnectDelay.HasValue).Select(d => d.ReconnectDelay!.Value.TotalSeconds));

        public bool HasConnectAfter(long ticks) => HasConnectBetween(ticks, long.MaxValue);

        /// <summary>
        /// Whether a successful connect follows within <see cref="DiagnosisThresholds.QuickReconnect"/>: then a
        /// refusal just before it was the SDK renewing its token (or a passing hub hiccup), not failing credentials.
        /// </summary>
        public bool IsFollowedByQuickConnect(long ticks) => HasConnectBetween(ticks, ticks + DiagnosisThresholds.QuickReconnect.Ticks);

        // A successful connect later than after and no later than until (All is in time order).
        private bool HasConnectBetween(long after, long until)
        {
            for (int i = FirstIndexAfter(after); i < All.Count && All[i].Ticks <= until; i++)
            {
                if (All[i].Kind == EntryKind.Connect) return true;
            }

            return false;
        }

        // All is in time order: binary search for the first entry later than ticks.
        private int FirstIndexAfter(long ticks)
        {
            int low = 0, high = All.Count;
            while (low < high)
            {
                int mid = (low + high) >> 1;
                if (All[mid].Ticks <= ticks) low = mid + 1;
                else high = mid;
            }

            return low;
        }

        public string[] RelatedResultTypes => Stats.CodeCounts(Entries.Select(e => e.Code));

        public IoTHubDisconnectDiagnosis NewDiagnosis(DisconnectPattern pattern) => new IoTHubDisconnectDiagnosis
        {
            Pattern = pattern,
            DeviceId = Timeline.Key,
            DeviceCount = 1,
            Protocol = Timeline.Protocol,
            SdkVersion = Timeline.SdkVersion,
            RelatedResultTypes = RelatedResultTypes,
        };

        // Error disconnects, conflicts aside (they are the DuplicateIdentity pattern's), merged when close.
        [MethodImpl(JitHints.AggressiveOptimization)] // runs once over every event: skip the slow first tier
        private static List<Drop> FindDrops(List<TimelineEntry> entries)
        {
            var drops = new List<Drop>();
            Drop? current = null;
            foreach (var e in entries)
            {
                if (e.Kind == EntryKind.Connect && current != null && !current.ReconnectDelay.HasValue)
                {
                    current.ReconnectDelay = TimeSpan.FromTicks(e.Ticks - current.EndTicks);
                    continue;
                }

                if (e.Kind != EntryKind.ErrorDisconnect || e.Code == LinkCreationConflict || e.Code == ForcefullyClosedOnNewConnection) continue;
                if (current != null && !current.ReconnectDelay.HasValue && e.Ticks - current.EndTicks <= DiagnosisThresholds.DropMergeWindow.Ticks)
                {
                    current.EndTicks = e.Ticks;
                    current.AddCode(e.Code);
                    continue;
                }

                current = new Drop(e.Ticks);
                current.AddCode(e.Code);
                drops.Add(current);
            }

            return drops;
        }
    }
}
