using System;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Daemon
{
    /// <summary>A Windows service's state as 'sc queryex' gives it.</summary>
    public sealed class WindowsServiceState
    {
        public WindowsServiceState(string state, int? processId)
        {
            State = state;
            ProcessId = processId;
        }

        /// <summary>RUNNING, STOPPED, START_PENDING, STOP_PENDING ...</summary>
        public string State { get; }

        public int? ProcessId { get; }
    }

    /// <summary>The few service operations the daemon commands need on Windows: an interface so the logic is tested on Linux.</summary>
    public interface IServiceControl
    {
        /// <summary>The service's state, or null when no such service is installed.</summary>
        WindowsServiceState? Query(string service, CancellationToken cancellationToken);

        /// <summary>Asks the service to stop and returns at once (Stop-Service -NoWait); a service already stopped is fine.</summary>
        void Stop(string service, CancellationToken cancellationToken);

        /// <summary>Asks the service to start; a service already running is fine.</summary>
        void Start(string service, CancellationToken cancellationToken);
    }

    /// <summary>
    /// <see cref="IServiceControl"/> through sc.exe, which ships with every Windows and needs nothing loaded:
    /// 'sc queryex', 'sc stop' (which never waits) and 'sc start'. sc.exe prints its errors on standard output
    /// and says what went wrong in its exit code, so the codes are read here.
    /// </summary>
    public sealed class ScServiceControl : IServiceControl
    {
        internal const int AccessDenied = 5;
        internal const int ServiceAlreadyRunning = 1056;
        internal const int ServiceDoesNotExist = 1060;
        internal const int ServiceNotActive = 1062;

        private static readonly Regex StateLine = new Regex(@"^\s*STATE\s*:\s*\d+\s+(?<state>[A-Z_]+)", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        private static readonly Regex PidLine = new Regex(@"^\s*PID\s*:\s*(?<pid>\d+)", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        private static readonly int[] Answers = { 0, AccessDenied, ServiceAlreadyRunning, ServiceDoesNotExist, ServiceNotActive };

        private readonly NativeTool _tool;

        public ScServiceControl(NativeTool tool) => _tool = tool;

        public WindowsServiceState? Query(string service, CancellationToken cancellationToken)
        {
            var result = Run("queryex", service, cancellationToken);
            return result.ExitCode == ServiceDoesNotExist ? null : ParseQuery(result.StandardOutput);
        }

        public void Stop(string service, CancellationToken cancellationToken) => Run("stop", service, cancellationToken);

        public void Start(string service, CancellationToken cancellationToken) => Run("start", service, cancellationToken);

        /// <summary>The state and process id in what 'sc queryex' prints; null when it has no STATE line.</summary>
        public static WindowsServiceState? ParseQuery(string text)
        {
            var state = StateLine.Match(text ?? string.Empty);
            if (!state.Success) return null;
            var pid = PidLine.Match(text!);
            int? processId = pid.Success && int.TryParse(pid.Groups["pid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p > 0 ? p : (int?)null;
            return new WindowsServiceState(state.Groups["state"].Value, processId);
        }

        private ProcessResult Run(string verb, string service, CancellationToken cancellationToken)
        {
            var command = new NativeCommand("sc", new[] { verb, service }, TimeSpan.FromSeconds(30))
            {
                AcceptedExitCodes = Answers,
                WhatToTry = $"Check the service with 'Get-Service {service}'.",
            };
            var result = _tool.Run(command, cancellationToken);
            if (result.ExitCode == AccessDenied)
            {
                throw new TroubleshootException(ErrorIds.NativeToolAccessDenied, ProblemKind.PermissionDenied, service,
                    $"'{command.Display}' was refused access (exit code 5). Run it in an elevated PowerShell (Run as administrator).");
            }

            if (result.ExitCode == ServiceDoesNotExist && verb != "queryex")
            {
                throw new TroubleshootException(ErrorIds.NativeToolFailed, ProblemKind.ObjectNotFound, service,
                    $"'{command.Display}' failed: there is no '{service}' service on this machine. Is IoT Edge 1.0/1.1 installed?");
            }

            return result;
        }
    }
}
