using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Checks
{
    /// <summary>How the device checks build their results: the check's id and description, the message masked.</summary>
    internal static class DeviceCheckResults
    {
        public static IoTEdgeCheckResult Result(this IDeviceCheck check, CheckStatus status, string message,
            string? path = null, string? remedy = null, string? remedyCommand = null, string? checkId = null, FilePosition? position = null) => new IoTEdgeCheckResult
        {
            CheckId = checkId ?? check.Id,
            Description = check.Description,
            Status = status,
            Message = SecretMasker.Mask(message),
            Path = position?.Path ?? path,
            Line = position == null ? null : (int?)position.Line,
            Column = position == null ? null : (int?)position.Column,
            Remedy = remedy == null ? null : SecretMasker.Mask(remedy),
            RemedyCommand = remedyCommand,
        };

        public static IReadOnlyList<IoTEdgeCheckResult> One(this IDeviceCheck check, CheckStatus status, string message,
            string? path = null, string? remedy = null, string? remedyCommand = null) =>
            new[] { check.Result(status, message, path, remedy, remedyCommand) };

        /// <summary>
        /// Runs a check that reads files and runs tools on a worker, so that the runner's other checks go on
        /// meanwhile; cancellation stops it between steps.
        /// </summary>
        public static Task<IReadOnlyList<IoTEdgeCheckResult>> OnWorker(Func<IReadOnlyList<IoTEdgeCheckResult>> run, CancellationToken cancellationToken) =>
            Task.Run(run, cancellationToken);

        /// <summary>A failure to read a file that means "cannot look", not "the device is broken".</summary>
        public static bool IsReadFailure(Exception ex) => ex is IOException || ex is UnauthorizedAccessException || ex is TroubleshootException || ex is System.Security.SecurityException;

        /// <summary>"Access to '...' is denied" in the words a user acts on.</summary>
        public static string WhyUnreadable(string path, Exception ex) => ex is UnauthorizedAccessException
            ? $"'{path}' cannot be read by this user (it needs root or Administrator: run elevated, e.g. sudo pwsh)"
            : $"'{path}' could not be read: {ex.Message}";
    }
}
