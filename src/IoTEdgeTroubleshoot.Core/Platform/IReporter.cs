using System;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// How Core talks back to its caller without knowing PowerShell: the cmdlet base class
    /// implements this once (Write-Verbose, Write-Warning, Write-Progress, Write-Error).
    /// Calls arrive on the thread that called into Core.
    /// </summary>
    public interface IReporter
    {
        void Verbose(string message);

        void Warning(string message);

        void Progress(ProgressReport progress);

        /// <summary>A problem with one item (a record, a file); the work goes on.</summary>
        void Problem(Problem problem);
    }

    /// <summary>A reporter that drops everything: for callers that do not care (tests, tools).</summary>
    public sealed class NullReporter : IReporter
    {
        public static readonly NullReporter Instance = new NullReporter();

        public void Verbose(string message) { }

        public void Warning(string message) { }

        public void Progress(ProgressReport progress) { }

        public void Problem(Problem problem) { }
    }

    public sealed class ProgressReport
    {
        public ProgressReport(int activityId, string activity, string status, int percentComplete, bool completed = false)
        {
            ActivityId = activityId;
            Activity = activity;
            Status = status;
            PercentComplete = Math.Max(0, Math.Min(100, percentComplete));
            Completed = completed;
        }

        public int ActivityId { get; }

        public string Activity { get; }

        public string Status { get; }

        public int PercentComplete { get; }

        public bool Completed { get; }
    }
}
