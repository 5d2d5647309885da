using System.Collections.Generic;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// Reads settings the way one generation's daemon does and turns what it would refuse into results of
    /// one check, each at the value's (or its section's) position, with the remedy: missing, of the wrong
    /// type, a placeholder, pasted damage, not a URI, a file that is not there.
    /// </summary>
    internal sealed class SettingReader
    {
        private readonly IConfigCheck _check;
        private readonly ConfigCheckContext _context;
        private readonly EdgeGeneration _generation;

        public SettingReader(IConfigCheck check, ConfigCheckContext context, EdgeGeneration generation)
        {
            _check = check;
            _context = context;
            _generation = generation;
        }

        private EdgeConfigDocument Doc => _context.Document!;

        public IoTEdgeCheckResult Error(string message, ConfigPlace? at, string? remedy) => _check.Result(_context, CheckStatus.Error, message, at, remedy);

        /// <summary>The string the daemon reads there, or null (missing, or not a string).</summary>
        public string? Text(params string[] keys)
        {
            var node = Doc.Find(keys);
            return node == null ? null : SettingValues.AsString(node, _generation);
        }

        /// <summary>A setting the daemon needs, as a string that is not a placeholder or pasted damage.</summary>
        public IEnumerable<IoTEdgeCheckResult> Required(params string[] keys) => Value(keys, required: true, check: null);

        /// <summary>An optional string setting: when present, a real value.</summary>
        public IEnumerable<IoTEdgeCheckResult> Optional(params string[] keys) => Value(keys, required: false, check: null);

        /// <summary>A URI the daemon's url parser takes (http://, unix://, file://, ...).</summary>
        public IEnumerable<IoTEdgeCheckResult> Url(params string[] keys) => Value(keys, required: true, check: (name, value) =>
            SettingValues.AsUri(value) == null ? $"{name} is '{value}', which is not a URI (scheme://...)." : null);

        /// <summary>A file:// URI of a file that exists.</summary>
        public IEnumerable<IoTEdgeCheckResult> FileUrl(params string[] keys) => Value(keys, required: true, check: (name, value) =>
        {
            var uri = SettingValues.AsUri(value);
            if (uri == null) return $"{name} is '{value}', which is not a URI; write the file as file:///path/to/file.";
            string? path = SettingValues.FilePath(uri);
            if (path == null) return $"{name} is '{value}'; the daemon takes only file:/// URIs (no host other than localhost) here.";
            return _context.FileExists(path) ? null : $"{name} points at '{path}', which does not exist.";
        });

        public IEnumerable<IoTEdgeCheckResult> Base64(params string[] keys) => Value(keys, required: true, check: (name, value) =>
            SettingValues.IsBase64(value) ? null : $"{name} is not valid base64 (cut short, or a character changed?).");

        public IEnumerable<IoTEdgeCheckResult> ConnectionString(params string[] keys)
        {
            var node = Doc.Find(keys);
            string name = ConfigNodePaths.Name(keys);
            string? value = node == null ? null : SettingValues.AsString(node, _generation);
            if (node == null || value == null)
            {
                yield return Error(node == null ? $"{name} is not set." : $"{name} is {SettingValues.Describe(node)}; it must be the connection string in quotes.",
                    (ConfigPlace?)node ?? Doc.FindEntry(EdgeConfigDocument.Parents(keys)), ConnectionStringRules.Copy);
                yield break;
            }

            foreach (var problem in ConnectionStringRules.Problems(value, _generation)) yield return Error(problem, node, ConnectionStringRules.Copy);
        }

        /// <summary>An optional boolean, read as this daemon reads one.</summary>
        public IEnumerable<IoTEdgeCheckResult> Bool(params string[] keys)
        {
            var node = Doc.Find(keys);
            if (node == null || SettingValues.AsBool(node, _generation) != null) yield break;
            yield return Error(_generation == EdgeGeneration.V1_1
                    ? $"{ConfigNodePaths.Name(keys)} is {SettingValues.Describe(node)}; the daemon reads true or false (also yes/no, on/off, 1/0)."
                    : $"{ConfigNodePaths.Name(keys)} is {SettingValues.Describe(node)}; it must be true or false, without quotes.",
                node, "Write true or false.");
        }

        private IEnumerable<IoTEdgeCheckResult> Value(string[] keys, bool required, System.Func<string, string, string?>? check)
        {
            var node = Doc.Find(keys);
            string name = ConfigNodePaths.Name(keys);
            if (node == null)
            {
                if (required)
                {
                    yield return Error($"{name} is not set.", Doc.FindEntry(EdgeConfigDocument.Parents(keys)) ?? Doc.FindEntry(keys[0]),
                        $"Set {name} (the portal shows it for your device or enrollment).");
                }

                yield break;
            }

            string? value = SettingValues.AsString(node, _generation);
            if (value == null)
            {
                yield return Error(_generation == EdgeGeneration.V1_2 && node.IsScalar && node.Type != ConfigValueType.Null
                        ? $"{name} is {SettingValues.Describe(node)}; it must be a string in quotes."
                        : $"{name} is {SettingValues.Describe(node)}; it must be a value.",
                    node, $"Write {name} as a value in quotes.");
                yield break;
            }

            string? problem = value.Trim().Length == 0 ? "it is empty." : PastedValue.Problem(value);
            if (problem != null)
            {
                yield return Error($"{name} is not usable: {problem}", node, $"Set {name} to its real value.");
                yield break;
            }

            string? invalid = check?.Invoke(name, value);
            if (invalid != null) yield return Error(invalid, node, null);
        }
    }
}
