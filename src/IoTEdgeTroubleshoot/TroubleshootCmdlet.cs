using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The one base class of the module's cmdlets. It owns what every cmdlet needs and none
    /// should write again: cancellation on Ctrl+C (StopProcessing), the reporter through which
    /// Core writes verbose, warning, progress and per-item errors, the mapping of Core errors to
    /// error records with stable ErrorIds, and path resolution.
    /// </summary>
    public abstract class TroubleshootCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _cancellation = new CancellationTokenSource();
        private CmdletReporter? _reporter;

        protected CancellationToken CancellationToken => _cancellation.Token;

        /// <summary>Core's view of this cmdlet. Use only on the pipeline thread.</summary>
        protected IReporter Reporter => _reporter ??= new CmdletReporter(this);

        // The token source is never disposed: Ctrl+C can arrive on another thread after EndProcessing (while a
        // downstream command still runs), and Cancel on a disposed source throws. Without timers or linked
        // tokens it holds nothing that needs disposing.
        protected override void StopProcessing()
        {
            _cancellation.Cancel();
            base.StopProcessing();
        }

        /// <summary>A time from the command line, in UTC: a DateTime is local time unless it says otherwise (kind Utc).</summary>
        protected internal static DateTimeOffset ToUtc(DateTime time) =>
            time.Kind == DateTimeKind.Utc ? new DateTimeOffset(time) : new DateTimeOffset(time.ToUniversalTime());

        /// <summary><see cref="ToUtc(DateTime)"/> of an optional time.</summary>
        protected internal static DateTimeOffset? ToUtc(DateTime? time) => time == null ? (DateTimeOffset?)null : ToUtc(time.Value);

        /// <summary>Runs Core work, turning its cancellation and errors into what PowerShell expects.</summary>
        protected void Invoke(Action work)
        {
            try
            {
                work();
            }
            catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (TroubleshootException ex)
            {
                ThrowTerminatingError(ErrorRecordFor(ex));
            }
        }

        /// <summary>
        /// The one sync-over-async boundary: waits, on the pipeline thread, for Core's async work (which never
        /// needs this thread to finish). Call it inside <see cref="Invoke"/>, so that Ctrl+C becomes a stop.
        /// </summary>
        protected static T Await<T>(System.Threading.Tasks.Task<T> task) => task.GetAwaiter().GetResult();

        /// <inheritdoc cref="Await{T}(System.Threading.Tasks.Task{T})"/>
        protected static void Await(System.Threading.Tasks.Task task) => task.GetAwaiter().GetResult();

        /// <summary>
        /// The one way a Core problem becomes an error record: its stable ErrorId (<see cref="ErrorIds"/>),
        /// the category, the real target, and the message, which starts with path:line:column when Core
        /// knows the place (the exception's Position says it to scripts).
        /// </summary>
        protected internal static ErrorRecord ErrorRecordFor(Problem problem) =>
            new ErrorRecord(problem.ToException(), problem.ErrorId, CategoryOf(problem.Kind), problem.Target)
            {
                ErrorDetails = new ErrorDetails(problem.Message),
            };

        /// <inheritdoc cref="ErrorRecordFor(Problem)"/>
        protected internal static ErrorRecord ErrorRecordFor(TroubleshootException exception) =>
            new ErrorRecord(exception, exception.ErrorId, CategoryOf(exception.Kind), exception.Target);

        internal static ErrorCategory CategoryOf(ProblemKind kind) => kind switch
        {
            ProblemKind.InvalidData => ErrorCategory.InvalidData,
            ProblemKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
            ProblemKind.PermissionDenied => ErrorCategory.PermissionDenied,
            ProblemKind.ReadError => ErrorCategory.ReadError,
            ProblemKind.WriteError => ErrorCategory.WriteError,
            ProblemKind.InvalidArgument => ErrorCategory.InvalidArgument,
            ProblemKind.InvalidOperation => ErrorCategory.InvalidOperation,
            ProblemKind.ConnectionError => ErrorCategory.ConnectionError,
            ProblemKind.OperationTimeout => ErrorCategory.OperationTimeout,
            ProblemKind.NotImplemented => ErrorCategory.NotImplemented,
            _ => ErrorCategory.NotSpecified,
        };

        /// <summary>
        /// Resolves -Path (wildcards) or -LiteralPath values to file-system paths. A path that does not
        /// exist is an ObjectNotFound error record (PathNotFound), or LogFolderUnreadable when a folder that
        /// may not be searched hides it; the others are still returned.
        /// </summary>
        protected List<string> ResolveFileSystemPaths(IEnumerable<string> paths, bool literal)
        {
            var resolved = new List<string>();
            foreach (var path in paths)
            {
                if (string.IsNullOrEmpty(path)) continue;
                if (literal)
                {
                    string full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
                    if (!IsFileSystem(provider, path)) continue;
                    if (File.Exists(full) || Directory.Exists(full)) resolved.Add(full);
                    else WritePathNotFound(path, full);
                    continue;
                }

                try
                {
                    var matches = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider);
                    if (!IsFileSystem(provider, path)) continue;
                    if (matches.Count == 0)
                    {
                        // A wildcard that matches nothing: perhaps because the folder before it may not be searched.
                        string unresolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                        int wildcard = unresolved.IndexOfAny(new[] { '*', '?', '[' });
                        if (LogFileFinder.FolderInTheWay(wildcard > 0 ? unresolved.Substring(0, wildcard) : unresolved, path) is Problem denied) WriteError(ErrorRecordFor(denied));
                        else WriteWarning($"No file matches '{path}'.");
                    }

                    resolved.AddRange(matches);
                }
                catch (ItemNotFoundException)
                {
                    WritePathNotFound(path, SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out _, out _));
                }
                catch (System.Management.Automation.DriveNotFoundException)
                {
                    WritePathNotFound(path);
                }
            }

            return resolved;
        }

        /// <summary>One file-system path, taken literally (config files have no wildcards); it need not exist.</summary>
        protected string ResolveSinglePath(string path)
        {
            string full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
            if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
            {
                ThrowTerminatingError(ErrorRecordFor(new Problem(ErrorIds.NotAFileSystemPath, ProblemKind.InvalidArgument, path,
                    $"'{path}' is on the {provider.Name} provider; give a file path.")));
            }

            return full;
        }

        private bool IsFileSystem(ProviderInfo provider, string path)
        {
            if (string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase)) return true;
            WriteError(ErrorRecordFor(new Problem(ErrorIds.NotAFileSystemPath, ProblemKind.InvalidArgument, path,
                $"'{path}' is on the {provider.Name} provider; give a file or folder path.")));
            return false;
        }

        // A path that is not there; or one that a folder that may not be searched hides, which is said instead.
        private void WritePathNotFound(string path, string full)
        {
            if (LogFileFinder.FolderInTheWay(full, path) is Problem denied)
            {
                WriteError(ErrorRecordFor(denied));
                return;
            }

            WritePathNotFound(path);
        }

        private void WritePathNotFound(string path)
        {
            string message = $"Cannot find path '{path}' because it does not exist. Check the path, or pass the folder that holds the exported logs.";
            WriteError(ErrorRecordFor(new Problem(ErrorIds.PathNotFound, ProblemKind.ObjectNotFound, path, message, new ItemNotFoundException(message))));
        }

        private sealed class CmdletReporter : IReporter
        {
            private readonly TroubleshootCmdlet _cmdlet;

            public CmdletReporter(TroubleshootCmdlet cmdlet) => _cmdlet = cmdlet;

            public void Verbose(string message) => _cmdlet.WriteVerbose(message);

            public void Warning(string message) => _cmdlet.WriteWarning(message);

            public void Progress(ProgressReport progress)
            {
                var record = new ProgressRecord(progress.ActivityId, progress.Activity, progress.Status)
                {
                    PercentComplete = progress.PercentComplete,
                    RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
                };
                _cmdlet.WriteProgress(record);
            }

            public void Problem(Problem problem) => _cmdlet.WriteError(ErrorRecordFor(problem));
        }
    }
}
