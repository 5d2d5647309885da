using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;

namespace IoTEdgeTroubleshoot.Platform
{
    public sealed class ProcessResult
    {
        public ProcessResult(int exitCode, string standardOutput, string standardError)
        {
            ExitCode = exitCode;
            StandardOutput = standardOutput;
            StandardError = standardError;
        }

        public int ExitCode { get; }

        public string StandardOutput { get; }

        public string StandardError { get; }
    }

    /// <summary>Runs native tools (systemctl, iotedge, journalctl): an interface so that logic is tested without them.</summary>
    public interface IProcessRunner
    {
        /// <summary>The full path of an executable found on PATH, or null.</summary>
        string? Find(string executable);

        ProcessResult Run(string executable, IReadOnlyList<string> arguments, TimeSpan timeout);
    }

    /// <summary>
    /// Runs a program with an argument list. Values never become shell code: there is no shell, and
    /// each argument is quoted for the program's own command-line parsing.
    /// </summary>
    public sealed class ProcessRunner : IProcessRunner
    {
        public string? Find(string executable)
        {
            string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
            string[] extensions = Path.DirectorySeparatorChar == '\\' ? new[] { ".exe", ".cmd", string.Empty } : new[] { string.Empty };
            foreach (var folder in path.Split(Path.PathSeparator).Where(f => f.Length > 0))
            {
                foreach (var extension in extensions)
                {
                    string candidate = Path.Combine(folder, executable + extension);
                    if (File.Exists(candidate)) return candidate;
                }
            }

            return null;
        }

        public ProcessResult Run(string executable, IReadOnlyList<string> arguments, TimeSpan timeout)
        {
            var info = new ProcessStartInfo(executable, string.Join(" ", arguments.Select(Quote)))
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
            };
            using var process = Process.Start(info)!;
            var output = new StringBuilder();
            var error = new StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data != null) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) error.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit((int)timeout.TotalMilliseconds))
            {
                try
                {
                    process.Kill();
                }
                catch (InvalidOperationException)
                {
                }

                throw new TimeoutException($"'{executable}' did not finish within {timeout.TotalSeconds:0} s.");
            }

            process.WaitForExit(); // flush the asynchronous readers
            return new ProcessResult(process.ExitCode, output.ToString(), error.ToString());
        }

        /// <summary>Quotes one argument the way both the C runtime on Windows and .NET on Unix split them.</summary>
        internal static string Quote(string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '"', '\\', '\'' }) < 0) return argument;
            var quoted = new StringBuilder("\"");
            int backslashes = 0;
            foreach (char c in argument)
            {
                if (c == '\\')
                {
                    backslashes++;
                    continue;
                }

                if (c == '"')
                {
                    quoted.Append('\\', backslashes * 2 + 1);
                }
                else
                {
                    quoted.Append('\\', backslashes);
                }

                backslashes = 0;
                quoted.Append(c);
            }

            quoted.Append('\\', backslashes * 2);
            return quoted.Append('"').ToString();
        }
    }
}
