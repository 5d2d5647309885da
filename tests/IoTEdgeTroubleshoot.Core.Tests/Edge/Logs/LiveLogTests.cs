using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Platform;
using Xunit;
using static IoTEdgeTroubleshoot.Tests.Edge.Logs.LogReading;

namespace IoTEdgeTroubleshoot.Tests.Edge.Logs
{
    /// <summary>journalctl and iotedge logs as the commands run them: the argument lists, and lines parsed as they arrive.</summary>
    public class LiveLogTests
    {
        /// <summary>A runner that answers with fixture lines through the output callback, one at a time, and records the call.</summary>
        private sealed class StreamingRunner : IProcessRunner
        {
            private readonly string[] _lines;
            private readonly int _exitCode;
            private readonly string _error;

            public StreamingRunner(IEnumerable<string> lines, int exitCode = 0, string error = "")
            {
                _lines = lines.ToArray();
                _exitCode = exitCode;
                _error = error;
            }

            public List<(string Executable, IReadOnlyList<string> Arguments)> Calls { get; } = new List<(string, IReadOnlyList<string>)>();

            public List<int> EntriesSeenAtEachLine { get; } = new List<int>();

            public Func<int>? EntriesSoFar { get; set; }

            public string? Find(string executable) => "/usr/bin/" + executable;

            public ProcessResult Run(string executable, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default, Action<string>? outputLine = null)
            {
                Calls.Add((executable, arguments));
                foreach (var line in _lines)
                {
                    outputLine!(line);
                    if (EntriesSoFar != null) EntriesSeenAtEachLine.Add(EntriesSoFar());
                }

                return new ProcessResult(_exitCode, string.Empty, _error);
            }
        }

        [Fact]
        public void JournalArguments_AreSeparateValues_ForEveryUnit_WithEpochTimesAndCount()
        {
            var start = new DateTimeOffset(2026, 7, 20, 10, 0, 0, TimeSpan.Zero);
            var args = LiveLogReader.JournalArguments(new[] { "aziot-edged", "aziot-identityd" }, start, start.AddHours(1), 50);

            Assert.Equal(new[] { "-u", "aziot-edged", "-u", "aziot-identityd", "-o", "json", "--no-pager", "--all", "--since", "@1784541600", "--until", "@1784545200", "-n", "50" }, args);
            Assert.Equal(new[] { "-u", "iotedge", "-o", "json", "--no-pager", "--all" }, LiveLogReader.JournalArguments(new[] { "iotedge" }, null, null, null));
        }

        [Fact]
        public void ReadJournal_1_2_AsksForTheFiveUnits_AndHandsEachEntryOnBeforeTheNextLineIsRead()
        {
            var entries = new List<IoTEdgeLogEntry>();
            var runner = new StreamingRunner(File.ReadAllLines(Fixture("journal-1.5.json"))) { EntriesSoFar = () => entries.Count };
            var reader = new LiveLogReader(new NativeTool(runner), new CollectingReporter());

            reader.ReadJournal(EdgeGeneration.V1_2, null, null, null, entries.Add, CancellationToken.None);

            var call = Assert.Single(runner.Calls);
            Assert.Equal("/usr/bin/journalctl", call.Executable);
            Assert.Equal(new[] { "aziot-edged", "aziot-identityd", "aziot-keyd", "aziot-certd", "aziot-tpmd" }, call.Arguments.Where((a, i) => i > 0 && call.Arguments[i - 1] == "-u"));
            Assert.Equal(8, entries.Count);
            Assert.Equal(6, runner.EntriesSeenAtEachLine[6]); // streamed: line 7 arrived, entry 6 already out
        }

