using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    /// <summary>A drop: error disconnects close together (401003 then 404104 a second later is one drop).</summary>
    internal sealed class Drop
    {
        public Drop(long ticks) => StartTicks = EndTicks = ticks;

        public long StartTicks { get; set; }

        public long EndTicks { get; set; }

        public List<int> Codes { get; } = new List<int>();

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
        private static readonly TimeSpan DropMergeWindow = TimeSpan.FromSeconds(10);

        [MethodImpl(JitHints.AggressiveOptimization)] // runs once over every event: skip the slow first tier
        public DeviceEvidence(DeviceTimeline timeline, List<TimelineEntry> all, List<TimelineEntry> analysed, long dataEndTicks)
        {
            Timeline = timeline;
            All = all;
            Entries = analysed;
            DataEnd = new DateTimeOffset(dataEndTicks, TimeSpan.Zero);
            Drops = FindDrops(analysed);
            Intervals = Drops.Zip(Drops.Skip(1), (a, b) => TimeSpan.FromTicks(b.StartTicks - a.StartTicks).TotalMinutes).ToList();
            Conflicts = analysed.Where(e => e.Code == LinkCreationConflict || e.Code == ForcefullyClosedOnNewConnection).ToList();
            AuthenticationFailures = analysed.Where(e => e.Kind == EntryKind.ConnectFailure && e.Code == Unauthorized).ToList();
            NotFoundFailures = analysed.Where(e => e.Kind == EntryKind.ConnectFailure && e.Code == NotFound).ToList();
        }

        public DeviceTimeline Timeline { get; }

        /// <summary>Every entry of the device, in time order.</summary>
        public List<TimelineEntry> All { get; }

        /// <summary>The entries left once a hub-wide incident's share is taken out.</summary>
        public List<TimelineEntry> Entries { get; }

        public DateTimeOffset DataEnd { get; }

        public List<Drop> Drops { get; }

        /// <summary>Minutes between consecutive drops.</summary>
        public List<double> Intervals { get; }

        public List<TimelineEntry> Conflicts { get; }

        public List<TimelineEntry> AuthenticationFailures { get; }

        public List<TimelineEntry> NotFoundFailures { get; }

        public double? MedianReconnectSeconds =>
            Stats.Median(Drops.Where(d => d.ReconnectDelay.HasValue).Select(d => d.ReconnectDelay!.Value.TotalSeconds));

        public bool HasConnectAfter(long ticks) => All.Any(e => e.Kind == EntryKind.Connect && e.Ticks > ticks);

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
                if (current != null && !current.ReconnectDelay.HasValue && e.Ticks - current.EndTicks <= DropMergeWindow.Ticks)
                {
                    current.EndTicks = e.Ticks;
                    current.Codes.Add(e.Code);
                    continue;
                }

                current = new Drop(e.Ticks);
                current.Codes.Add(e.Code);
                drops.Add(current);
            }

            return drops;
        }
    }
}
