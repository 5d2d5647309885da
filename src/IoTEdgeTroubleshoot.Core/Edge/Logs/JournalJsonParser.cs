using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace IoTEdgeTroubleshoot.Edge.Logs
{
    /// <summary>
    /// One record of 'journalctl -o json' (one JSON object a line). The fields read: MESSAGE (a string; an array
    /// of bytes when it is not UTF-8; an array of strings when the field was logged twice; null when journalctl
    /// left out a large value), __REALTIME_TIMESTAMP (microseconds since 1970, as a string), PRIORITY,
    /// SYSLOG_IDENTIFIER (else _SYSTEMD_UNIT without ".service", else _COMM) and _PID. The message's own
    /// "time [LEVEL] -" prefix, when the daemon wrote one, gives the level and is taken off.
    /// </summary>
    internal static class JournalJsonParser
    {
        /// <summary>
        /// Parses the record; false with a 1-based <paramref name="errorColumn"/> and a reason when it is not one.
        /// <paramref name="isJournal"/> says whether it had a journal field at all (a module may log JSON of its own).
        /// </summary>
        public static bool TryParse(ReadOnlySpan<byte> json, LogLineParser lines, ParsedLine parsed, out int errorColumn, out string? error, out bool isJournal)
        {
            isJournal = false;
            errorColumn = 0;
            error = null;
            string? message = null, identifier = null, unit = null, command = null;
            bool messageWasNull = false;
            long realtime = -1;
            int priority = -1, pid = -1, realtimeColumn = 0;
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            try
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    errorColumn = 1;
                    error = "The line is not a journal record: a JSON object was expected.";
                    return false;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("MESSAGE"))
                    {
                        reader.Read();
                        messageWasNull = reader.TokenType == JsonTokenType.Null;
                        message = ReadText(ref reader);
                    }
                    else if (reader.ValueTextEquals("__REALTIME_TIMESTAMP"))
                    {
                        reader.Read();
                        realtimeColumn = (int)reader.TokenStartIndex + 1;
                        realtime = ReadNumber(ref reader);
                    }
                    else if (reader.ValueTextEquals("PRIORITY"))
                    {
                        reader.Read();
                        priority = (int)Math.Min(int.MaxValue, ReadNumber(ref reader));
                    }
                    else if (reader.ValueTextEquals("_PID"))
                    {
                        reader.Read();
                        pid = (int)Math.Min(int.MaxValue, ReadNumber(ref reader));
                    }
                    else if (reader.ValueTextEquals("SYSLOG_IDENTIFIER"))
                    {
                        reader.Read();
                        identifier = ReadText(ref reader);
                    }
                    else if (reader.ValueTextEquals("_SYSTEMD_UNIT"))
                    {
                        reader.Read();
                        unit = ReadText(ref reader);
                    }
                    else if (reader.ValueTextEquals("_COMM"))
                    {
                        reader.Read();
                        command = ReadText(ref reader);
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }

                isJournal = message != null || messageWasNull || realtimeColumn > 0;
                if (reader.TokenType != JsonTokenType.EndObject)
                {
                    throw new JsonException("the record does not end where it should");
                }
            }
            catch (JsonException ex)
            {
                errorColumn = (int)Math.Min(int.MaxValue - 1, Math.Max(reader.BytesConsumed, ex.BytePositionInLine ?? 0)) + 1;
                error = $"The journal record is not valid JSON ({Trim(ex.Message)}); it was skipped.";
                return false;
            }
            catch (InvalidOperationException ex)
            {
                // A string the reader cannot decode: bytes that are not UTF-8, or an escaped lone surrogate.
                errorColumn = (int)Math.Min(int.MaxValue - 1, reader.TokenStartIndex) + 1;
                error = $"The journal record holds a string that is not text ({Trim(ex.Message)}); it was skipped.";
                return false;
            }

            isJournal = message != null || messageWasNull || realtimeColumn > 0;
            if (!isJournal)
            {
                errorColumn = 1;
                error = "The JSON object has neither MESSAGE nor __REALTIME_TIMESTAMP: it is no journal record.";
                return false;
            }

            parsed.Kind = LineKind.Entry;
            parsed.Source = identifier ?? StripService(unit) ?? command ?? string.Empty;
            if (pid >= 0) parsed.ProcessId = pid;
            if (realtime >= 0 && realtime <= MaxMicroseconds)
            {
                parsed.Time = DateTimeOffset.FromUnixTimeMilliseconds(0).AddTicks(realtime * 10);
            }
            else if (realtimeColumn > 0)
            {
                parsed.TimeProblemColumn = realtimeColumn;
                parsed.TimeProblem = "__REALTIME_TIMESTAMP is not a number of microseconds since 1970; the entry is kept without a time.";
            }

            parsed.Level = priority >= 0 ? LogLevels.FromSyslogPriority(priority) : IoTEdgeLogLevel.Unknown;
            string text = message ?? (messageWasNull ? "(journalctl left the message out: it is larger than its field limit; read it with 'journalctl --all')" : string.Empty);
            var journalTime = parsed.Time;
            var journalLevel = parsed.Level;
            if (lines.ReadOwnPrefix(parsed, text, 0))
            {
                // The journal's own clock is the record's; the daemon's level word is finer than the priority it maps to.
                if (journalTime != null)
                {
                    parsed.Time = journalTime;
                    parsed.TimeProblem = null;
                    parsed.TimeProblemColumn = 0;
                }

                if (parsed.Level == IoTEdgeLogLevel.Unknown) parsed.Level = journalLevel;
            }
            else
            {
                parsed.Message = text;
            }

            parsed.Kind = LineKind.Entry;
            return true;
        }

        // 9999-12-31 in microseconds since 1970: past it a timestamp is damage.
        private const long MaxMicroseconds = 253402300799L * 1000000;

        private static string? StripService(string? unit) =>
            unit == null ? null : unit.EndsWith(".service", StringComparison.Ordinal) ? unit.Substring(0, unit.Length - ".service".Length) : unit;

        private static string Trim(string message)
        {
            int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return (cut > 0 ? message.Substring(0, cut) : message).TrimEnd('.', ' ');
        }

        private static long ReadNumber(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.Number) return reader.TryGetInt64(out long n) ? n : -1;
            if (reader.TokenType != JsonTokenType.String || reader.HasValueSequence) return -1;
            var raw = reader.ValueSpan;
            return Utf8Parser.TryParse(raw, out long value, out int consumed) && consumed == raw.Length && value >= 0 ? value : -1;
        }

        // A string; bytes (an array of numbers, what journalctl writes for a value that is not UTF-8), decoded with
        // replacement characters; or several strings (a field logged twice), one a line.
        private static string? ReadText(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    return reader.GetString();
                case JsonTokenType.Number:
                    return Encoding.UTF8.GetString(reader.ValueSpan.ToArray());
                case JsonTokenType.StartArray:
                    var bytes = new List<byte>();
                    StringBuilder? strings = null;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int b) && b >= 0 && b <= 255)
                        {
                            bytes.Add((byte)b);
                        }
                        else if (reader.TokenType == JsonTokenType.String)
                        {
                            strings ??= new StringBuilder();
                            if (strings.Length > 0) strings.Append('\n');
                            strings.Append(reader.GetString());
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }

                    return strings?.ToString() ?? Encoding.UTF8.GetString(bytes.ToArray());
                default:
                    reader.Skip();
                    return null;
            }
        }
    }
}
