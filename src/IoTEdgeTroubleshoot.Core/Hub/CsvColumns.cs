using System;
using System.Collections.Generic;

using static IoTEdgeTroubleshoot.Platform.TextValues;
namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>
    /// Where each field sits in a Log Analytics portal CSV export of AzureDiagnostics
    /// ("TimeGenerated [UTC]", "OperationName", "Level", "ResultType", "ResultDescription",
    /// "properties_s", "_ResourceId", ...). Header names are matched without case, and a
    /// bracketed suffix such as " [UTC]" is read, not required.
    /// </summary>
    internal sealed class CsvColumns
    {
        private int _resourceId = -1;
        private int _resource = -1;
        private int _operationName = -1;
        private int _category = -1;
        private int _level = -1;
        private int _resultType = -1;
        private int _resultDescription = -1;
        private int _properties = -1;
        private int _location = -1;
        private int _deviceId = -1;

        private CsvColumns(int time, bool timeIsUtc, int fieldCount)
        {
            Time = time;
            TimeIsUtc = timeIsUtc;
            FieldCount = fieldCount;
        }

        public int Time { get; }

        /// <summary>The header's number of fields: every row has as many.</summary>
        public int FieldCount { get; }

        /// <summary>The time column says "[UTC]" (the portal's default); otherwise it holds local times.</summary>
        public bool TimeIsUtc { get; }

        /// <summary>The columns of a header row, or null when it has no time column (not such an export).</summary>
        public static CsvColumns? FromHeader(List<string>? header)
        {
            if (header == null) return null;
            int time = -1;
            bool utc = true;
            var names = new string[header.Count];
            for (int i = 0; i < header.Count; i++)
            {
                string raw = header[i].Trim().TrimStart('\uFEFF');
                string name = raw;
                int bracket = raw.IndexOf('[');
                if (bracket > 0) name = raw.Substring(0, bracket).Trim();
                names[i] = name.ToLowerInvariant();
                if (time < 0 && (names[i] == "timegenerated" || names[i] == "time"))
                {
                    time = i;
                    utc = bracket < 0 || raw.IndexOf("UTC", bracket, StringComparison.OrdinalIgnoreCase) >= 0;
                }
            }

            if (time < 0) return null;
            var columns = new CsvColumns(time, utc, header.Count);
            for (int i = 0; i < names.Length; i++)
            {
                switch (names[i])
                {
                    // ResourceId is upper-case, as in the storage export; _ResourceId is the lower-case copy.
                    case "resourceid": columns._resourceId = i; break;
                    case "_resourceid": if (columns._resourceId < 0) columns._resourceId = i; break;
                    case "resource": columns._resource = i; break;
                    case "operationname": columns._operationName = i; break;
                    case "category": columns._category = i; break;
                    case "level": columns._level = i; break;
                    case "resulttype": columns._resultType = i; break;
                    case "resultdescription": columns._resultDescription = i; break;
                    case "properties_s": columns._properties = i; break;
                    case "properties": if (columns._properties < 0) columns._properties = i; break;
                    case "location": columns._location = i; break;
                    case "deviceid_s":
                    case "deviceid": columns._deviceId = i; break;
                }
            }

            return columns;
        }

        public IoTHubConnectionEvent ToEvent(List<string> row, ExportTimeParser timeParser, ConnectionRecordParser parser)
        {
            string timeText = Get(row, Time);
            if (timeText.Length == 0) throw new MalformedRecordException("The row has no TimeGenerated value.", 0) { CsvField = Time };
            if (!timeParser.TryParse(timeText, out var time))
            {
                throw new MalformedRecordException($"The TimeGenerated value '{ConnectionRecordParser.Shorten(timeText)}' is not a date this module can read.", 0) { CsvField = Time };
            }

            var e = new IoTHubConnectionEvent
            {
                TimeGenerated = time,
                ResourceId = Get(row, _resourceId),
                OperationName = Get(row, _operationName),
                Category = Get(row, _category),
                Level = Get(row, _level),
                ResultType = Get(row, _resultType),
                ResultDescription = Get(row, _resultDescription),
                Location = NullIfEmpty(Get(row, _location)),
            };
            string resource = Get(row, _resource);
            e.HubName = resource.Length > 0 ? resource : ConnectionRecordParser.HubNameOf(e.ResourceId);
            try
            {
                parser.ApplyPropertiesJson(Get(row, _properties), e);
            }
            catch (MalformedRecordException ex)
            {
                ex.CsvField = _properties;
                throw;
            }

            if (e.DeviceId.Length == 0) e.DeviceId = Get(row, _deviceId);
            return e;
        }

        private static string Get(List<string> row, int index) => index >= 0 && index < row.Count ? row[index] : string.Empty;
    }
}
