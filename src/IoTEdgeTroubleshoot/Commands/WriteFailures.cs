using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>A safe write that failed, as the edit commands report it: its message already says which file, why, what to do, and whether the file changed.</summary>
    internal static class WriteFailures
    {
        public static Problem ProblemFor(FileWriteException ex, string path)
        {
            bool denied = ex.Failure == FileWriteFailure.AccessDenied || ex.Failure == FileWriteFailure.NotPermitted;
            return new Problem(denied ? ErrorIds.ConfigAccessDenied : ErrorIds.ConfigWriteFailed, denied ? ProblemKind.PermissionDenied : ProblemKind.WriteError, path, ex.Message, ex);
        }
    }
}
