using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Daemon;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Tests.Edge.Daemon
{
    /// <summary>The fixtures of native tool output (written from the documented formats), as the test output folder holds them.</summary>
    internal static class NativeFixtures
    {
        public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Edge", "Daemon", "Fixtures", name));
    }

    /// <summary>
    /// A fake <see cref="IProcessRunner"/> that records every call (the tool's name and its arguments) and answers
    /// from a script; tools in <see cref="Missing"/> are not on PATH.
    /// </summary>
    internal sealed class RecordingRunner : IProcessRunner
    {
        public List<(string Tool, string[] Arguments)> Calls { get; } = new List<(string, string[])>();

        public HashSet<string> Missing { get; } = new HashSet<string>();

        public Func<string, IReadOnlyList<string>, ProcessResult> Answer { get; set; } = (_, _) => new ProcessResult(0, string.Empty, string.Empty);

        /// <summary>The calls as command lines without the folder: "systemctl restart iotedge".</summary>
        public List<string> Lines => Calls.Select(c => c.Tool + (c.Arguments.Length == 0 ? string.Empty : " " + string.Join(" ", c.Arguments))).ToList();

        public string? Find(string executable) => Missing.Contains(executable) ? null : "/usr/bin/" + executable;

        public ProcessResult Run(string executable, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default, Action<string>? outputLine = null)
        {
            string tool = Path.GetFileName(executable);
            Calls.Add((tool, arguments.ToArray()));
            return Answer(tool, arguments);
        }
    }

    /// <summary>A Windows service that records what was asked of it and walks through the states it is given.</summary>
    internal sealed class FakeServiceControl : IServiceControl
    {
        private readonly Queue<string?> _states;

        public FakeServiceControl(params string?[] states) => _states = new Queue<string?>(states);

        public List<string> Calls { get; } = new List<string>();

        public WindowsServiceState? Query(string service, CancellationToken cancellationToken)
        {
            Calls.Add("query " + service);
            string? state = _states.Count > 1 ? _states.Dequeue() : _states.Peek();
            return state == null ? null : new WindowsServiceState(state, state == "RUNNING" ? 4242 : (int?)null);
        }

        public void Stop(string service, CancellationToken cancellationToken) => Calls.Add("stop " + service);

        public void Start(string service, CancellationToken cancellationToken) => Calls.Add("start " + service);
    }
}
