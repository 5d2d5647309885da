using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
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

    /// <summary>
    /// Looks for every known issue in a stream of log entries (daemon and module logs mixed, in any order).
    /// One compiled pattern of every issue's needles is the prefilter: an entry that holds none (nearly every
    /// entry of a healthy log) costs one scan and no allocation; an entry that holds one goes to the issues
    /// whose needle it holds.
    /// </summary>
    public sealed class KnownIssueMatcher
    {
        private readonly IReadOnlyList<KnownIssue> _issues;
        private readonly Regex _prefilter;
        private readonly KnownIssueFindings _findings = new KnownIssueFindings();

        public KnownIssueMatcher()
            : this(KnownIssueCatalog.Create())
        {
        }

        public KnownIssueMatcher(IReadOnlyList<KnownIssue> issues)
        {
            _issues = issues;
            _prefilter = Prefilter(issues);
        }

        /// <summary>Entries looked at.</summary>
        public long Entries { get; private set; }

        public void Observe(IoTEdgeLogEntry entry)
        {
            Entries++;
            string message = entry.Message;
            if (message.Length == 0 || !_prefilter.IsMatch(message)) return;
            foreach (var issue in _issues)
            {
                foreach (var needle in issue.Needles)
                {
                    if (message.IndexOf(needle, StringComparison.OrdinalIgnoreCase) < 0) continue;
                    issue.Observe(entry, _findings);
                    break;
                }
            }
        }

        /// <summary>The issues found, the earliest first; nothing for a clean log.</summary>
        public IReadOnlyList<IoTEdgeKnownIssue> Complete()
        {
            foreach (var issue in _issues) issue.Complete(_findings);
            return _findings.Results().ToList();
        }

        internal static Regex Prefilter(IEnumerable<KnownIssue> issues)
        {
            var needles = issues.SelectMany(i => i.Needles).Distinct(StringComparer.OrdinalIgnoreCase).OrderByDescending(n => n.Length).Select(Regex.Escape);
            return new Regex(string.Join("|", needles), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
        }
    }
}
