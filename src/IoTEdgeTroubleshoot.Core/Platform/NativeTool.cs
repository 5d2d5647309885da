using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// What a command needs from one run of a native tool: its name (found on PATH), the argument
    /// list (never a shell string), how long it may take, and which exit codes are not failures.
    /// </summary>
    public sealed class NativeCommand
    {
        public NativeCommand(string tool, IEnumerable<string> arguments, TimeSpan? timeout = null)
        {
            Tool = tool;
            Arguments = arguments.ToArray();
            Timeout = timeout ?? TimeSpan.FromSeconds(60);
        }

        public string Tool { get; }

        public IReadOnlyList<string> Arguments { get; }

        public TimeSpan Timeout { get; }

        /// <summary>Exit codes that mean an answer rather than a failure (systemctl is-active answers 3 for inactive).</summary>
        public IReadOnlyCollection<int> AcceptedExitCodes { get; set; } = new[] { 0 };

        /// <summary>Said after a failure: what to try next, such as "check 'systemctl status aziot-edged'".</summary>
        public string? WhatToTry { get; set; }

        /// <summary>The command line as a user would type it, for -Verbose and messages (secrets masked).</summary>
        public string Display => SecretMasker.Mask(Tool + (Arguments.Count == 0 ? string.Empty : " " + ProcessRunner.CommandLine(Arguments)));
    }

    /// <summary>
    /// The one way Core runs iotedge, systemctl, journalctl and docker: the tool is looked up on PATH,
    /// the command line shown in -Verbose, and a missing tool, a timeout, a permission problem or a
    /// failing exit code becomes a <see cref="TroubleshootException"/> that says what failed and what
    /// to try. Standard error of a successful run goes to -Verbose, and the journal's "not seeing
    /// messages from other users" hint becomes a warning, since the output is then incomplete.
    /// </summary>
    public sealed class NativeTool
    {
        private readonly IProcessRunner _runner;
        private readonly IReporter _reporter;

        public NativeTool(IProcessRunner? runner = null, IReporter? reporter = null)
        {
            _runner = runner ?? new ProcessRunner();
            _reporter = reporter ?? NullReporter.Instance;
        }

        /// <summary>Whether the tool is installed (on PATH).</summary>
        public bool IsAvailable(string tool) => _runner.Find(tool) != null;

        /// <summary>Runs the command; see <see cref="IProcessRunner.Run"/> for <paramref name="outputLine"/>.</summary>
        public ProcessResult Run(NativeCommand command, CancellationToken cancellationToken, Action<string>? outputLine = null)
        {
            string executable = _runner.Find(command.Tool) ?? throw new TroubleshootException(
                ErrorIds.NativeToolNotFound, ProblemKind.ObjectNotFound, command.Tool,
                $"'{command.Tool}' was not found on PATH, so '{command.Display}' cannot run. {InstallHint(command.Tool)}");

            _reporter.Verbose($"Running: {command.Display}");
            ProcessResult result;
            try
            {
                result = _runner.Run(executable, command.Arguments, command.Timeout, cancellationToken, outputLine);
            }
            catch (TimeoutException ex)
            {
                throw new TroubleshootException(ErrorIds.NativeToolTimedOut, ProblemKind.OperationTimeout, command.Tool,
                    $"'{command.Display}' did not finish within {(ex is ToolTimeLimitException limited ? limited.Limit : command.Timeout).TotalSeconds:0.#} s and was stopped. {command.WhatToTry ?? "Run it by hand to see where it waits."}", ex);
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                // found on PATH but not startable: no execute permission, wrong architecture
                throw new TroubleshootException(ErrorIds.NativeToolFailed, ProblemKind.InvalidOperation, command.Tool,
                    $"'{command.Display}' could not start: {ex.Message}.", ex);
            }

            string said = SecretMasker.Mask(result.StandardError.Trim());
            string? group = AccessGroupFor(command.Tool, said);
            if (!command.AcceptedExitCodes.Contains(result.ExitCode))
            {
                string what = said.Length == 0 ? "it wrote nothing to standard error" : $"it said: {FirstLines(said, 3)}";
                if (group != null)
                {
                    throw new TroubleshootException(ErrorIds.NativeToolAccessDenied, ProblemKind.PermissionDenied, command.Tool,
                        $"'{command.Display}' was refused access (exit code {result.ExitCode}); {what}. {ElevationAdvice(group)}");
                }

                // Without systemd (a container, WSL without systemd) no systemctl advice helps, and nothing is broken
                // that this machine could fix: its own id, so Test-IoTEdge can call the check Skipped.
                if (IsWithoutSystemd(command.Tool, said))
                {
                    throw new TroubleshootException(ErrorIds.SystemdNotRunning, ProblemKind.InvalidOperation, command.Tool,
                        $"'{command.Display}' failed with exit code {result.ExitCode}; {what}. systemd is not running on this machine (a container, or WSL without systemd), so IoT Edge's services are not managed here: run the command on the device, or read saved logs with -Path.");
                }

                string? next = command.WhatToTry;
                throw new TroubleshootException(ErrorIds.NativeToolFailed, ProblemKind.InvalidOperation, command.Tool,
                    $"'{command.Display}' failed with exit code {result.ExitCode}; {what}.{(next == null ? string.Empty : " " + next)}");
            }

            if (said.Length > 0)
            {
                if (group != null) _reporter.Warning($"'{command.Display}' answered, but not with everything: {FirstLines(said, 2)} {ElevationAdvice(group)}");
                else _reporter.Verbose($"{command.Tool} said on standard error: {FirstLines(said, 5)}");
            }

            return result;
        }

        /// <summary>
        /// The group that grants access when the tool's message says access was refused, or null when the
        /// message is about something else. Empty string: root only, no group helps.
        /// </summary>
        internal static string? AccessGroupFor(string tool, string message)
        {
            string text = message.ToLowerInvariant();
            if (tool == "journalctl" && (text.Contains("not seeing messages from other users") || text.Contains("no journal files were opened due to insufficient permissions")))
            {
                return "systemd-journal";
            }

            if (text.Contains("docker daemon socket") && text.Contains("permission denied")) return "docker";
            if (text.Contains("permission denied") && (text.Contains("/var/run/iotedge") || text.Contains("/run/aziot") || text.Contains("mgmt.sock"))) return "iotedge";
            if (text.Contains("permission denied") || text.Contains("access denied") || text.Contains("interactive authentication required")
                || text.Contains("must be run as root") || text.Contains("operation not permitted") || text.Contains("access is denied"))
            {
                return string.Empty;
            }

            return null;
        }

        /// <summary>systemctl and journalctl saying there is no systemd to talk to.</summary>
        internal static bool IsWithoutSystemd(string tool, string message) =>
            (tool == "systemctl" || tool == "journalctl")
            && (message.IndexOf("not been booted with systemd", StringComparison.OrdinalIgnoreCase) >= 0
                || message.IndexOf("Failed to connect to bus", StringComparison.OrdinalIgnoreCase) >= 0);

        private static string ElevationAdvice(string group) => group.Length == 0
            ? "Run it elevated (sudo pwsh, or an elevated PowerShell on Windows)."
            : $"Run it elevated (sudo pwsh), or add your user to the '{group}' group (sudo usermod -aG {group} $USER, then sign in again).";

        private static string InstallHint(string tool) => tool switch
        {
            "iotedge" => "Is IoT Edge installed on this machine? To read saved output, use -Path.",
            "journalctl" or "systemctl" => "This machine does not run systemd; read saved logs with -Path.",
            "docker" => "Is the container engine (moby) installed?",
            _ => "Install it, or add its folder to PATH.",
        };

        private static string FirstLines(string text, int count)
        {
            var lines = text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).Take(count + 1).ToList();
            string joined = string.Join(" ", lines.Take(count));
            return lines.Count > count ? joined + " ..." : joined;
        }
    }
}
