using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using IoTEdgeTroubleshoot.Edge.Logs;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues
{
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
