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
        private ObservedEvent(string deviceId, string? moduleId, long ticks, EntryKind kind, int code, string? protocol, string? sdkVersion, ulong addressHash, DeviceKeyTable? keyTable = null, DeviceKeyTable.Slot[]? keySlots = null, int keySlot = -1)
        {
            DeviceId = deviceId;
            ModuleId = moduleId;
            KeyTable = keyTable;
            KeySlots = keySlots;
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

        /// <summary>
        /// The fast path's table of device ids that holds <see cref="DeviceId"/> (a device without module), its slots as the
        /// lookup read them (<see cref="KeySlots"/>) and the slot (<see cref="KeySlot"/>), which keeps the device's timeline
        /// number: a lookup spared for every record after the first.
        /// </summary>
        public DeviceKeyTable? KeyTable { get; }

        public DeviceKeyTable.Slot[]? KeySlots { get; }

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
            // A device id from the table is never empty: asking would read the string itself, a trip to memory per record on
            // a large hub, where the table's slot was just read anyway. The slot counts only while DeviceId is its very
            // string: a record may set its device id again after its properties (at its top level, or in a second
            // properties string), and then the slot is another id's.
            var slots = e.DeviceKeySlots;
            bool fromTable = slots != null && ReferenceEquals(slots[e.DeviceIdSlot].Key, e.DeviceId);
            if (!fromTable && string.IsNullOrEmpty(e.DeviceId)) return default;
            bool error = ErrorResolver.HasErrorCode(e);
            EntryKind kind;
            if (e.IsDisconnect) kind = error ? EntryKind.ErrorDisconnect : EntryKind.CleanDisconnect;
            else if (e.IsConnect) kind = error ? EntryKind.ConnectFailure : EntryKind.Connect;
            else return default;

            // A module (edgeHub, edgeAgent, a custom module) holds its own connection: analyse it apart.
            string? module = NullIfEmpty(e.ModuleId);
            bool keyInTable = module == null && fromTable;
            return new ObservedEvent(e.DeviceId!, module, e.TimeGenerated.UtcTicks, kind, DeviceTimeline.ParseCode(e.ResultType),
                NullIfEmpty(e.Protocol), NullIfEmpty(e.SdkVersion), e.AddressHashValue,
                keyInTable ? e.DeviceKeys : null, keyInTable ? slots : null, keyInTable ? e.DeviceIdSlot : -1);
        }
    }
}
