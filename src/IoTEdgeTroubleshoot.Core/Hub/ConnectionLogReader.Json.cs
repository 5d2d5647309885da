using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>JSON lines (the storage export, Event Hubs batches a line) and JSON documents (arrays, pretty-printed wrappers).</summary>
    public sealed partial class ConnectionLogReader
    {
        private IEnumerable<IoTHubConnectionEvent> ReadJsonLines(string path, Utf8Input input, Action<long>? progress, CancellationToken cancellationToken)
        {
            var lines = new Utf8LineReader(input.Stream, _lineBuffer ??= new byte[1 << 20], MaxRecordBytes, cancellationToken);
            var parser = Parser;
            var outcomes = new List<RecordOutcome>();
            try
            {
                while (true)
                {
                    ArraySegment<byte> line;
                    if (EventSink != null)
                    {
                        // The analysis: its usual records go to the sink inside this call, which comes back with a line
                        // that needs more than the lean scan (or at the end).
                        if (!PushLeanLines(lines, path, input, progress, parser, cancellationToken, out line)) break;
                    }
                    else
                    {
                        if (!NextLine(lines, path, out line)) break;
                        cancellationToken.ThrowIfCancellationRequested();
                        progress?.Invoke(input.FilePosition);
                    }

                    if (lines.LineTooLong)
                    {
                        ReportTooLong(path, lines.LineNumber, 1, $"The line is longer than {MaxRecordBytes / (1024 * 1024)} MiB, the most a record may have; it was read past, not kept.");
                        continue;
                    }

                    if (IsBlank(line)) continue;
                    outcomes.Clear();
                    bool broken = false;
                    try
                    {
                        parser.ParseValue(line.AsSpan(), _filter, outcomes);
                    }
                    catch (MalformedRecordException)
                    {
                        broken = true;
                    }

                    if (broken)
                    {
                        // Not one whole value: split the line as a document is split, so that the records the damage
                        // spared (in a batch, or after a line break that went missing) are read and the rest reported.
                        foreach (var e in ReadBrokenLine(path, line, lines.LineNumber, cancellationToken)) yield return e;
                        continue;
                    }

                    foreach (var outcome in outcomes)
                    {
                        if (outcome.Error != null) ReportMalformed(path, lines.LineNumber, outcome.Offset + 1, outcome.Error);
                        else if (outcome.Event == null) continue;
                        else if (EventSink != null) Push(Stamp(outcome.Event, path, lines.LineNumber), path);
                        else yield return Stamp(outcome.Event, path, lines.LineNumber);
                    }
                }
            }
            finally
            {
                LastLineCount = lines.LineNumber;
            }

            _lineBuffer = lines.Buffer; // keep a buffer that had to grow
        }

        /// <summary>
        /// The analysis' loop over the lines: each record of the usual shape goes straight to the sink (no outcome list;
        /// filtered ones have no event), blank lines are passed over. Returns true with the first line it cannot take so
        /// (one the lean scan leaves to the full parse, or one too long), false at the end of the input. Not part of
        /// the iterator above: the compiler moves an iterator's body into a generated method that carries no
        /// AggressiveOptimization, so a hot loop there would run as precompiled code that tiered compilation then
        /// recompiles with counting probes (see ByteScan).
        /// </summary>
        [MethodImpl(JitHints.AggressiveOptimization)]
        private bool PushLeanLines(Utf8LineReader lines, string path, Utf8Input input, Action<long>? progress, ConnectionRecordParser parser,
            CancellationToken cancellationToken, out ArraySegment<byte> line)
        {
            while (NextLine(lines, path, out line))
            {
                if (cancellationToken.IsCancellationRequested) cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(input.FilePosition);
                if (lines.LineTooLong) return true;
                if (IsBlank(line)) continue;
                if (!parser.TryParseLean(line.AsSpan(), _filter, out var scanned)) return true;
                if (scanned.Event != null) Push(Stamp(scanned.Event, path, lines.LineNumber), path);
            }

            return false;
        }

        [MethodImpl(JitHints.AggressiveOptimization)] // once per line
        private bool NextLine(Utf8LineReader lines, string path, out ArraySegment<byte> line)
        {
            try
            {
                return lines.TryReadLine(out line);
            }
            catch (IOException ex)
            {
                ReportReadFailure(path, lines.LineNumber + 1, ex);
                line = default;
                return false;
            }
        }

        // Only for broken lines: whole ones are parsed in one go.
        private IEnumerable<IoTHubConnectionEvent> ReadBrokenLine(string path, ArraySegment<byte> line, long lineNumber, CancellationToken cancellationToken)
        {
            var splitter = new StreamingRecordSplitter(new MemoryStream(line.Array!, line.Offset, line.Count, writable: false), 1 << 16, MaxRecordBytes, cancellationToken);
            foreach (var e in ReadElements(path, splitter, null, null, lineNumber - 1, cancellationToken)) yield return e;
        }

        private IEnumerable<IoTHubConnectionEvent> ReadJsonDocument(string path, Utf8Input input, Action<long>? progress, CancellationToken cancellationToken)
        {
            var splitter = new StreamingRecordSplitter(input.Stream, 1 << 20, MaxRecordBytes, cancellationToken);
            return ReadElements(path, splitter, input, progress, 0, cancellationToken);
        }

        // The records a splitter cuts out, each parsed; its problems reported. lineOffset: where its text starts in the file.
        private IEnumerable<IoTHubConnectionEvent> ReadElements(string path, StreamingRecordSplitter splitter, Utf8Input? input, Action<long>? progress,
            long lineOffset, CancellationToken cancellationToken)
        {
            var parser = Parser;
            var outcomes = new List<RecordOutcome>();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                StreamingRecordSplitter.Element element;
                try
                {
                    if (!splitter.TryReadElement(out element)) break;
                }
                catch (IOException ex)
                {
                    ReportReadFailure(path, lineOffset + 1, ex);
                    yield break;
                }

                if (input != null) progress?.Invoke(input.FilePosition);
                long line = lineOffset + element.Line;
                if (element.Error != null)
                {
                    if (element.TooLong) ReportTooLong(path, line, element.Column, element.Error);
                    else ReportMalformed(path, line, element.Column, element.Error);
                    continue;
                }

                outcomes.Clear();
                try
                {
                    parser.ParseValue(element.Bytes.AsSpan(), _filter, outcomes);
                }
                catch (MalformedRecordException ex)
                {
                    var at = PositionIn(element, ex.Offset);
                    ReportMalformed(path, lineOffset + at.Line, at.Column, ex.Message);
                    continue;
                }

                foreach (var outcome in outcomes)
                {
                    if (outcome.Error != null)
                    {
                        var at = PositionIn(element, outcome.Offset);
                        ReportMalformed(path, lineOffset + at.Line, at.Column, outcome.Error);
                    }
                    else if (outcome.Event == null)
                    {
                        continue;
                    }
                    else if (EventSink != null)
                    {
                        Push(Stamp(outcome.Event, path, line), path);
                    }
                    else
                    {
                        yield return Stamp(outcome.Event, path, line);
                    }
                }
            }
        }

        // The line and column of a byte offset within an element, from where the element starts.
        private static (long Line, long Column) PositionIn(StreamingRecordSplitter.Element element, long offset)
        {
            var bytes = element.Bytes;
            int end = (int)Math.Max(0, Math.Min(offset, bytes.Length));
            long line = element.Line;
            int lineStart = -1;
            for (int i = 0; i < end; i++)
            {
                if (bytes[i] != (byte)'\n') continue;
                line++;
                lineStart = i;
            }

            return lineStart < 0 ? (line, element.Column + end) : (line, end - lineStart);
        }
    }
}
