using System;
using System.IO;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// A settings file that could not be read, said one way by every command that reads one (the config edits, the
    /// JSON edits, Test-IoTEdgeFirewall's device config): access denied (run elevated), missing, or another
    /// input/output error, each with what to do next.
    /// </summary>
    public static class FileReadFailures
    {
        /// <summary>Whether <paramref name="ex"/> is a failure to read a file (not a bug to let through).</summary>
        public static bool IsReadFailure(Exception ex) => ex is IOException || ex is UnauthorizedAccessException;

        /// <param name="missingErrorId">The id for a file that is not there (ConfigUnreadable, or PathNotFound).</param>
        /// <param name="orElse">Another way out, said after the rest ("Or give -HubHostName.").</param>
        public static Problem ProblemFor(string path, Exception ex, string missingErrorId = ErrorIds.ConfigUnreadable, string? orElse = null)
        {
            var (id, kind, message) = Describe(path, ex, missingErrorId, orElse);
            return new Problem(id, kind, path, message, ex);
        }

        /// <summary>The same as <see cref="ProblemFor"/>, for Core code that throws.</summary>
        public static TroubleshootException ExceptionFor(string path, Exception ex, string missingErrorId = ErrorIds.ConfigUnreadable, string? orElse = null)
        {
            var (id, kind, message) = Describe(path, ex, missingErrorId, orElse);
            return new TroubleshootException(id, kind, path, message, ex);
        }

        /// <summary>A folder where a file to read, create or edit was named (.NET reads it as "access denied" on Linux).</summary>
        public static Problem FolderProblem(string path) =>
            new Problem(ErrorIds.PathIsFolder, ProblemKind.InvalidArgument, path, FolderMessage(path));

        private static string FolderMessage(string path) => $"'{path}' is a folder: give the path of the file in it. Nothing was written.";

        private static (string Id, ProblemKind Kind, string Message) Describe(string path, Exception ex, string missingErrorId, string? orElse)
        {
            string after = orElse == null ? string.Empty : " " + orElse;
            if (Directory.Exists(path)) return (ErrorIds.PathIsFolder, ProblemKind.InvalidArgument, FolderMessage(path) + after);
            if (ex is UnauthorizedAccessException)
                return (ErrorIds.ConfigAccessDenied, ProblemKind.PermissionDenied, $"Access to '{path}' is denied. Run elevated: 'sudo pwsh' on Linux, or PowerShell as Administrator on Windows.{after}");
            if (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                return missingErrorId == ErrorIds.PathNotFound
                    ? (missingErrorId, ProblemKind.ObjectNotFound, $"Cannot find path '{path}' because it does not exist.{after}")
                    : (missingErrorId, ProblemKind.ObjectNotFound, $"Cannot read '{path}': {ex.Message}{after}");
            }

            return (ErrorIds.ConfigUnreadable, ProblemKind.ReadError, $"Cannot read '{path}': {ex.Message}{after}");
        }
    }
}
