using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>
    /// Groups error events by code and explains each group (Resolve-IoTHubConnectionError).
    /// Memory grows with distinct codes and devices, not with events.
    /// </summary>
    public sealed class ErrorResolver
    {
        private const int SampleSize = 5;

        private readonly Dictionary<string, CodeStats> _codes = new Dictionary<string, CodeStats>(StringComparer.Ordinal);

        // device → error code → count: what else went wrong on the devices of a code (409002's "look for other errors").
        private readonly Dictionary<string, Dictionary<string, int>> _codesByDevice = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);

        /// <summary>Counts the event if it carries an error code; returns false for events without one.</summary>
        public bool Add(IoTHubConnectionEvent e)
        {
            if (!HasErrorCode(e)) return false;
            if (!_codes.TryGetValue(e.ResultType, out var stats))
            {
                stats = new CodeStats(e.ResultType);
                _codes.Add(e.ResultType, stats);
            }

            stats.Add(e);
            if (!_codesByDevice.TryGetValue(e.DeviceId, out var perDevice))
            {
                perDevice = new Dictionary<string, int>(StringComparer.Ordinal);
                _codesByDevice.Add(e.DeviceId, perDevice);
            }

            perDevice.TryGetValue(e.ResultType, out int n);
            perDevice[e.ResultType] = n + 1;
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)] // once per record of the analysis (see ByteScan)
        public static bool HasErrorCode(IoTHubConnectionEvent e)
        {
            // Neither empty nor "0" nor "200", compared char by char (no call into the framework's string comparison).
            string code = e.ResultType;
            if (code == null) return false;
            switch (code.Length)
            {
                case 0: return false;
                case 1: return code[0] != '0';
                case 3: return !(code[0] == '2' && code[1] == '0' && code[2] == '0');
                default: return true;
            }
        }

        /// <summary>One resolution per code seen, most frequent first.</summary>
        public IReadOnlyList<IoTHubErrorResolution> GetResolutions() =>
            _codes.Values
                .OrderByDescending(s => s.Count)
                .ThenBy(s => s.Code, StringComparer.Ordinal)
                .Select(Build)
                .ToList();

        /// <summary>What the catalog says about codes nobody has seen yet (Resolve-IoTHubConnectionError -ResultType).</summary>
        public static IoTHubErrorResolution Describe(string resultType) => FromInfo(ErrorCatalog.Lookup(resultType, null));

        private IoTHubErrorResolution Build(CodeStats stats)
        {
            var info = ErrorCatalog.Lookup(stats.Code, stats.Description);
            var result = FromInfo(info);
            result.Count = stats.Count;
            result.DeviceCount = stats.Devices.Count;
            result.FirstSeen = stats.FirstSeen;
            result.LastSeen = stats.LastSeen;
            result.SampleDeviceIds = stats.Devices
                .OrderByDescending(d => d.Value)
                .ThenBy(d => d.Key, StringComparer.Ordinal)
                .Take(SampleSize)
                .Select(d => d.Key)
                .ToArray();
            result.RelatedResultTypes = RelatedCodes(stats);
            if (stats.Code == "409002")
            {
                result.Resolution = result.RelatedResultTypes.Length > 0
                    ? $"The same devices also logged {string.Join(", ", result.RelatedResultTypes)}: troubleshoot those first, 409002 is usually their side effect. If 409002 remains once they are fixed, make sure the device opens a new connection only when the old one has dropped, and that no two clients use one identity."
                    : _codes.Count == 1
                        ? $"Only 409002 events were given: pass all the errors of these devices (no -ResultType filter) to see what else went wrong. {info.Resolution}"
                        : $"No other errors were logged for these devices in this data. {info.Resolution}";
            }

            return result;
        }

        private string[] RelatedCodes(CodeStats stats)
        {
            var totals = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var device in stats.Devices.Keys)
            {
                foreach (var pair in _codesByDevice[device])
                {
                    if (pair.Key == stats.Code) continue;
                    totals.TryGetValue(pair.Key, out int n);
                    totals[pair.Key] = n + pair.Value;
                }
            }

            return totals
                .OrderByDescending(p => p.Value)
                .ThenBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"{p.Key} ({p.Value})")
                .ToArray();
        }

        private static IoTHubErrorResolution FromInfo(IoTHubErrorCodeInfo info) => new IoTHubErrorResolution
        {
            ResultType = info.ResultType,
            Name = info.Name,
            RootCause = info.RootCause,
            Resolution = info.Resolution,
            IsTransient = info.IsTransient,
            HelpUri = info.HelpUri,
            IsKnown = info.IsKnown,
        };

        private sealed class CodeStats
        {
            public CodeStats(string code) => Code = code;

            public string Code { get; }

            public int Count { get; private set; }

            public string? Description { get; private set; }

            public DateTimeOffset? FirstSeen { get; private set; }

            public DateTimeOffset? LastSeen { get; private set; }

            public Dictionary<string, int> Devices { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

            public void Add(IoTHubConnectionEvent e)
            {
                Count++;
                if (Description == null && !string.IsNullOrEmpty(e.ResultDescription)) Description = e.ResultDescription;
                if (!FirstSeen.HasValue || e.TimeGenerated < FirstSeen.Value) FirstSeen = e.TimeGenerated;
                if (!LastSeen.HasValue || e.TimeGenerated > LastSeen.Value) LastSeen = e.TimeGenerated;
                Devices.TryGetValue(e.DeviceId, out int n);
                Devices[e.DeviceId] = n + 1;
            }
        }
    }
}
