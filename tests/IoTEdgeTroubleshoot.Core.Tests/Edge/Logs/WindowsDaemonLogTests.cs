using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Logs
{
    /// <summary>
    /// The Windows daemon log's mapping, without Windows: events to entries, and the event log's failures to
    /// errors (the guide's EventLogException becomes DaemonEventLogUnavailable naming Repair-IoTEdgeEventLog).
    /// </summary>
    public class WindowsDaemonLogTests
    {
        /// <summary>Named like the real one: the mapping goes by the exception's type name, which it cannot reference here.</summary>
        private sealed class EventLogException : Exception
        {
            public EventLogException(string message)
                : base(message)
            {
            }
        }

        private sealed class FakeEventLog : IWindowsEventLog
        {
            public Func<IEnumerable<WindowsEventRecord>> Events { get; set; } = Array.Empty<WindowsEventRecord>;

            public (string Provider, DateTimeOffset? Start, DateTimeOffset? End, int? Max)? Asked { get; private set; }

            public IEnumerable<WindowsEventRecord> Read(string providerName, DateTimeOffset? start, DateTimeOffset? end, int? maxEvents, CancellationToken cancellationToken)
            {
                Asked = (providerName, start, end, maxEvents);
                return Events();
            }
        }

        private static WindowsEventRecord Event(int minute, int level, string message) => new WindowsEventRecord
        {
            TimeCreated = new DateTimeOffset(2026, 5, 20, 10, minute, 0, TimeSpan.Zero),
            Level = level,
            ProcessId = 4711,
            Message = message,
            ProviderName = "iotedged",
        };

        [Fact]
        public void Events_AreEntries_OldestFirst_WithTheirLevels()
        {
            var log = new FakeEventLog { Events = () => new[] { Event(3, 2, "Could not start module edgeHub"), Event(2, 3, "Retrying"), Event(1, 4, "Starting Azure IoT Edge Security Daemon\r\n") } };

            var entries = WindowsDaemonLog.Read(log, null, null, null, CancellationToken.None);

            Assert.Equal("iotedged", log.Asked!.Value.Provider);
            Assert.Equal(new[] { IoTEdgeLogLevel.Information, IoTEdgeLogLevel.Warning, IoTEdgeLogLevel.Error }, entries.Select(e => e.Level));
            Assert.Equal("Starting Azure IoT Edge Security Daemon", entries[0].Message);
            Assert.All(entries, e => Assert.Equal((4711, "iotedged"), (e.ProcessId!.Value, e.Source)));
        }

        [Fact]
        public void Tail_AsksForThatManyEvents_AndKeepsTheNewest()
        {
            var log = new FakeEventLog { Events = () => new[] { Event(9, 4, "newest"), Event(8, 4, "older") } };
            var start = new DateTimeOffset(2026, 5, 20, 0, 0, 0, TimeSpan.Zero);

            var entries = WindowsDaemonLog.Read(log, start, null, 1, CancellationToken.None);

            Assert.Equal((start, 1), (log.Asked!.Value.Start!.Value, log.Asked.Value.Max!.Value));
            Assert.Equal("newest", Assert.Single(entries).Message);
        }

        [Fact]
        public void AMessageWithTheDaemonsPrefix_TakesItsLevel()
        {
            var entry = WindowsDaemonLog.ToEntry(Event(1, 4, "2026-05-20T10:01:00Z [ERR!] - Error: could not pull"));

            Assert.Equal(IoTEdgeLogLevel.Error, entry.Level);
            Assert.Equal("Error: could not pull", entry.Message);
        }

        [Fact]
        public void EventLogException_IsDaemonEventLogUnavailable_NamingRepairIoTEdgeEventLog()
        {
            var log = new FakeEventLog { Events = () => throw new EventLogException("The specified channel could not be found.") };

            var ex = Assert.Throws<TroubleshootException>(() => WindowsDaemonLog.Read(log, null, null, null, CancellationToken.None));

            Assert.Equal(ErrorIds.DaemonEventLogUnavailable, ex.ErrorId);
            Assert.Equal(ProblemKind.ObjectNotFound, ex.Kind);
            Assert.Contains("Repair-IoTEdgeEventLog", ex.Message);
            Assert.Contains(@"EventLog\Application\iotedged", ex.Message);
            Assert.IsType<EventLogException>(ex.InnerException);
        }

        [Fact]
        public void GetWinEventsNoProvider_Wrapped_IsTheSameError()
        {
            var inner = new Exception("There is not an event provider on the localhost computer that matches \"iotedged\".");
            var log = new FakeEventLog { Events = () => throw new InvalidOperationException("Get-WinEvent failed", inner) };

            var ex = Assert.Throws<TroubleshootException>(() => WindowsDaemonLog.Read(log, null, null, null, CancellationToken.None));

            Assert.Equal(ErrorIds.DaemonEventLogUnavailable, ex.ErrorId);
        }

        [Fact]
        public void NoEventsInTheRange_IsAnEmptyAnswer()
        {
            var log = new FakeEventLog { Events = () => throw new Exception("No events were found that match the specified selection criteria.") };

            Assert.Empty(WindowsDaemonLog.Read(log, null, null, null, CancellationToken.None));
        }

        [Fact]
        public void AccessDenied_SaysToRunElevated()
        {
            var log = new FakeEventLog { Events = () => throw new UnauthorizedAccessException("Attempted to perform an unauthorized operation.") };

            var ex = Assert.Throws<TroubleshootException>(() => WindowsDaemonLog.Read(log, null, null, null, CancellationToken.None));

            Assert.Equal(ErrorIds.NativeToolAccessDenied, ex.ErrorId);
            Assert.Contains("elevated", ex.Message);
        }

        [Fact]
        public void AnyOtherFailure_IsNotDisguised()
        {
            var log = new FakeEventLog { Events = () => throw new FormatException("something else") };

            Assert.Throws<FormatException>(() => WindowsDaemonLog.Read(log, null, null, null, CancellationToken.None));
        }
    }
}
