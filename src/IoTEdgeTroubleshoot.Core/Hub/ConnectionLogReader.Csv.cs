using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>Log Analytics portal CSV exports: two passes (the day/month order first), rows a stray quote ran on read again.</summary>
    public sealed partial class ConnectionLogReader
    {
        // CSV text is decoded with a mark for bytes that are not UTF-8 (a noncharacter, never in a real export),
        // so that the row holding them is reported, not read with replacement characters.
        private const char NotUtf8Mark = '\uFFFF';
        private static readonly Encoding CsvEncoding = CreateCsvEncoding();

        private IEnumerable<IoTHubConnectionEvent> ReadCsv(string path, Utf8Input input, Func<Utf8Input> open, Action<long>? progress, CancellationToken cancellationToken)
        {
            // First pass over the time column only: learn the file's day/month order (exports are small).
            var timeParser = LearnDateOrder(path, open, cancellationToken, out var columns);
            if (timeParser == null || columns == null) yield break;

            if (!columns.TimeIsUtc)
            {
                _reporter.Warning($"The time column of '{path}' is not marked [UTC]; its times are read as this computer's local time.");
            }

            if (timeParser.AmbiguousExample is string example)
            {
                string other = timeParser.EffectiveOrder == DateOrder.DayFirst ? nameof(DateOrder.MonthFirst) : nameof(DateOrder.DayFirst);
                _reporter.Warning($"Every date of '{path}' reads both ways, day/month or month/day (such as '{example}'): they were read "
                    + (timeParser.EffectiveOrder == DateOrder.DayFirst ? "day first (dd/MM)" : "month first (MM/dd)")
                    + $", the order of this computer's culture ({timeParser.CultureName}). If the browser that exported the file used the other order, read it again with -DateOrder {other}.");
            }

            var csv = new CsvReader(new StreamReader(input.Stream, CsvEncoding, detectEncodingFromByteOrderMarks: false), ',', MaxRecordBytes, cancellationToken);
            var parser = Parser;
            NextCsvRow(csv, path, columns.FieldCount, out _); // header
            List<string>? fields;
            while ((fields = NextCsvRow(csv, path, columns.FieldCount, out var state)) != null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(input.FilePosition);
                if (state == CsvRowState.Blank) continue;
                long line = csv.RowLine;
                switch (state)
                {
                    case CsvRowState.TooLong:
                        ReportTooLong(path, line, 1, $"The row is longer than {MaxRecordBytes / (1024 * 1024)} MiB, the most a record may have; it was read past, not kept.");
                        continue;
                    case CsvRowState.UnterminatedQuote:
                        ReportMalformed(path, csv.OpenQuote.Line, csv.OpenQuote.Column, "The quote opened here is never closed (is the file truncated, or a quote missing?).");
                        continue;
                    case CsvRowState.WrongFieldCount:
                        ReportMalformed(path, line, 1, $"The row has {fields.Count} fields where the header has {columns.FieldCount} (a quote or a comma missing, or one too many?).");
                        continue;
                }

                int notUtf8 = fields.FindIndex(f => f.IndexOf(NotUtf8Mark) >= 0);
                if (notUtf8 >= 0)
                {
                    var at = csv.StartOf(notUtf8);
                    ReportMalformed(path, at.Line, at.Column, "The row holds bytes that are not UTF-8: the file is damaged, or was saved in another encoding.");
                    continue;
                }

                IoTHubConnectionEvent e;
                try
                {
                    e = columns.ToEvent(fields, timeParser, parser);
                }
                catch (MalformedRecordException ex)
                {
                    var at = ex.CsvField >= 0 ? csv.StartOf(ex.CsvField) : new FieldStart(line, ex.Offset + 1);
                    ReportMalformed(path, at.Line, at.Column, ex.Message);
                    continue;
                }

                if (!_filter.Accepts(e)) continue;
                if (EventSink != null) Push(Stamp(e, path, line), path);
                else yield return Stamp(e, path, line);
            }
        }

        // The header, then the time column of every whole row: the order of day and month, unless the user gave it.
        private ExportTimeParser? LearnDateOrder(string path, Func<Utf8Input> open, CancellationToken cancellationToken, out CsvColumns? columns)
        {
            columns = null;
            Utf8Input? learnInput = OpenOrReport(path, open);
            if (learnInput == null) return null;
            using (learnInput)
            {
                var learner = new CsvReader(new StreamReader(learnInput.Stream, CsvEncoding, detectEncodingFromByteOrderMarks: false), ',', MaxRecordBytes, cancellationToken);
                columns = CsvColumns.FromHeader(NextCsvRow(learner, path, int.MaxValue, out _));
                if (columns == null)
                {
                    _reporter.Problem(new Problem(ErrorIds.UnrecognizedLogFile, ProblemKind.InvalidData, path,
                        $"'{path}' is neither JSON nor a Log Analytics CSV export with a TimeGenerated column; it was skipped.",
                        position: new FilePosition(path, 1, 1)));
                    return null;
                }

                var timeParser = new ExportTimeParser(columns.TimeIsUtc, order: _filter.DateOrder);
                List<string>? row;
                while (!timeParser.DayFirst.HasValue && (row = NextCsvRow(learner, path, columns.FieldCount, out var state)) != null)
                {
                    if (state == CsvRowState.Whole) timeParser.Learn(row[columns.Time]);
                }

                return timeParser;
            }
        }

        private enum CsvRowState
        {
            Whole,
            Blank,
            TooLong,
            UnterminatedQuote,
            WrongFieldCount,
        }

        /// <summary>
        /// The next row and whether it is whole. A row that a stray quote carried across lines is given back
        /// broken, and the reader goes on from its second line: one broken quote costs one row, not the file.
        /// Both passes over a CSV cut it the same way through here.
        /// </summary>
        private List<string>? NextCsvRow(CsvReader csv, string path, int fieldCount, out CsvRowState state)
        {
            state = CsvRowState.Whole;
            List<string>? row;
            try
            {
                row = csv.ReadRow();
            }
            catch (IOException ex)
            {
                ReportReadFailure(path, csv.RowLine + 1, ex);
                return null;
            }

            if (row == null) return null;
            if (csv.RowTooLong) state = CsvRowState.TooLong;
            else if (row.Count == 1 && row[0].Length == 0 && !csv.UnterminatedQuote) state = CsvRowState.Blank;
            else if (csv.UnterminatedQuote) state = CsvRowState.UnterminatedQuote;
            else if (fieldCount != int.MaxValue && row.Count != fieldCount) state = CsvRowState.WrongFieldCount;

            if ((state == CsvRowState.UnterminatedQuote || state == CsvRowState.WrongFieldCount) && csv.RowSpansLines) csv.RereadFromSecondLine();
            return row;
        }

        private static Encoding CreateCsvEncoding()
        {
            var encoding = (Encoding)new UTF8Encoding(false).Clone();
            encoding.DecoderFallback = new DecoderReplacementFallback(NotUtf8Mark.ToString());
            return encoding;
        }
    }
}
