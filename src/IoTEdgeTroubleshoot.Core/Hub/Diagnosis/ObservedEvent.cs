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
        private ObservedEvent(string deviceId, string? moduleId, long ticks, EntryKind kind, int code, string? protocol, string? sdkVersion, ulong addressHash, Utf8StringCache? keyCache = null, int keySlot = -1)
        {
            DeviceId = deviceId;
            ModuleId = moduleId;
            KeyCache = keyCache;
            KeySlot = keySlot;
            Ticks = ticks;
            Kind = kind;
            Code = code;
            Protocol = protocol;
            SdkVersion = sdkVersion;
            AddressHash = addressHash;
        }

        public string? DeviceId { get; }

        /// <summary>Set for a module's own connection (edgeHub, edgeAgent, a custom module), which is analysed apart.</summary>
        public string? ModuleId { get; }

        /// <summary>
        /// "device" or "device/module": the identity's key. Made when asked (a module's key is a new string), so that
        /// the analysis builds it once per identity, not once per record.
        /// </summary>
        public string? Key => ModuleId == null ? DeviceId : DeviceId + "/" + ModuleId;

        /// <summary>The fast path's cache holding <see cref="DeviceId"/> (a device without module), whose entry's tag spares a lookup.</summary>
        public Utf8StringCache? KeyCache { get; }

        /// <summary>Where in <see cref="KeyCache"/> the entry is.</summary>
        public int KeySlot { get; }

        public long Ticks { get; }

        public EntryKind Kind { get; }

        public int Code { get; }

        public string? Protocol { get; }

        public string? SdkVersion { get; }

        /// <summary>The masked IP address as a hash (0: none): only distinct counts are used.</summary>
        public ulong AddressHash { get; }

        /// <summary>False for events that say nothing about a connection (no device, or neither connect nor disconnect).</summary>
        public bool IsUsable => DeviceId != null;

        /// <summary>An event left out for its date, for the warning's sample (summaries carry no event object).</summary>
        internal static ObservedEvent Implausible(string key, long ticks) => new ObservedEvent(key, null, ticks, EntryKind.Connect, 0, null, null, 0);

        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        public static ObservedEvent From(IoTHubConnectionEvent e)
        {
            // A device id from the reader's cache is never empty: asking would read the string itself, a trip to memory
            // per record on a large hub, where the cache entry was just read anyway.
            var cache = e.DeviceIdCache;
            bool fromCache = cache != null && cache.Holds(e.DeviceIdSlot, e.DeviceId);
            if (!fromCache && string.IsNullOrEmpty(e.DeviceId)) return default;
            bool error = ErrorResolver.HasErrorCode(e);
            EntryKind kind;
            if (e.IsDisconnect) kind = error ? EntryKind.ErrorDisconnect : EntryKind.CleanDisconnect;
            else if (e.IsConnect) kind = error ? EntryKind.ConnectFailure : EntryKind.Connect;
            else return default;

            // A module (edgeHub, edgeAgent, a custom module) holds its own connection: analyse it apart.
            string? module = NullIfEmpty(e.ModuleId);
            bool keyCached = module == null && fromCache;
            return new ObservedEvent(e.DeviceId!, module, e.TimeGenerated.UtcTicks, kind, DeviceTimeline.ParseCode(e.ResultType),
                NullIfEmpty(e.Protocol), NullIfEmpty(e.SdkVersion), e.AddressHashValue, keyCached ? cache : null, keyCached ? e.DeviceIdSlot : -1);
        }
    }
}
