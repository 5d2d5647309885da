using System;
using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.LoopbackAzure
{
    /// <summary>One request the server received, for the tests to assert.</summary>
    public sealed class RecordedRequest
    {
        public string Method { get; set; } = string.Empty;

        /// <summary>Path and query, as sent.</summary>
        public string Target { get; set; } = string.Empty;

        public Dictionary<string, string> Headers { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public string Body { get; set; } = string.Empty;

        public string Path => Target.Split('?')[0];

        public string Query => Target.Contains('?') ? Target.Substring(Target.IndexOf('?') + 1) : string.Empty;

        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

        /// <summary>The decoded value of one query parameter.</summary>
        public string? QueryValue(string name)
        {
            foreach (var pair in Query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                int equals = pair.IndexOf('=');
                string key = Uri.UnescapeDataString(equals < 0 ? pair : pair.Substring(0, equals));
                if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return equals < 0 ? string.Empty : Uri.UnescapeDataString(pair.Substring(equals + 1));
            }

            return null;
        }
    }

    /// <summary>An answer the server gives instead of the normal one (next request matching the path, once).</summary>
    public sealed class Fault
    {
        public int Status { get; set; } = 503;

        public string Body { get; set; } = string.Empty;

        public Dictionary<string, string> Headers { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Milliseconds to wait before answering (a slow answer to cancel).</summary>
        public int DelayMilliseconds { get; set; }

        /// <summary>Only requests whose path contains this (empty: any).</summary>
        public string PathContains { get; set; } = string.Empty;

        /// <summary>Only requests whose body contains this (empty: any): one partition's query, say.</summary>
        public string BodyContains { get; set; } = string.Empty;

        /// <summary>When set, the normal answer is given with a PartialError of this message (Status and Body unused).</summary>
        public string? PartialErrorMessage { get; set; }
    }
}
