using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using IoTEdgeTroubleshoot.Edge.Logs;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues
{
    /// <summary>
    /// One known issue of IoT Edge: how its log lines read, why it happens, what fixes it. One class per issue
    /// in Issues/, listed once in <see cref="KnownIssueCatalog"/>. An instance serves one search, so an issue
    /// that is a sequence (edgeAgent tries AMQP, then AMQP over WebSocket, then nothing) may keep state.
    /// </summary>
    public abstract class KnownIssue
    {
        /// <summary>The guide this module's issues come from (Common issues and resolutions for Azure IoT Edge).</summary>
        public const string CommonErrorsUri = "https://learn.microsoft.com/azure/iot-edge/troubleshoot-common-errors";

        /// <summary>
        /// Not compiled: a signature runs only on the few entries the prefilter lets through, so compiling each
        /// (tens of milliseconds at start-up) would cost more than it saves.
        /// </summary>
        protected const RegexOptions SignatureOptions = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

        public abstract string Id { get; }

        public abstract string Title { get; }

        public abstract string RootCause { get; }

        public abstract string Resolution { get; }

        public virtual string? RemedyCommand => null;

        public virtual string HelpUri => CommonErrorsUri;

        /// <summary>
        /// Words (lower case) one of which every line of the symptom holds. They make the matcher's one prefilter,
        /// so a line that holds none of any issue's costs one scan; only lines that hold one reach <see cref="Observe"/>.
        /// </summary>
        public abstract IReadOnlyList<string> Needles { get; }

        /// <summary>How many entries make the issue: the guide's "continually" reported symptoms need more than one.</summary>
        public virtual int MinimumOccurrences => 1;

        /// <summary>The title of one finding; <paramref name="detail"/> is what tells findings of the issue apart (a port).</summary>
        public virtual string TitleFor(string detail) => Title;

        /// <summary>The remedy of one finding.</summary>
        public virtual string? RemedyFor(string detail) => RemedyCommand;

        /// <summary>Looks at an entry that holds one of the <see cref="Needles"/>, and records what it shows.</summary>
        public abstract void Observe(IoTEdgeLogEntry entry, KnownIssueFindings findings);

        /// <summary>Called once after the last entry: a sequence decides here whether what it recorded stands.</summary>
        public virtual void Complete(KnownIssueFindings findings)
        {
        }
    }

    /// <summary>An issue recognised by one pattern; a group named "detail" (a port) tells its findings apart.</summary>
    public abstract class SignatureIssue : KnownIssue
    {
        protected abstract Regex Signature { get; }

        public override void Observe(IoTEdgeLogEntry entry, KnownIssueFindings findings)
        {
            var match = Signature.Match(entry.Message);
            if (!match.Success || !Accept(entry, match)) return;
            var detail = match.Groups["detail"];
            findings.Add(this, detail.Success ? detail.Value : string.Empty, entry, match.Index);
        }

        /// <summary>A further condition on a matching entry (its source, say).</summary>
        protected virtual bool Accept(IoTEdgeLogEntry entry, Match match) => true;
    }
}
