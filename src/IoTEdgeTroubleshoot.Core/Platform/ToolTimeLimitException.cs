using System;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// A tool call stopped at a time limit shorter than its command's own (Test-IoTEdge -TimeoutSeconds), so that
    /// the message names the limit that was applied.
    /// </summary>
    public sealed class ToolTimeLimitException : TimeoutException
    {
        public ToolTimeLimitException(TimeSpan limit, TimeoutException inner)
            : base(inner.Message, inner)
        {
            Limit = limit;
        }

        public TimeSpan Limit { get; }
    }
}
