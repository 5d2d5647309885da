namespace IoTEdgeTroubleshoot.Edge
{
    public enum CheckStatus
    {
        Pass,
        Warning,
        Error,
        Skipped,
    }

    /// <summary>
    /// One finding of a check: what was checked, how it went, where, and what to do. The network checks
    /// return derived types that add their details (host, port, stage, process) as flat properties.
    /// </summary>
    public class IoTEdgeCheckResult
    {
        public string CheckId { get; set; } = string.Empty;

        public string Description { get; set; } = string.Empty;

        public CheckStatus Status { get; set; }

        /// <summary>What was found; secrets are masked.</summary>
        public string Message { get; set; } = string.Empty;

        /// <summary>The file the finding is about (binds to -Path of the Set- commands).</summary>
        public string? Path { get; set; }

        public int? Line { get; set; }

        public int? Column { get; set; }

        /// <summary>What to do, in words.</summary>
        public string? Remedy { get; set; }

        /// <summary>A command line that fixes it, when one exists.</summary>
        public string? RemedyCommand { get; set; }

        public override string ToString() => $"[{Status}] {CheckId}: {Message}";
    }
}
