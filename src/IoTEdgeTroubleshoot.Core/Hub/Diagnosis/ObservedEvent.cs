using System;
using System.Runtime.CompilerServices;
using IoTEdgeTroubleshoot.Platform;

using static IoTEdgeTroubleshoot.Platform.TextValues;
namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    /// <summary>
    /// What the disconnect analysis keeps of one event. Made the same way from a piped event and
    /// from a file read by the fast path, so that both give the same diagnoses.
    /// </summary>
    internal readonly struct ObservedEvent
    {
        private ObservedEvent(string key, long ticks, EntryKind kind, int code, string? protocol, string? sdkVersion, ulong addressHash, CachedString? cachedKey = null)
        {
            Key = key;
            CachedKey = cachedKey;
            Ticks = ticks;
            Kind = kind;
            Code = code;
            Protocol = protocol;
            SdkVersion = sdkVersion;
            AddressHash = addressHash;
        }

        public string? Key { get; }

        /// <summary>The fast path's cache entry of <see cref="Key"/> (a device without module), whose tag spares a lookup.</summary>
        public CachedString? CachedKey { get; }

        public long Ticks { get; }

        public EntryKind Kind { get; }

        public int Code { get; }

        public string? Protocol { get; }

        public string? SdkVersion { get; }

        /// <summary>The masked IP address as a hash (0: none): only distinct counts are used.</summary>
        public ulong AddressHash { get; }

        /// <summary>False for events that say nothing about a connection (no device, or neither connect nor disconnect).</summary>
        public bool IsUsable => Key != null;

        /// <summary>An event left out for its date, for the warning's sample (summaries carry no event object).</summary>
        internal static ObservedEvent Implausible(string key, long ticks) => new ObservedEvent(key, ticks, EntryKind.Connect, 0, null, null, 0);

        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        public static ObservedEvent From(IoTHubConnectionEvent e)
        {
            if (string.IsNullOrEmpty(e.DeviceId)) return default;
            bool error = ErrorResolver.HasErrorCode(e);
            EntryKind kind;
            if (e.IsDisconnect) kind = error ? EntryKind.ErrorDisconnect : EntryKind.CleanDisconnect;
            else if (e.IsConnect) kind = error ? EntryKind.ConnectFailure : EntryKind.Connect;
            else return default;

            // A module (edgeHub, edgeAgent, a custom module) holds its own connection: analyse it apart.
            bool module = !string.IsNullOrEmpty(e.ModuleId);
            string key = module ? e.DeviceId + "/" + e.ModuleId : e.DeviceId;
            var cached = !module && e.CachedDeviceId is { } c && ReferenceEquals(c.Value, key) ? c : null;
            return new ObservedEvent(key, e.TimeGenerated.UtcTicks, kind, DeviceTimeline.ParseCode(e.ResultType),
                NullIfEmpty(e.Protocol), NullIfEmpty(e.SdkVersion), e.AddressHashValue, cached);
        }
    }
}
