using System;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>What became of one record: an event, filtered out, or malformed.</summary>
    internal readonly struct RecordOutcome
    {
        private RecordOutcome(IoTHubConnectionEvent? e, string? error, long offset)
        {
            Event = e;
            Error = error;
            Offset = offset;
        }

        public static RecordOutcome Filtered => default;

        public IoTHubConnectionEvent? Event { get; }

        public string? Error { get; }

        /// <summary>Byte offset of the malformed record within the value that was parsed.</summary>
        public long Offset { get; }

        public static RecordOutcome Parsed(IoTHubConnectionEvent e) => new RecordOutcome(e, null, 0);

        public static RecordOutcome Malformed(string error, long offset) => new RecordOutcome(null, error, offset);
    }

    internal sealed class MalformedRecordException : Exception
    {
        public MalformedRecordException(string message, long offset)
            : base(message)
        {
            Offset = offset;
        }

        public long Offset { get; }

        /// <summary>For a CSV row: the index of the field at fault (-1: the row).</summary>
        public int CsvField { get; set; } = -1;
    }
}
