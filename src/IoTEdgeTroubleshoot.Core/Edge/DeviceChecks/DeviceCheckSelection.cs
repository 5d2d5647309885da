using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks
{
    /// <summary>
    /// A check that reports under ids of its own (the config checks' hostname, the probes' host-connect-iothub-amqp):
    /// -Include and -Exclude name those ids too, so the runner must know them before it runs the check.
    /// </summary>
    public interface IDeviceCheckResultIds
    {
        /// <summary>Every CheckId its results may carry, in the order they come.</summary>
        IReadOnlyList<string> ResultIds { get; }
    }

    /// <summary>
    /// What Test-IoTEdge -Include, -Exclude and -Category select. An id pattern (wildcards * and ?, any case) names a
    /// check or one of the ids its results carry: -Include hostname runs the config checks and keeps only that result;
    /// -Exclude 'host-connect-*' drops the probes' results.
    /// </summary>
    public sealed class DeviceCheckSelection
    {
        private readonly Regex[] _include;
        private readonly Regex[] _exclude;
        private readonly HashSet<DeviceCheckCategory> _categories;

        public DeviceCheckSelection(IEnumerable<string>? include = null, IEnumerable<string>? exclude = null, IEnumerable<DeviceCheckCategory>? categories = null)
        {
            _include = Patterns(include);
            _exclude = Patterns(exclude);
            _categories = new HashSet<DeviceCheckCategory>(categories ?? Enumerable.Empty<DeviceCheckCategory>());
        }

        /// <summary>Whether the check runs: its category is asked for, something it reports is included, and it is not excluded as a whole.</summary>
        public bool Selects(IDeviceCheck check)
        {
            if (_categories.Count > 0 && !_categories.Contains(check.Category)) return false;
            if (Matches(_exclude, check.Id)) return false;
            if (_include.Length == 0 || Matches(_include, check.Id)) return true;
            return ResultIdsOf(check).Any(id => Matches(_include, id));
        }

        /// <summary>Whether one result of a selected check is kept.</summary>
        public bool Keeps(IDeviceCheck check, IoTEdgeCheckResult result)
        {
            if (Matches(_exclude, result.CheckId)) return false;
            return _include.Length == 0 || Matches(_include, check.Id) || Matches(_include, result.CheckId);
        }

        /// <summary>The check's own id and the ids its results carry.</summary>
        public static IEnumerable<string> ResultIdsOf(IDeviceCheck check) =>
            check is IDeviceCheckResultIds reported ? reported.ResultIds : Enumerable.Empty<string>();

        /// <summary>The patterns that match none of <paramref name="ids"/> (a typing mistake selects nothing, silently otherwise).</summary>
        public static IEnumerable<string> Unmatched(IEnumerable<string>? patterns, IEnumerable<string> ids)
        {
            var known = ids.ToList();
            return (patterns ?? Enumerable.Empty<string>()).Where(p => !string.IsNullOrWhiteSpace(p) && !known.Any(id => Matches(Patterns(new[] { p }), id)));
        }

        private static bool Matches(Regex[] patterns, string id) => patterns.Any(p => p.IsMatch(id));

        private static Regex[] Patterns(IEnumerable<string>? patterns) => (patterns ?? Enumerable.Empty<string>())
            .Where(p => !string.IsNullOrWhiteSpace(p))
            .Select(p => new Regex("^" + Regex.Escape(p.Trim()).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            .ToArray();
    }
}
