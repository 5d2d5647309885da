using System;
using System.Runtime.CompilerServices;
using IoTEdgeTroubleshoot.Platform;
using static IoTEdgeTroubleshoot.Platform.TextValues;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>
    /// The lean parse (the disconnect analysis' fast path): a byte scanner for the hub's usual record shape that
    /// reads only the fields the analysis keeps, falling back to the full parse (ConnectionRecordParser.cs) for
    /// anything else. LeanParsingTests hold the two to the same results.
    /// </summary>
    internal sealed partial class ConnectionRecordParser
    {
        /// <summary>
        /// The analysis' shortcut through a whole record of the usual shape: a flat object of strings
        /// (and nulls or numbers), no whitespace, "properties" an escaped JSON string. It reads only what
        /// the lean parse keeps; anything else (a wrapper, spaces, an escape in a kept value, a time in
        /// another format) returns false and the record is parsed the usual way, with the same result.
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        internal bool TryScanLeanRecord(ReadOnlySpan<byte> json, ConnectionEventFilter filter, out RecordOutcome outcome)
        {
            outcome = default;
            if (json.Length < 2 || json[0] != (byte)'{' || json[json.Length - 1] != (byte)'}') return false;

            // Control characters and anything beyond ASCII are for the full parse to judge (the JSON reader refuses
            // the one, the UTF-8 check the other): this shortcut then never accepts what the full parse would not.
            if (!Utf8Validation.IsPrintableAscii(json)) return false;
            var e = NewEvent();
            bool haveTime = false;
            int usual = 0; // the next of the storage export's keys, in the order the hub writes them
            int i = 1;
            while (true)
            {
                Field field;
                if (usual < UsualKeys.Length && ByteScan.StartsWith(json.Slice(i), UsualKeys[usual].Quoted))
                {
                    // The key the hub writes next, spelt as it writes it: one comparison instead of a search and a lookup.
                    field = UsualKeys[usual].Field;
                    i += UsualKeys[usual].Quoted.Length;
                    usual++;
                }
                else
                {
                    if (i >= json.Length || json[i] != (byte)'"') return false;
                    int keyEnd = ByteScan.IndexOfEither(json.Slice(i + 1), (byte)'"', (byte)'\\');
                    if (keyEnd < 0 || json[i + 1 + keyEnd] != (byte)'"') return false;
                    field = FieldOfName(json.Slice(i + 1, keyEnd));
                    i += keyEnd + 2;
                    if (i >= json.Length || json[i] != (byte)':') return false;
                    i++;
                }

                if (i >= json.Length) return false;

                if (json[i] == (byte)'"' && field == Field.Properties)
                {
                    // The properties string is read once, by its own scanner, which also says where it ends.
                    if (!Properties.TryScanInRecord(json, i + 1, e, out int closingQuote)) return false;
                    i = closingQuote + 1;
                }
                else if (json[i] == (byte)'"')
                {
                    int start = i + 1;
                    int end = start;
                    bool escaped = false;
                    while (true)
                    {
                        int next = ByteScan.IndexOfEither(json.Slice(end), (byte)'"', (byte)'\\');
                        if (next < 0) return false;
                        end += next;
                        if (json[end] == (byte)'"') break;
                        escaped = true;

                        // A bad escape is for the full parse to report.
                        if (!LeanPropertiesScanner.IsValidEscape(json, end)) return false;
                        end += 2; // past the escaped character (for \uXXXX the hex digits are no quotes)
                        if (end >= json.Length) return false;
                    }

                    var value = json.Slice(start, end - start);
                    i = end + 1;
                    switch (field)
                    {
                        case Field.Time:
                            if (escaped || !UtcTimestamp.TryParse(value, out var time)) return false;
                            e.TimeGenerated = time;
                            haveTime = true;
                            break;
                        case Field.Records:
                            return false;
                        default:
                            if (!IsLeanField(field)) break;
                            if (escaped) return false;
                            SetLeanField(e, field, _strings.Get(value));
                            break;
                    }
                }
                else
                {
                    // null or a number: up to the next , or }
                    int start = i;
                    while (i < json.Length && json[i] != (byte)',' && json[i] != (byte)'}')
                    {
                        byte b = json[i];
                        if (b == (byte)'{' || b == (byte)'[' || b == (byte)'"' || b == (byte)' ' || b == (byte)'\t') return false;
                        i++;
                    }

                    var raw = json.Slice(start, i - start);
                    bool isNull = ByteScan.Equal(raw, "null"u8);
                    if (!isNull && !IsJsonNumber(raw)) return false; // true/false or broken: the full parse decides
                    switch (field)
                    {
                        case Field.Time:
                        case Field.Properties when !isNull:
                        case Field.Records:
                            return false;
                        default:
                            if (IsLeanField(field)) SetLeanField(e, field, isNull ? null : _strings.Get(raw));
                            break;
                    }
                }

                if (i >= json.Length) return false;
                if (json[i] == (byte)'}')
                {
                    if (i != json.Length - 1 || !haveTime) return false;
                    outcome = Finish(e, filter);
                    return true;
                }

                if (json[i] != (byte)',') return false;
                i++;
            }
        }

        /// <summary>The storage export's keys in the order the hub writes them, each as "name": (quotes and colon).</summary>
        private static readonly (byte[] Quoted, Field Field)[] UsualKeys =
        {
            Usual("time", Field.Time),
            Usual("resourceId", Field.ResourceId),
            Usual("operationName", Field.OperationName),
            Usual("category", Field.Category),
            Usual("level", Field.Level),
            Usual("resultType", Field.ResultType),
            Usual("resultDescription", Field.ResultDescription),
            Usual("properties", Field.Properties),
            Usual("location", Field.Location),
        };

        private static (byte[] Quoted, Field Field) Usual(string name, Field field) => (System.Text.Encoding.ASCII.GetBytes("\"" + name + "\":"), field);

        // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
        internal static bool IsJsonNumber(ReadOnlySpan<byte> s)
        {
            int i = 0;
            if (i < s.Length && s[i] == (byte)'-') i++;
            if (i >= s.Length) return false;
            if (s[i] == (byte)'0') i++;
            else if (!Digits(s, ref i)) return false;
            if (i < s.Length && s[i] == (byte)'.')
            {
                i++;
                if (!Digits(s, ref i)) return false;
            }

            if (i < s.Length && (s[i] == (byte)'e' || s[i] == (byte)'E'))
            {
                i++;
                if (i < s.Length && (s[i] == (byte)'+' || s[i] == (byte)'-')) i++;
                if (!Digits(s, ref i)) return false;
            }

            return i == s.Length;

            static bool Digits(ReadOnlySpan<byte> s, ref int i)
            {
                int start = i;
                while (i < s.Length && s[i] >= (byte)'0' && s[i] <= (byte)'9') i++;
                return i > start;
            }
        }

        /// <summary>The fields the lean parse keeps besides the time and the properties.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)] // part of the per-record scan (see ByteScan)
        private static bool IsLeanField(Field field) =>
            field == Field.OperationName || field == Field.Category || field == Field.Level || field == Field.ResultType
            || field == Field.DeviceId || field == Field.ModuleId || field == Field.Protocol || field == Field.MaskedIpAddress
            || field == Field.SdkVersion;

        // As the full parse sets them: top-level fields empty when null, the properties' fields null when empty.
        [MethodImpl(MethodImplOptions.AggressiveInlining)] // part of the per-record scan (see ByteScan)
        private static void SetLeanField(IoTHubConnectionEvent e, Field field, string? value)
        {
            switch (field)
            {
                case Field.OperationName: e.OperationName = value ?? string.Empty; break;
                case Field.Category: e.Category = value ?? string.Empty; break;
                case Field.Level: e.Level = value ?? string.Empty; break;
                case Field.ResultType: e.ResultType = value ?? string.Empty; break;
                case Field.DeviceId: e.DeviceId = value ?? string.Empty; break;
                case Field.ModuleId: e.ModuleId = NullIfEmpty(value); break;
                case Field.Protocol: e.Protocol = NullIfEmpty(value); break;
                case Field.MaskedIpAddress: e.MaskedIpAddress = NullIfEmpty(value); break;
                case Field.SdkVersion: e.SdkVersion = NullIfEmpty(value); break;
            }
        }
    }
}
