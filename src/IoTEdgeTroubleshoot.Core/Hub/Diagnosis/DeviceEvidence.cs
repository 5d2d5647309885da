using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using IoTEdgeTroubleshoot.Hub.Diagnosis.Patterns;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    /// <summary>
    /// The facts about one device that every pattern detector reads, computed once: its drops (error
    /// disconnects close together: 401003 then 404104 a second later is one drop), their intervals and
    /// reconnect delays, its conflict, authentication and not-found errors.
    /// One instance per analysis thread, loaded with one device after the other: a fleet has tens of
    /// thousands of devices, and fresh lists for each would cost more than the analysis (the detectors
    /// keep nothing of it; the diagnoses copy what they show).
    /// </summary>
    internal sealed class DeviceEvidence
    {
        public const int LinkCreationConflict = 409002;
        public const int ForcefullyClosedOnNewConnection = 400027;
        public const int Unauthorized = 401003;
        public const int NotFound = 404001;

        private TimelineEntry[] _outsideIncidents = new TimelineEntry[16]; // grows to the longest device of this thread
        private Periodicity? _periodicity;
        private bool _periodicityKnown;

        public DeviceTimeline Timeline { get; private set; } = new DeviceTimeline(string.Empty);

        /// <summary>Every entry of the device, in time order.</summary>
        public TimelineEntries All { get; private set; } = TimelineEntries.Empty;

        /// <summary>The entries left once a hub-wide incident's share is taken out.</summary>
        public TimelineEntries Entries { get; private set; } = TimelineEntries.Empty;

        public DateTimeOffset DataEnd { get; private set; }

        /// <summary>False when the whole input had no successful connect (errors only): silence then proves nothing.</summary>
        public bool InputHasConnects { get; private set; } = true;

        public int DropCount { get; private set; }

        public long FirstDropTicks { get; private set; }

        public long LastDropTicks { get; private set; }

        /// <summary>Drops of which one error disconnect was 401003: the SDK's token renewal, when it recurs.</summary>
        public int DropsWithUnauthorized { get; private set; }

        /// <summary>Minutes between consecutive drops.</summary>
        public List<double> Intervals { get; } = new List<double>();

        /// <summary>Seconds from each drop to the next successful connect, for the drops followed by one before the next drop.</summary>
        public List<double> ReconnectSeconds { get; } = new List<double>();

        /// <summary>The longest of those reconnects (zero when none).</summary>
        public TimeSpan LongestReconnect { get; private set; }

        public List<TimelineEntry> Conflicts { get; } = new List<TimelineEntry>();

        public List<TimelineEntry> AuthenticationFailures { get; } = new List<TimelineEntry>();

        public List<TimelineEntry> NotFoundFailures { get; } = new List<TimelineEntry>();

        /// <summary>A detector's working list (its intervals): each detector clears it before use, none keeps it.</summary>
        public List<double> Scratch { get; } = new List<double>();

        /// <summary>A detector's working set of address hashes: each detector clears it before use, none keeps it.</summary>
        public HashSet<ulong> Addresses { get; } = new HashSet<ulong>();

        /// <summary>
        /// Whether the drops recur at a stable period; computed once per device, for the detectors that ask
        /// (the detectors of one device run on one thread, so no lock).
        /// </summary>
        public Periodicity? Periodicity
        {
            get
            {
                if (DropCount < 3) return null;
                if (!_periodicityKnown)
                {
                    _periodicity = Patterns.Periodicity.Of(Intervals);
                    _periodicityKnown = true;
                }

                return _periodicity;
            }
        }

        public double? MedianReconnectSeconds => Stats.Median(ReconnectSeconds);

        /// <summary>
        /// Takes the next device: <paramref name="all"/> its entries in time order, <paramref name="incidents"/>
        /// the hub-wide incidents it took part in (null: none), whose share is not blamed on the device.
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // runs once over every event: skip the slow first tier
        public void Load(DeviceTimeline timeline, TimelineEntries all, List<HubWideDetector.Incident>? incidents, long dataEndTicks, bool inputHasConnects)
        {
            Timeline = timeline;
            All = all;
            Entries = incidents == null ? all : OutsideIncidents(all, incidents);
            DataEnd = new DateTimeOffset(dataEndTicks, TimeSpan.Zero);
            InputHasConnects = inputHasConnects;
            _periodicity = null;
            _periodicityKnown = false;

            Conflicts.Clear();
            AuthenticationFailures.Clear();
            NotFoundFailures.Clear();
            foreach (var e in Entries)
            {
                if (e.Code == LinkCreationConflict || e.Code == ForcefullyClosedOnNewConnection) Conflicts.Add(e);
                else if (e.Kind == EntryKind.ConnectFailure && e.Code == Unauthorized) AuthenticationFailures.Add(e);
                else if (e.Kind == EntryKind.ConnectFailure && e.Code == NotFound) NotFoundFailures.Add(e);
            }

            FindDrops(Entries);
        }

        public bool HasConnectAfter(long ticks) => HasConnectBetween(ticks, long.MaxValue);

        /// <summary>
        /// Whether a successful connect follows within <see cref="DiagnosisThresholds.QuickReconnect"/>: then a
        /// refusal just before it was the SDK renewing its token (or a passing hub hiccup), not failing credentials.
        /// </summary>
        public bool IsFollowedByQuickConnect(long ticks) => HasConnectBetween(ticks, ticks + DiagnosisThresholds.QuickReconnect.Ticks);

        public IoTHubDisconnectDiagnosis NewDiagnosis(DisconnectPattern pattern) => new IoTHubDisconnectDiagnosis
        {
            Pattern = pattern,
            DeviceId = Timeline.Key,
            DeviceCount = 1,
            Protocol = Timeline.Protocol,
            SdkVersion = Timeline.SdkVersion,
            RelatedResultTypes = Stats.CodeCounts(Entries),
        };

        // A successful connect later than after and no later than until (All is in time order).
        [MethodImpl(JitHints.AggressiveOptimization)]
        private bool HasConnectBetween(long after, long until)
        {
            var all = All;
            for (int i = TimelineSearch.FirstLaterThan(all, after); i < all.Count && all[i].Ticks <= until; i++)
            {
                if (all[i].Kind == EntryKind.Connect) return true;
            }

            return false;
        }

        // The device's entries that no incident of its own explains (connects always stay: they tell reconnect times).
        [MethodImpl(JitHints.AggressiveOptimization)]
        private TimelineEntries OutsideIncidents(TimelineEntries all, List<HubWideDetector.Incident> incidents)
        {
            if (_outsideIncidents.Length < all.Count) _outsideIncidents = new TimelineEntry[Math.Max(all.Count, 2 * _outsideIncidents.Length)];
            var own = _outsideIncidents;
            int count = 0;
            foreach (var e in all)
            {
                bool explained = false;
                if (e.Kind != EntryKind.Connect)
                {
                    foreach (var incident in incidents) explained |= incident.Covers(e.Ticks);
                }

                if (!explained) own[count++] = e;
            }

            return new TimelineEntries(own, 0, count);
        }

        // Error disconnects, conflicts aside (they are the DuplicateIdentity pattern's), merged when close.
        // Only the last drop can still grow, so it is kept apart until the next one starts.
        [MethodImpl(JitHints.AggressiveOptimization)] // runs once over every event: skip the slow first tier
        private void FindDrops(TimelineEntries entries)
        {
            Intervals.Clear();
            ReconnectSeconds.Clear();
            DropCount = 0;
            DropsWithUnauthorized = 0;
            FirstDropTicks = 0;
            long longest = 0;
            long start = 0, end = 0;
            bool unauthorized = false, reconnected = false;
            foreach (var e in entries)
            {
                if (e.Kind == EntryKind.Connect && DropCount > 0 && !reconnected)
                {
                    reconnected = true;
                    long delay = e.Ticks - end;
                    ReconnectSeconds.Add(TimeSpan.FromTicks(delay).TotalSeconds);
                    if (delay > longest) longest = delay;
                    continue;
                }

                if (e.Kind != EntryKind.ErrorDisconnect || e.Code == LinkCreationConflict || e.Code == ForcefullyClosedOnNewConnection) continue;
                if (DropCount > 0 && !reconnected && e.Ticks - end <= DiagnosisThresholds.DropMergeWindow.Ticks)
                {
                    end = e.Ticks;
                    unauthorized |= e.Code == Unauthorized;
                    continue;
                }

                // A new drop: the previous one is complete.
                if (DropCount > 0)
                {
                    if (unauthorized) DropsWithUnauthorized++;
                    Intervals.Add(TimeSpan.FromTicks(e.Ticks - start).TotalMinutes);
                }
                else
                {
                    FirstDropTicks = e.Ticks;
                }

                DropCount++;
                start = end = e.Ticks;
                unauthorized = e.Code == Unauthorized;
                reconnected = false;
            }

            if (DropCount > 0 && unauthorized) DropsWithUnauthorized++;
            LastDropTicks = start;
            LongestReconnect = TimeSpan.FromTicks(longest);
        }
    }
}
