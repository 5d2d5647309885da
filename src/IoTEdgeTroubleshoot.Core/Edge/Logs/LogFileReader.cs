using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Logs
{
    /// <summary>
    /// Reads saved IoT Edge logs, each line by its own form: 'journalctl -o json' records, journalctl text
    /// (short and short-iso), the daemons' and the modules' own lines ('iotedge logs', 'docker logs', a support
    /// bundle's logs/*.txt). A path is a file, a folder (its *.log, *.txt, *.json and *.jsonl files, a few
    /// levels down), or a support bundle .zip (its log entries). Streamed: one entry and one line at a time.
    /// A line that cannot be read (not text, broken JSON, a time that is no time, longer than
    /// <see cref="MaxLineBytes"/>) is a problem at file:line:column, and the reading goes on.
    /// </summary>
    public sealed class LogFileReader
    {
        /// <summary>The longest line kept: a journal record with a large message is a few KB, a folded one 64 KB.</summary>
        public const int MaxLineBytes = 4 * 1024 * 1024;

        /// <summary>Past this many damaged lines a file's others are counted, not reported one by one.</summary>
        public const int MaxProblemsPerFile = 1000;

        private const int MaxFolderDepth = 8;

        private static readonly string[] LogExtensions = { ".log", ".txt", ".json", ".jsonl" };

        private readonly IReporter _reporter;
        private readonly CancellationToken _cancellation;
        private byte[] _buffer = new byte[1 << 16];
        private int _problemsInFile;

        public LogFileReader(IReporter reporter, CancellationToken cancellation)
        {
            _reporter = reporter;
            _cancellation = cancellation;
        }

        /// <summary>The source of entries whose lines name none; null: the file's name (edgeAgent_log.txt → edgeAgent).</summary>
        public string? Source { get; set; }

        /// <summary>Lines that could not be read, over every file.</summary>
        public long DamagedLines { get; private set; }

        /// <summary>Reads a file, folder or support bundle; each entry goes through <paramref name="window"/> as soon as it is whole.</summary>
        public void Read(string path, LogWindow window)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in FilesIn(path)) ReadFile(file, window);
                return;
            }

            if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)) ReadBundle(path, window);
            else ReadFile(path, window);
        }

        /// <summary>The source a file's name gives: edgeAgent_log.txt, edgeHub.log, aziot-edged.txt.</summary>
        public static string SourceFromFileName(string path)
        {
            string name = Path.GetFileName(path);
            int dot = name.IndexOf('.');
            if (dot > 0) name = name.Substring(0, dot);
            foreach (var suffix in new[] { "_logs", "-logs", "_log", "-log" })
            {
                if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return name.Substring(0, name.Length - suffix.Length);
            }

            return name;
        }

        private void ReadFile(string path, LogWindow window)
        {
            _cancellation.ThrowIfCancellationRequested();
            if (LogFileFinder.NotRegular(path) is string why)
            {
                _reporter.Warning($"'{path}' {why}: it was not read.");
                return;
            }

            Utf8Input input;
            DateTime saved;
            try
            {
                input = Utf8Input.Open(path);
                saved = File.GetLastWriteTime(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                _reporter.Problem(ConnectionLogReader.OpenFailure(path, ex));
                return;
            }

            using (input)
            {
                _reporter.Verbose($"Reading '{path}'.");
                ReadStream(path, input.Stream, saved, window);
            }
        }

        private void ReadBundle(string path, LogWindow window)
        {
            ZipArchive zip;
            try
            {
                zip = new ZipArchive(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), ZipArchiveMode.Read);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                _reporter.Problem(ConnectionLogReader.OpenFailure(path, ex));
                return;
            }
            catch (InvalidDataException ex)
            {
                _reporter.Problem(new Problem(ErrorIds.UnrecognizedLogFile, ProblemKind.InvalidData, path,
                    $"'{path}' is named like a support bundle but is not a zip archive ({ex.Message}); unzip it and pass the logs folder.", ex));
                return;
            }

            using (zip)
            {
                var entries = zip.Entries
                    .Where(e => e.Length > 0 && LogExtensions.Contains(Path.GetExtension(e.FullName), StringComparer.OrdinalIgnoreCase))
                    .OrderBy(e => e.FullName, StringComparer.Ordinal)
                    .ToList();

                // A bundle that keeps its logs under logs/ (iotedge support-bundle, Export-IoTEdgeSupportBundle): its other
                // files (check results, container settings, summary.txt) are no logs, unless named like one (edgeAgent_log.txt).
                if (entries.Any(e => e.FullName.StartsWith("logs/", StringComparison.Ordinal)))
                {
                    entries = entries.Where(e => e.FullName.StartsWith("logs/", StringComparison.Ordinal) || NamedLikeALog(e.FullName)).ToList();
                }
                if (entries.Count == 0) _reporter.Warning($"'{path}' holds no log files (*.log, *.txt, *.json): is it an IoT Edge support bundle?");
                foreach (var entry in entries)
                {
                    string shown = path + "!" + entry.FullName;
                    try
                    {
                        using var stream = entry.Open();
                        _reporter.Verbose($"Reading '{shown}'.");
                        ReadStream(shown, stream, entry.LastWriteTime.LocalDateTime, window);
                    }
                    catch (InvalidDataException ex)
                    {
                        _reporter.Problem(new Problem(ErrorIds.LogFileUnreadable, ProblemKind.ReadError, shown, $"Cannot read '{shown}': {ex.Message}", ex));
                    }
                }
            }
        }

        // edgeAgent_log.txt, aziot-edged-logs.txt, edgeHub.log: a name that says log.
        private static bool NamedLikeALog(string entry) =>
            entry.EndsWith(".log", StringComparison.OrdinalIgnoreCase) || !string.Equals(SourceFromFileName(entry), Path.GetFileName(entry).Split('.')[0], StringComparison.Ordinal);

        /// <summary>Reads one log stream as the file <paramref name="path"/> (tests pass streams).</summary>
        internal void ReadStream(string path, Stream stream, DateTime saved, LogWindow window)
        {
            _problemsInFile = 0;
            var assembler = new LogEntryAssembler(new LogLineParser(saved), Source ?? SourceFromFileName(path.Substring(path.LastIndexOf('!') + 1)), path, window.Add,
                (line, column, message) => Report(new Problem(ErrorIds.MalformedLogRecord, ProblemKind.InvalidData, path, message, position: new FilePosition(path, line, column))));
            var lines = new Utf8LineReader(stream, _buffer, MaxLineBytes, _cancellation);
            try
            {
                while (lines.TryReadLine(out var line))
                {
                    if (lines.LineTooLong)
                    {
                        Report(new Problem(ErrorIds.LogRecordTooLong, ProblemKind.InvalidData, path,
                            $"The line is longer than {MaxLineBytes / (1024 * 1024)} MiB, longer than any log line; it was read past, not kept.", position: new FilePosition(path, lines.LineNumber, 1)));
                        continue;
                    }

                    var bytes = line.AsSpan();
                    if (bytes.Length == 0) continue;
                    int first = 0;
                    while (first < bytes.Length && (bytes[first] == ' ' || bytes[first] == '\t')) first++;
                    if (first < bytes.Length && bytes[first] == '{')
                    {
                        assembler.AddJson(bytes, lines.LineNumber);
                        continue;
                    }

                    int bad = bytes.IndexOf((byte)0);
                    if (bad < 0) bad = Utf8Validation.IndexOfInvalid(bytes);
                    if (bad >= 0)
                    {
                        Report(new Problem(ErrorIds.MalformedLogRecord, ProblemKind.InvalidData, path,
                            "The line is not UTF-8 text (binary data, or another encoding); it was skipped.", position: new FilePosition(path, lines.LineNumber, bad + 1)));
                        continue;
                    }

                    assembler.AddLine(Encoding.UTF8.GetString(line.Array!, line.Offset, line.Count), lines.LineNumber);
                }
            }
            catch (IOException ex)
            {
                _reporter.Problem(new Problem(ErrorIds.LogFileUnreadable, ProblemKind.ReadError, path,
                    $"Reading stopped: {ex.Message} The rest of the file was not read.", ex, new FilePosition(path, Math.Max(1, lines.LineNumber), 1)));
            }
            finally
            {
                _buffer = lines.Buffer;
            }

            assembler.Complete();
            window.Complete();
            if (_problemsInFile > MaxProblemsPerFile) _reporter.Verbose($"'{path}': {_problemsInFile} damaged lines in all.");
        }

        private void Report(Problem problem)
        {
            DamagedLines++;
            if (++_problemsInFile <= MaxProblemsPerFile) _reporter.Problem(problem);
            else if (_problemsInFile == MaxProblemsPerFile + 1)
            {
                _reporter.Warning($"'{problem.Target}' has more than {MaxProblemsPerFile} lines that cannot be read: the others are skipped without an error each. Is it an IoT Edge log?");
            }
        }

        // A folder's log files, a few levels down (a support bundle unzipped, a folder of saved logs); links to
        // folders are not followed, so a loop cannot hold the search.
        private IEnumerable<string> FilesIn(string folder)
        {
            var pending = new Stack<(string Path, int Depth)>();
            pending.Push((folder, 0));
            var files = new List<string>();
            while (pending.Count > 0)
            {
                _cancellation.ThrowIfCancellationRequested();
                var (current, depth) = pending.Pop();
                try
                {
                    var info = new DirectoryInfo(current);
                    files.AddRange(info.GetFiles().Where(f => LogExtensions.Contains(f.Extension, StringComparer.OrdinalIgnoreCase)).Select(f => f.FullName));
                    if (depth < MaxFolderDepth)
                    {
                        foreach (var sub in info.GetDirectories().Where(d => (d.Attributes & FileAttributes.ReparsePoint) == 0)) pending.Push((sub.FullName, depth + 1));
                    }
                }
                catch (Exception ex) when (ex is UnauthorizedAccessException || ex is IOException || ex is System.Security.SecurityException)
                {
                    _reporter.Problem(LogFileFinder.FolderFailure(current, ex));
                }
            }

            files.Sort(StringComparer.Ordinal);
            if (files.Count == 0) _reporter.Warning($"'{folder}' holds no log files (*.log, *.txt, *.json, *.jsonl).");
            return files;
        }
    }
}
