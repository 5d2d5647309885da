using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;

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

        /// <summary>What the program printed; empty when its lines went to an output callback instead.</summary>
        public string StandardOutput { get; }

        public string StandardError { get; }
    }

    /// <summary>Runs native tools (systemctl, iotedge, journalctl): an interface so that logic is tested without them.</summary>
    public interface IProcessRunner
    {
        /// <summary>The full path of an executable found on PATH, or null.</summary>
        string? Find(string executable);

        /// <summary>
        /// Runs a program to its end. With <paramref name="outputLine"/>, each line of standard output is
        /// handed over on the calling thread as it arrives (so a cmdlet can write objects from it and a long
        /// log never sits in memory) and <see cref="ProcessResult.StandardOutput"/> stays empty.
        /// Throws <see cref="TimeoutException"/> after <paramref name="timeout"/> and
        /// <see cref="OperationCanceledException"/> on cancellation; the program is killed in both cases.
        /// </summary>
        ProcessResult Run(string executable, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default, Action<string>? outputLine = null);
    }

    /// <summary>
    /// Runs a program with an argument list. Values never become shell code: there is no shell, and
    /// each argument is quoted for the program's own command-line parsing.
    /// </summary>
    public sealed class ProcessRunner : IProcessRunner
    {
        /// <summary>Standard error kept for messages; a chatty tool must not fill memory with it.</summary>
        private const int StandardErrorLimit = 64 * 1024;

        public string? Find(string executable)
        {
            if (Path.IsPathRooted(executable)) return File.Exists(executable) ? executable : null;
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

        public ProcessResult Run(string executable, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default, Action<string>? outputLine = null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new ProcessStartInfo(executable, CommandLine(arguments))
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true, // a tool that asks a question (sudo, a pager) reads end of input, never the console
                CreateNoWindow = true,
                StandardOutputEncoding = new UTF8Encoding(false),
                StandardErrorEncoding = new UTF8Encoding(false),
            };
            using var process = Process.Start(info)!;
            process.StandardInput.Close();

            var error = new StringBuilder();
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data == null) return;
                lock (error)
                {
                    if (error.Length < StandardErrorLimit) error.AppendLine(e.Data);
                }
            };
            process.BeginErrorReadLine();

            // A timeout or a cancellation kills the program and is reported as such.
            int stopReason = 0; // 1 = timed out, 2 = cancelled, 3 = the caller failed
            void Stop(int reason)
            {
                if (Interlocked.CompareExchange(ref stopReason, reason, 0) == 0) Kill(process);
            }

            // Standard output is read on a worker and handed over here, on the caller's thread, through a
            // bounded queue: a stop never waits on a read that a grandchild holding the pipe keeps open.
            using var lines = new BlockingCollection<string>(boundedCapacity: 4096);
            using var stopped = new CancellationTokenSource();
            var reader = new Thread(() =>
            {
                try
                {
                    string? read;
                    while ((read = process.StandardOutput.ReadLine()) != null) lines.Add(read, stopped.Token);
                }
                catch (OperationCanceledException)
                {
                }
                catch (IOException)
                {
                }
                catch (ObjectDisposedException)
                {
                }
                finally
                {
                    try
                    {
                        lines.CompleteAdding();
                    }
                    catch (ObjectDisposedException)
                    {
                    }
                }
            }) { IsBackground = true, Name = "process output" };
            reader.Start();

            var output = outputLine == null ? new StringBuilder() : null;
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                using var stopOnTimeout = new Timer(_ => { try { stop.Cancel(); } catch (ObjectDisposedException) { } }, null, timeout, System.Threading.Timeout.InfiniteTimeSpan);
                try
                {
                    foreach (var line in lines.GetConsumingEnumerable(stop.Token))
                    {
                        if (output != null) output.AppendLine(line);
                        else outputLine!(line);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    Stop(cancellationToken.IsCancellationRequested ? 2 : 1);
                }
                catch
                {
                    // the caller's line handler failed (or the pipeline stopped): the program must not run on
                    Stop(3);
                    throw;
                }
                finally
                {
                    stopped.Cancel();
                }
            }

            if (stopReason == 0 && !process.WaitForExit((int)Math.Min(int.MaxValue, Math.Max(1, timeout.TotalMilliseconds))))
            {
                Stop(1);
            }

            if (stopReason == 0) process.WaitForExit(); // flush the asynchronous standard error reader
            switch (stopReason)
            {
                case 1:
                    throw new TimeoutException($"'{Path.GetFileName(executable)}' did not finish within {timeout.TotalSeconds:0.#} s.");
                case 2:
                    throw new OperationCanceledException(cancellationToken);
            }

            string said;
            lock (error) said = error.ToString();
            return new ProcessResult(process.ExitCode, output?.ToString() ?? string.Empty, said);
        }

        /// <summary>The arguments as one command line, each quoted for the program's own parsing.</summary>
        public static string CommandLine(IEnumerable<string> arguments) => string.Join(" ", arguments.Select(Quote));

        private static void Kill(Process process)
        {
            try
            {
                if (!process.HasExited) process.Kill();
            }
            catch (InvalidOperationException)
            {
                // it ended on its own meanwhile
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // it ended, or it is not ours to kill any more
            }
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
