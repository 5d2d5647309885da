using System;
using System.Globalization;
using System.Threading.Tasks;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Cloud
{
    /// <summary>
    /// Retries 408, 429 and 5xx a bounded number of times: after the service's Retry-After when it sends
    /// one (up to <see cref="RetryTiming.LongestWait"/>; a longer wait ends the retries with the service's
    /// answer), otherwise after an exponential back-off. Each wait is said in -Verbose and ends on Ctrl+C.
    /// Azure.Core's own retry policy is replaced because it honours any Retry-After, however long.
    /// </summary>
    internal sealed class BoundedRetryPolicy : HttpPipelinePolicy
    {
        private readonly RetryTiming _timing;
        private readonly IReporter _reporter;

        /// <summary>
        /// A message property: retry 429 only. A direct method that timed out (504) or failed on the device
        /// (500) already ran, or waited its whole timeout: sending it again would restart a module twice.
        /// </summary>
        public const string ThrottlingOnly = "IoTEdgeTroubleshoot.RetryThrottlingOnly";

        public BoundedRetryPolicy(RetryTiming timing, IReporter reporter)
        {
            _timing = timing;
            _reporter = reporter;
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            for (int attempt = 0; ; attempt++)
            {
                ProcessNext(message, pipeline);
                if (!ShouldRetry(message, attempt, out var wait)) return;
                message.Response.Dispose();
                // Waits on the caller's thread: the cmdlet's reporter may only be used there.
                if (message.CancellationToken.WaitHandle.WaitOne(wait)) message.CancellationToken.ThrowIfCancellationRequested();
            }
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            for (int attempt = 0; ; attempt++)
            {
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
                if (!ShouldRetry(message, attempt, out var wait)) return;
                message.Response.Dispose();
                await Task.Delay(wait, message.CancellationToken).ConfigureAwait(false);
            }
        }

        internal static bool IsTransient(int status) => status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;

        private bool ShouldRetry(HttpMessage message, int attempt, out TimeSpan wait)
        {
            wait = TimeSpan.Zero;
            int status = message.Response.Status;
            if (!IsTransient(status) || attempt >= _timing.MaxRetries) return false;
            if (status != 429 && message.TryGetProperty(ThrottlingOnly, out _)) return false;
            var asked = RetryAfter(message.Response);
            if (asked > _timing.LongestWait)
            {
                _reporter.Verbose($"{Describe(message)} answered {status} and asks to wait {asked.TotalSeconds:0} s, longer than {_timing.LongestWait.TotalSeconds:0} s: not retried.");
                return false;
            }

            var backOff = TimeSpan.FromTicks(_timing.FirstDelay.Ticks << Math.Min(attempt, 8));
            wait = asked > TimeSpan.Zero ? asked : (backOff > _timing.LongestWait ? _timing.LongestWait : backOff);
            _reporter.Verbose($"{Describe(message)} answered {status}{(asked > TimeSpan.Zero ? " with Retry-After" : string.Empty)}: retry {attempt + 1} of {_timing.MaxRetries} in {wait.TotalSeconds:0.#} s.");
            return true;
        }

        internal static string Describe(HttpMessage message) =>
            $"{message.Request.Method} {message.Request.Uri.ToUri().GetLeftPart(UriPartial.Path)}";

        // Retry-After: seconds, or an HTTP date; the Monitor services also send retry-after-ms.
        private static TimeSpan RetryAfter(Response response)
        {
            if (response.Headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out double milliseconds) && milliseconds >= 0)
            {
                return TimeSpan.FromMilliseconds(milliseconds);
            }

            if (!response.Headers.TryGetValue("Retry-After", out var value) || value == null) return TimeSpan.Zero;
            if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds)) return TimeSpan.FromSeconds(seconds);
            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
            {
                // Up to a whole millisecond: the wait drops what is below one, and the retry must not come before the date.
                long ticks = (when - DateTimeOffset.UtcNow).Ticks;
                return ticks > 0 ? TimeSpan.FromTicks((ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond) : TimeSpan.Zero;
            }

            return TimeSpan.Zero;
        }
    }
}
