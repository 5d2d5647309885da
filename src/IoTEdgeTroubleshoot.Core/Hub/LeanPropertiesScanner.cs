using System;
using System.Runtime.CompilerServices;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>
    /// The disconnect analysis' shortcut through a record's "properties": the hub writes them as a JSON
    /// document inside a JSON string, so the usual way is to unescape the string and parse it again.
    /// This reads the few fields the analysis needs (deviceId, moduleId, protocol, maskedIpAddress,
    /// sdkVersion) straight from the escaped bytes. Anything it does not expect (spaces, nested
    /// objects, a needed value with an escape in it) makes it give up, and the caller parses the
    /// properties the usual way: the result is always the same, only faster on ordinary records.
    /// One per parser, so one per reading thread: it remembers the values it skipped last.
    /// </summary>
    internal sealed class LeanPropertiesScanner
    {
        private const byte Backslash = (byte)'\\';
        private const byte Quote = (byte)'"';

        // The longest skipped value remembered: the hub's authType (about 110 bytes escaped) fits, a long message may not.
        private const int MemoCapacity = 256;

        /// <summary>The properties' keys in the order the hub writes them, each as \"name\": and what it is to the scan.</summary>
        private static readonly (byte[] Quoted, int Which)[] UsualKeys =
        {
            Usual("deviceId", 1),
            Usual("moduleId", 2),
            Usual("protocol", 3),
            Usual("authType", 0),
            Usual("maskedIpAddress", 4),
            Usual("statusCode", 0),
            Usual("errorMessage", 0),
            Usual("sdkVersion", 5),
        };

        private readonly Utf8StringCache _strings;

        // Per usual key, the raw bytes of the last string value skipped there that passed the checks (from its opening
        // \" to after its closing \"), at slot * MemoCapacity; length 0: none. The checks read nothing outside that
        // stretch, so the same bytes again would pass them again: they are skipped with one comparison.
        private byte[]? _memo;
        private readonly int[] _memoLength = new int[UsualKeys.Length];

        private readonly DeviceKeyTable _deviceKeys;

        /// <summary><paramref name="deviceKeys"/>: where device ids are looked up (the analysis', shared by its reader threads); null: a table of this scanner's own.</summary>
        public LeanPropertiesScanner(Utf8StringCache strings, DeviceKeyTable? deviceKeys = null)
        {
            _strings = strings;
            _deviceKeys = deviceKeys ?? new DeviceKeyTable();
        }

        private static (byte[] Quoted, int Which) Usual(string name, int which) =>
            (System.Text.Encoding.ASCII.GetBytes("\\\"" + name + "\\\":"), which);

        /// <summary>Fills the fields from <paramref name="escaped"/> (the raw bytes of the JSON string); false to fall back.</summary>
        public bool TryScan(ReadOnlySpan<byte> escaped, IoTHubConnectionEvent e) =>
            TryScan(escaped, 0, closedByQuote: false, e, out _);

        /// <summary>
        /// Fills the fields from the properties string of a whole record: <paramref name="json"/> is the record and
        /// <paramref name="start"/> the first byte after the string's opening quote. <paramref name="closingQuote"/>:
        /// where the string ends. One pass: the string's end is where the properties' object ends, so the record's
        /// own scan need not walk the (long, escape-filled) string first. False to fall back.
        /// </summary>
        public bool TryScanInRecord(ReadOnlySpan<byte> json, int start, IoTHubConnectionEvent e, out int closingQuote) =>
            TryScan(json, start, closedByQuote: true, e, out closingQuote);

        // closedByQuote false: s is the string's content and must end with the object. True: s goes on after the
        // string, whose closing quote must follow the object's }. A bare quote anywhere inside ends the string early
        // in JSON, so every step below refuses one (and the full parse then reads the record as it is).
        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        private bool TryScan(ReadOnlySpan<byte> escaped, int i, bool closedByQuote, IoTHubConnectionEvent e, out int end)
        {
            end = -1;
            string? moduleId = null, protocol = null, sdk = null;
            int deviceIdStart = -1, deviceIdLength = 0, deviceIdHash = 0;
            ulong address = 0; // a hash: the analysis only counts addresses, and there is one per record on a large hub
            int seen = 0; // the kept keys met, a bit each
            int usual = 0; // the usual keys before this one were met or skipped
            if (!Expect(escaped, ref i, (byte)'{')) return false;
            if (i < escaped.Length && escaped[i] == (byte)'}') return EndsHere(escaped, i, closedByQuote) && Finish(escaped, out end);
            while (true)
            {
                int which, slot = -1;
                var rest = escaped.Slice(i);
                for (int k = usual; k < UsualKeys.Length; k++)
                {
                    // The hub's next key, or one after it (moduleId and errorMessage come and go), spelt as it writes
                    // it: one comparison instead of a search and a lookup.
                    if (ByteScan.StartsWith(rest, UsualKeys[k].Quoted))
                    {
                        slot = k;
                        break;
                    }
                }

                if (slot >= 0)
                {
                    which = UsualKeys[slot].Which;
                    i += UsualKeys[slot].Quoted.Length;
                    usual = slot + 1;
                }
                else
                {
                    // Key: \"name\"
                    if (!ExpectEscapedQuote(escaped, ref i)) return false;
                    int keyStart = i;
                    int keyLength = ByteScan.IndexOfEither(escaped.Slice(i), Backslash, Quote);
                    if (keyLength < 0) return false;
                    i += keyLength;
                    if (escaped[i] == Quote) return false;
                    var key = escaped.Slice(keyStart, keyLength);
                    if (!ExpectEscapedQuote(escaped, ref i) || !Expect(escaped, ref i, (byte)':')) return false;
                    which = Which(key);
                    if (which < 0) return false;
                }

                if (i >= escaped.Length) return false;
                if (which > 0)
                {
                    // A kept key twice: which one wins is the full parse's to say.
                    if ((seen & (1 << which)) != 0) return false;
                    seen |= 1 << which;
                }

                if (escaped[i] == Backslash)
                {
                    int valueStart = i;
                    if (which == 0 && slot >= 0 && _memoLength[slot] != 0 && ByteScan.StartsWith(escaped.Slice(i), Memo(slot)))
                    {
                        i += _memoLength[slot]; // the very bytes skipped here last time, checks passed
                    }
                    else
                    {
                        // A string value: \"...\"
                        if (!ExpectEscapedQuote(escaped, ref i)) return false;
                        if (!SkipInnerString(escaped, ref i, out bool plain)) return false;
                        if (which == 0)
                        {
                            if (slot >= 0) Remember(slot, escaped.Slice(valueStart, i - valueStart));
                        }
                        else
                        {
                            if (!plain) return false; // an escape in a value we keep: let the full parser decode it
                            var bytes = escaped.Slice(valueStart + 2, i - valueStart - 4); // between the \"s
                            switch (which)
                            {
                                case 1:
                                    // Looked up at the end: the table is large and its slot far off in memory, so the slot
                                    // is asked for now and the rest of the record read while it comes.
                                    deviceIdStart = valueStart + 2;
                                    deviceIdLength = bytes.Length;
                                    if (bytes.Length > 0)
                                    {
                                        deviceIdHash = DeviceKeyTable.HashOf(bytes);
                                        _deviceKeys.Prefetch(deviceIdHash);
                                    }

                                    break;
                                case 2: moduleId = _strings.Get(bytes); break;
                                case 3: protocol = _strings.Get(bytes); break;
                                case 4: address = Diagnosis.AddressHash.Of(bytes); break;
                                case 5: sdk = _strings.Get(bytes); break;
                            }
                        }
                    }
                }
                else
                {
                    // null, true, false or a number: up to the next , or }
                    int start = i;
                    while (i < escaped.Length && escaped[i] != (byte)',' && escaped[i] != (byte)'}')
                    {
                        byte b = escaped[i];
                        if (b == Backslash || b == Quote || b == (byte)'{' || b == (byte)'[' || b == (byte)' ') return false;
                        i++;
                    }

                    var raw = escaped.Slice(start, i - start);
                    bool isNull = ByteScan.Equal(raw, "null"u8);
                    if (which != 0 && !isNull) return false;
                    if (!isNull && !ByteScan.Equal(raw, "true"u8) && !ByteScan.Equal(raw, "false"u8) && !ConnectionRecordParser.IsJsonNumber(raw)) return false; // the full parse reports it
                }

                if (i >= escaped.Length) return false;
                if (escaped[i] == (byte)'}') return EndsHere(escaped, i, closedByQuote) && Finish(escaped, out end);
                if (escaped[i] != (byte)',') return false;
                i++;
            }

            // i is at the object's closing }: what follows must be the string's end.
            [MethodImpl(MethodImplOptions.AggressiveInlining)] // part of the per-record scan (see ByteScan)
            bool Finish(ReadOnlySpan<byte> record, out int closingQuote)
            {
                closingQuote = i + 1;
                if (deviceIdLength == 0) return false; // none or empty, unusual: let the full parser look

                // The record set one of these already (at its top level, or a second properties string): which value
                // stands is the full parse's to say.
                if (e.DeviceId.Length != 0 || e.ModuleId != null || e.Protocol != null || e.MaskedIpAddress != null || e.MaskedIpAddressHash != 0 || e.SdkVersion != null) return false;
                e.DeviceId = _deviceKeys.Get(record.Slice(deviceIdStart, deviceIdLength), deviceIdHash, out var deviceKeySlots, out int deviceSlot);
                e.DeviceKeys = _deviceKeys;
                e.DeviceKeySlots = deviceKeySlots;
                e.DeviceIdSlot = deviceSlot;
                e.ModuleId = string.IsNullOrEmpty(moduleId) ? null : moduleId;
                e.Protocol = string.IsNullOrEmpty(protocol) ? null : protocol;
                e.MaskedIpAddress = null;
                e.MaskedIpAddressHash = address;
                e.SdkVersion = string.IsNullOrEmpty(sdk) ? null : sdk;
                return true;
            }
        }

        private ReadOnlySpan<byte> Memo(int slot) => new ReadOnlySpan<byte>(_memo, slot * MemoCapacity, _memoLength[slot]);

        // Keeps a skipped value that passed the checks, in place of the one before (a long one is not kept).
        [MethodImpl(MethodImplOptions.AggressiveInlining)] // part of the per-record scan (see ByteScan)
        private void Remember(int slot, ReadOnlySpan<byte> value)
        {
            if (value.Length > MemoCapacity) return;
            _memo ??= new byte[UsualKeys.Length * MemoCapacity];
            value.CopyTo(new Span<byte>(_memo, slot * MemoCapacity, MemoCapacity));
            _memoLength[slot] = value.Length;
        }

        // At the object's closing } (at i): the string must end here, with the content or at the closing quote.
        private static bool EndsHere(ReadOnlySpan<byte> s, int i, bool closedByQuote) =>
            closedByQuote ? i + 1 < s.Length && s[i + 1] == Quote : i == s.Length - 1;

        // 1 deviceId, 2 moduleId, 3 protocol, 4 maskedIpAddress, 5 sdkVersion, 0 anything else, -1 another spelling of
        // one of those (the full parser matches keys without case). Every record has keys of these lengths that are
        // none of them (authType, statusCode): the length picks the candidates, and only they are compared.
        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        private static int Which(ReadOnlySpan<byte> key)
        {
            switch (key.Length)
            {
                case 8:
                    return Match(key, "deviceId"u8, 1) ?? Match(key, "moduleId"u8, 2) ?? Match(key, "protocol"u8, 3) ?? 0;
                case 10:
                    return Match(key, "sdkVersion"u8, 5) ?? (Match(key, "deviceId_s"u8, -1) != null ? -1 : 0); // deviceId_s: an alias the full parse knows
                case 15:
                    return Match(key, "maskedIpAddress"u8, 4) ?? 0;
                default:
                    return 0;
            }

            // The id when the key is the name, -1 when it is the name in other letter case, null otherwise.
            static int? Match(ReadOnlySpan<byte> key, ReadOnlySpan<byte> name, int id)
            {
                if (ByteScan.Equal(key, name)) return id;
                for (int k = 0; k < key.Length; k++)
                {
                    if ((key[k] | 0x20) != (name[k] | 0x20)) return null;
                }

                return -1;
            }
        }

        /// <summary>
        /// Moves past an inner string whose opening \" was read, to after its closing \". The bytes carry two
        /// layers of escaping: \" is an inner quote, \\ an inner backslash, and an inner backslash escapes the
        /// inner character after it. Between backslashes there is nothing to look at (an inner quote is always
        /// escaped), so the scan jumps from one backslash to the next. <paramref name="plain"/>: no escape at all
        /// inside. False for anything the inner JSON would not allow (a control character, an unknown escape, half
        /// a surrogate pair), which the full parse then reports or reads, and for rare forms it leaves to it.
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)] // hot: every record goes through it, so skip the slow first JIT tier
        private static bool SkipInnerString(ReadOnlySpan<byte> s, ref int i, out bool plain)
        {
            plain = true;
            while (true)
            {
                int next = ByteScan.IndexOfEither(s.Slice(i), Backslash, Quote);
                if (next < 0) return false;
                i += next;
                if (s[i] == Quote || i + 1 >= s.Length) return false; // a bare quote: the outer string ended early
                byte n = s[i + 1];
                if (n == Quote)
                {
                    i += 2; // the closing \"
                    return true;
                }

                plain = false;
                if (n == Backslash)
                {
                    i += 2; // an inner backslash: the inner character after it is escaped
                    if (!SkipInnerEscaped(s, ref i)) return false;
                }
                else if (n == (byte)'/')
                {
                    i += 2;
                }
                else if (n == (byte)'u')
                {
                    // An inner character written \uXXXX: a control character, half a pair, a quote or a backslash (rare
                    // spellings) are left to the full parse.
                    if (i + 6 > s.Length || !TryHex(s.Slice(i + 2, 4), out int code)) return false;
                    if (code < 0x20 || (code >= 0xD800 && code <= 0xDFFF) || code == '"' || code == '\\') return false;
                    i += 6;
                }
                else
                {
                    return false; // \n, \t ...: a control character inside the inner string, or an unknown escape
                }
            }
        }

        // After an inner backslash: the inner escape's character, which JSON allows to be one of " \ / b f n r t u,
        // and for u four hex digits.
        private static bool SkipInnerEscaped(ReadOnlySpan<byte> s, ref int i)
        {
            if (i >= s.Length) return false;
            byte b = s[i];
            if (b == Backslash)
            {
                // Written with an outer escape: \" (an inner ") or \\ (an inner \); other spellings go to the full parse.
                if (i + 1 >= s.Length || (s[i + 1] != Quote && s[i + 1] != Backslash)) return false;
                i += 2;
                return true;
            }

            i++;
            switch (b)
            {
                case (byte)'/': case (byte)'b': case (byte)'f': case (byte)'n': case (byte)'r': case (byte)'t':
                    return true;
                case (byte)'u':
                    if (i + 4 > s.Length || !TryHex(s.Slice(i, 4), out _)) return false;
                    i += 4;
                    return true;
                default:
                    return false; // not an escape JSON knows: the full parse reports it
            }
        }

        /// <summary>Whether the backslash at <paramref name="at"/> starts an escape JSON allows (\" \\ \/ \b \f \n \r \t \uXXXX).</summary>
        internal static bool IsValidEscape(ReadOnlySpan<byte> s, int at)
        {
            if (at + 1 >= s.Length) return false;
            switch (s[at + 1])
            {
                case Quote:
                case Backslash:
                case (byte)'/':
                case (byte)'b':
                case (byte)'f':
                case (byte)'n':
                case (byte)'r':
                case (byte)'t':
                    return true;
                case (byte)'u':
                    return at + 6 <= s.Length && TryHex(s.Slice(at + 2, 4), out _);
                default:
                    return false;
            }
        }

        private static bool ExpectEscapedQuote(ReadOnlySpan<byte> s, ref int i)
        {
            if (i + 1 >= s.Length || s[i] != Backslash || s[i + 1] != Quote) return false;
            i += 2;
            return true;
        }

        private static bool Expect(ReadOnlySpan<byte> s, ref int i, byte b)
        {
            if (i >= s.Length || s[i] != b) return false;
            i++;
            return true;
        }

        private static bool TryHex(ReadOnlySpan<byte> hex, out int value)
        {
            value = 0;
            foreach (byte h in hex)
            {
                int digit = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                if (digit < 0) return false;
                value = value * 16 + digit;
            }

            return true;
        }
    }
}
