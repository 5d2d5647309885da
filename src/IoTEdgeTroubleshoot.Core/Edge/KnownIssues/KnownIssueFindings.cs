using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using IoTEdgeTroubleshoot.Edge.Logs;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues
{
    /// <summary>
    /// What the issues recorded during one search, grouped by issue and detail: first and last time, count,
    /// sources, and a few evidence lines. Memory is bounded by the number of findings, not by the log.
    /// </summary>
    public sealed class KnownIssueFindings
    {
        /// <summary>Evidence kept per finding: the first lines, and the last one in the last place.</summary>
        public const int MaxEvidence = 5;

        /// <summary>An evidence line is cut here: enough for the message, not a whole stack trace.</summary>
        public const int MaxEvidenceLength = 300;

        private const int MaxSources = 8;

        private readonly Dictionary<(string Id, string Detail), Finding> _findings = new Dictionary<(string, string), Finding>();
        private long _order;

        /// <summary>Records that <paramref name="entry"/> shows the issue; <paramref name="index"/> is where in its message.</summary>
        public void Add(KnownIssue issue, string detail, IoTEdgeLogEntry entry, int index = -1)
        {
            if (!_findings.TryGetValue((issue.Id, detail), out var finding))
            {
                finding = new Finding(issue, detail, _order++);
                _findings.Add((issue.Id, detail), finding);
            }

            finding.Count++;
            if (entry.TimeCreated is DateTimeOffset time)
            {
                if (finding.First == null || time < finding.First) finding.First = time;
                if (finding.Last == null || time > finding.Last) finding.Last = time;
            }

            if (entry.Source.Length > 0 && finding.Sources.Count < MaxSources && !finding.Sources.Contains(entry.Source)) finding.Sources.Add(entry.Source);
            if (finding.Evidence.Count < MaxEvidence - 1) finding.Evidence.Add(EvidenceLine(entry, index));
            else finding.LastEvidence = entry; // made into text once, at the end
            finding.LastIndex = index;
        }

        /// <summary>Forgets what the issue recorded (a sequence that ended well).</summary>
        public void Remove(KnownIssue issue)
        {
            foreach (var key in _findings.Keys.Where(k => k.Id == issue.Id).ToList()) _findings.Remove(key);
        }

        /// <summary>Whether the issue recorded anything.</summary>
        public bool Has(KnownIssue issue) => _findings.Keys.Any(k => k.Id == issue.Id);

        internal IEnumerable<IoTEdgeKnownIssue> Results() => _findings.Values
            .Where(f => f.Count >= f.Issue.MinimumOccurrences)
            .OrderBy(f => f.First ?? DateTimeOffset.MaxValue).ThenBy(f => f.Order)
            .Select(f => new IoTEdgeKnownIssue
            {
                IssueId = f.Issue.Id,
                Title = f.Issue.TitleFor(f.Detail),
                Source = string.Join(", ", f.Sources),
                FirstSeen = f.First,
                LastSeen = f.Last,
                Occurrences = f.Count,
                Evidence = f.LastEvidence == null ? f.Evidence.ToArray() : f.Evidence.Append(EvidenceLine(f.LastEvidence, f.LastIndex)).ToArray(),
                RootCause = f.Issue.RootCause,
                Resolution = f.Issue.Resolution,
                RemedyCommand = f.Issue.RemedyFor(f.Detail),
                HelpUri = f.Issue.HelpUri,
            });

        // "2026-07-20 10:11:12Z edgeHub: <the line of the message that matched>", cut to a readable length.
        private static string EvidenceLine(IoTEdgeLogEntry entry, int index)
        {
            string message = entry.Message;
            int start = 0, end = message.Length;
            if (index >= 0 && index < message.Length)
            {
                start = message.LastIndexOf('\n', index) + 1;
                int newline = message.IndexOf('\n', index);
                if (newline >= 0) end = newline;
            }
            else
            {
                int newline = message.IndexOf('\n');
                if (newline >= 0) end = newline;
            }

            var text = new StringBuilder();
            if (entry.TimeCreated is DateTimeOffset time) text.Append(time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)).Append(' ');
            if (entry.Source.Length > 0) text.Append(entry.Source).Append(": ");
            int length = Math.Min(end - start, MaxEvidenceLength);
            text.Append(message, start, length).Replace('\r', ' ');
            if (end - start > MaxEvidenceLength) text.Append('…');
            return Platform.SecretMasker.Mask(text.ToString());
        }

        private sealed class Finding
        {
            public Finding(KnownIssue issue, string detail, long order)
            {
                Issue = issue;
                Detail = detail;
                Order = order;
            }

            public KnownIssue Issue { get; }

            public string Detail { get; }

            public long Order { get; }

            public int Count;
            public DateTimeOffset? First;
            public DateTimeOffset? Last;
            public List<string> Sources { get; } = new List<string>();
            public List<string> Evidence { get; } = new List<string>();
            public IoTEdgeLogEntry? LastEvidence;
            public int LastIndex;
        }
    }
}
