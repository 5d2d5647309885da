using System;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues
{
    /// <summary>One known issue found in IoT Edge logs: what it is, where and when it showed, the lines that show it, and the fix.</summary>
    public sealed class IoTEdgeKnownIssue
    {
        /// <summary>The catalog's stable id (about_IoTEdgeTroubleshoot, KNOWN ISSUE IDS).</summary>
        public string IssueId { get; set; } = string.Empty;

        public string Title { get; set; } = string.Empty;

        /// <summary>Who logged it: modules and services, comma-separated.</summary>
        public string Source { get; set; } = string.Empty;

        public DateTimeOffset? FirstSeen { get; set; }

        public DateTimeOffset? LastSeen { get; set; }

        /// <summary>How many entries showed it.</summary>
        public int Occurrences { get; set; }

        /// <summary>The lines that showed it: the first few, then the last one, each cut to a readable length.</summary>
        public string[] Evidence { get; set; } = Array.Empty<string>();

        public string RootCause { get; set; } = string.Empty;

        public string Resolution { get; set; } = string.Empty;

        /// <summary>The command of this module that checks or fixes it, when there is one.</summary>
        public string? RemedyCommand { get; set; }

        public string HelpUri { get; set; } = string.Empty;

        public override string ToString() => $"{IssueId}: {Title} ({Occurrences}x)";
    }
}