        [Fact]
        public void ReadJournal_NotSeeingOtherUsersMessages_IsAWarning_AndTheEntriesStillCome()
        {
            var reporter = new CollectingReporter();
            var entries = new List<IoTEdgeLogEntry>();
            var runner = new StreamingRunner(File.ReadAllLines(Fixture("journal-1.1.json")), 0,
                "Hint: You are currently not seeing messages from other users and the system.\n      Users in groups 'adm', 'systemd-journal' can see all messages.");

            new LiveLogReader(new NativeTool(runner, reporter), reporter).ReadJournal(EdgeGeneration.V1_1, null, null, 5, entries.Add, CancellationToken.None);

            Assert.Equal(new[] { "-u", "iotedge", "-o", "json", "--no-pager", "--all", "-n", "5" }, runner.Calls.Single().Arguments);
            Assert.Contains(reporter.Warnings, w => w.Contains("systemd-journal"));
            Assert.NotEmpty(entries);
        }

        [Fact]
        public void ReadJournal_AFailingJournalctl_IsNativeToolFailed_NamingTheUnitsToCheck()
        {
            var runner = new StreamingRunner(Array.Empty<string>(), 1, "Failed to add filter for units: No data available");

            var ex = Assert.Throws<TroubleshootException>(() => new LiveLogReader(new NativeTool(runner), new CollectingReporter())
                .ReadJournal(EdgeGeneration.V1_1, null, null, null, _ => { }, CancellationToken.None));

            Assert.Equal(ErrorIds.NativeToolFailed, ex.ErrorId);
            Assert.Contains("systemctl status iotedge", ex.Message);
        }

        [Fact]
        public void ReadJournal_GarbageLines_AreProblemsAtTheirLine_NeverEntries()
        {
            var reporter = new CollectingReporter();
            var entries = new List<IoTEdgeLogEntry>();
            var good = File.ReadAllLines(Fixture("journal-1.5.json"))[0];
            var runner = new StreamingRunner(new[] { "not json at all", good, "[1,2]", "{\"unrelated\":true}", "", "{\"MESSAGE\":\"cut", "\u001b[31mred" });

            new LiveLogReader(new NativeTool(runner, reporter), reporter).ReadJournal(EdgeGeneration.V1_2, null, null, null, entries.Add, CancellationToken.None);

            Assert.Equal("Starting service...", Assert.Single(entries).Message);
            Assert.Equal(new[] { 1, 3, 4, 6, 7 }, reporter.Problems.Select(p => int.Parse(p.Message.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)));
            Assert.All(reporter.Problems, p => Assert.Equal(ErrorIds.MalformedLogRecord, p.ErrorId));
            Assert.StartsWith("Line 1 of journalctl's output, column 1: The line is not a journal record", reporter.Problems[0].Message);
        }

        [Fact]
        public void ModuleLogs_ArgumentsAndSource_AndStackTracesFolded()
        {
            var since = new DateTimeOffset(2026, 7, 20, 15, 40, 0, TimeSpan.FromHours(5.5));
            var entries = new List<IoTEdgeLogEntry>();
            var runner = new StreamingRunner(File.ReadAllLines(Fixture("edgeHub_log.txt")));

            new LiveLogReader(new NativeTool(runner), new CollectingReporter()).ReadModule("edgeHub", 100, since, null, entries.Add, CancellationToken.None);

            Assert.Equal(new[] { "logs", "edgeHub", "--tail", "100", "--since", "2026-07-20T10:10:00Z" }, runner.Calls.Single().Arguments);
            Assert.Equal(6, entries.Count);
            Assert.All(entries, e => Assert.Equal("edgeHub", e.Source));
            Assert.Contains("SocketException (111)", entries[2].Message);
        }

        [Fact]
        public void ModuleLogs_AMissingIotedge_IsNativeToolNotFound()
        {
            var ex = Assert.Throws<TroubleshootException>(() => new LiveLogReader(new NativeTool(new MissingRunner()), new CollectingReporter())
                .ReadModule("edgeHub", null, null, null, _ => { }, CancellationToken.None));

            Assert.Equal(ErrorIds.NativeToolNotFound, ex.ErrorId);
        }

        private sealed class MissingRunner : IProcessRunner
        {
            public string? Find(string executable) => null;

            public ProcessResult Run(string executable, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default, Action<string>? outputLine = null) =>
                throw new InvalidOperationException("not found, never run");
        }
    }
}
