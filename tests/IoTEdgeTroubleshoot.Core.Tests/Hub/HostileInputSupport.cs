using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using IoTEdgeTroubleshoot.Platform;
using IoTEdgeTroubleshoot.Tests.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    /// <summary>Hostile files and streams, built at run time.</summary>
    internal static class Hostile
    {
        /// <summary>The UTF-8 of <paramref name="text"/> with <paramref name="marker"/> replaced by raw bytes (which need not be UTF-8).</summary>
        public static byte[] Bytes(string text, string marker, params byte[] raw)
        {
            int at = text.IndexOf(marker, StringComparison.Ordinal);
            Assert.True(at >= 0, $"'{marker}' is not in the text");
            return Encoding.UTF8.GetBytes(text.Substring(0, at)).Concat(raw).Concat(Encoding.UTF8.GetBytes(text.Substring(at + marker.Length))).ToArray();
        }

        public static string WriteBytes(this TempFolder dir, string relative, params byte[][] lines)
        {
            string full = Path.Combine(dir.Path, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            using var file = File.Create(full);
            foreach (var line in lines)
            {
                file.Write(line);
                file.WriteByte((byte)'\n');
            }

            return full;
        }

        public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

        /// <summary>What the tests compare: the fields both parses keep.</summary>
        public static string Fields(IoTHubConnectionEvent e) =>
            $"{e.TimeGenerated:o}|{e.DeviceId}|{e.ModuleId}|{e.OperationName}|{e.Level}|{e.ResultType}|{e.Category}|{e.Protocol}|{e.AddressHashValue}|{e.SdkVersion}";

        public static List<IoTHubConnectionEvent> ReadFull(IReadOnlyList<string> files, CollectingReporter reporter, ConnectionEventFilter? filter = null) =>
            new ConnectionLogReader(filter ?? new ConnectionEventFilter(), reporter).ReadFiles(files, CancellationToken.None).ToList();

        /// <summary>The analysis' reader (events are reused, so their fields are taken at once).</summary>
        public static List<string> ReadLean(IReadOnlyList<string> files, CollectingReporter reporter, ConnectionEventFilter? filter = null) =>
            new ConnectionLogReader(filter ?? new ConnectionEventFilter(), reporter, lean: true).ReadFiles(files, CancellationToken.None).Select(Fields).ToList();

        /// <summary>Get-IoTHubDisconnectDiagnosis -Path's way: the lean reader on several threads.</summary>
        public static DisconnectAnalyzer Analyze(IReadOnlyList<string> files, CollectingReporter reporter, ConnectionEventFilter? filter = null)
        {
            var analyzer = new DisconnectAnalyzer();
            analyzer.ReadFiles(files, filter ?? new ConnectionEventFilter(), reporter, CancellationToken.None);
            return analyzer;
        }

        /// <summary>Runs <paramref name="work"/>, failing (not hanging the test run) if it takes longer than <paramref name="seconds"/>.</summary>
        public static T Within<T>(int seconds, Func<T> work)
        {
            var task = Task.Run(work);
            Assert.True(task.Wait(TimeSpan.FromSeconds(seconds)), $"did not finish within {seconds} s");
            return task.Result;
        }

        /// <summary>
        /// Runs <paramref name="work"/> on a thread whose file accesses are checked as user nobody (setfsuid(2) is
        /// per thread on Linux, and leaving uid 0 drops root's right to read anything). So a test run as root
        /// meets a folder it may not read. Returns false when the machine does not allow it.
        /// </summary>
        public static bool AsNobody(Action work)
        {
            if (!OperatingSystem.IsLinux()) return false;
            Exception? failure = null;
            bool switched = false;
            var thread = new Thread(() =>
            {
                uint before = (uint)setfsuid(Machine.Nobody);
                try
                {
                    switched = (uint)setfsuid(uint.MaxValue) == Machine.Nobody; // an invalid id changes nothing and returns the current one
                    if (switched) work();
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
                finally
                {
                    setfsuid(before);
                }
            });
            thread.Start();
            thread.Join();
            if (failure != null) throw new InvalidOperationException("The work as nobody failed.", failure);
            return switched;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int setfsuid(uint uid);
    }

    /// <summary>A stream that never ends: its pattern again and again (after an optional head).</summary>
    internal sealed class EndlessStream : Stream
    {
        private readonly byte[] _head;
        private readonly byte[] _pattern;
        private long _position;

        public EndlessStream(string pattern, string head = "")
        {
            _head = Encoding.UTF8.GetBytes(head);
            _pattern = Encoding.UTF8.GetBytes(pattern);
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++, _position++)
            {
                buffer[offset + i] = _position < _head.Length ? _head[_position] : _pattern[(_position - _head.Length) % _pattern.Length];
            }

            return count;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A stream that gives its bytes, then fails as a disk or a network share can.</summary>
    internal sealed class FailingStream : MemoryStream
    {
        private readonly Exception _failure;

        public FailingStream(byte[] bytes, Exception failure)
            : base(bytes)
        {
            _failure = failure;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = base.Read(buffer, offset, count);
            if (n == 0) throw _failure;
            return n;
        }
    }
}
