using System;
using System.Collections;
using System.Security;
using IoTEdgeTroubleshoot.Hub.Cloud;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Cloud
{
    /// <summary>The Azure parameters every cloud command shares, turned into Core's settings in one place.</summary>
    internal static class AzureParameters
    {
        public static AzureConnectionSettings Settings(AzureEnvironment environment, string? tenantId, SecureString? accessToken, Uri? logAnalytics, Uri? resourceManager) =>
            new AzureConnectionSettings
            {
                Environment = environment,
                TenantId = string.IsNullOrWhiteSpace(tenantId) ? null : tenantId,
                AccessToken = accessToken,
                LogAnalyticsEndpoint = logAnalytics,
                ResourceManagerEndpoint = resourceManager,
            };

        /// <summary>-StartTime and -EndTime as given, else the last 24 hours (the end: now).</summary>
        public static (DateTimeOffset Start, DateTimeOffset End) Range(IDictionary bound, DateTime startTime, DateTime endTime)
        {
            var end = bound.Contains("EndTime") ? Commands.TroubleshootCmdlet.ToUtc(endTime) : DateTimeOffset.UtcNow;
            var start = bound.Contains("StartTime") ? Commands.TroubleshootCmdlet.ToUtc(startTime) : end.AddDays(-1);
            return (start, end);
        }

        /// <summary>A range that ends before it starts (-EndTime defaults to now, so a -StartTime in the future does too), said the same by every cloud command.</summary>
        public static Problem? ReversedRange(DateTimeOffset start, DateTimeOffset end) => end > start ? null
            : new Problem(ErrorIds.EndTimeBeforeStartTime, ProblemKind.InvalidArgument, end,
                $"The time range ends ({end:o}) before it starts ({start:o}): -StartTime must be earlier than -EndTime, which is now when not given.");
    }
}
