using System.Collections.Generic;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Config
{
    /// <summary>
    /// An IoT Edge config file as read: its text, exactly as on disk, and its tree with the position of
    /// every node, so that checks can point at a line and column and edits can change one value and leave
    /// every other byte alone. Two formats: <see cref="YamlConfigDocument"/> (1.0/1.1 config.yaml) and
    /// <see cref="TomlConfigDocument"/> (1.2 and later, config.toml); checks and edits see only this type.
    /// </summary>
    public abstract class EdgeConfigDocument
    {
        private protected EdgeConfigDocument(TextFileSnapshot file, ConfigNode? root, ConfigSyntaxError? error)
        {
            File = file;
            Root = root;
            SyntaxError = error;
        }

        public TextFileSnapshot File { get; }

        public string Path => File.Path;

        public abstract EdgeGeneration Generation { get; }

        /// <summary>"YAML" or "TOML", for messages.</summary>
        public abstract string FormatName { get; }

        /// <summary>The parse error, when the file is not well-formed (or not a mapping of settings).</summary>
        public ConfigSyntaxError? SyntaxError { get; }

        public bool IsValid => SyntaxError == null && Root != null;

        /// <summary>The top-level mapping; null when the file does not parse.</summary>
        public ConfigNode? Root { get; }

        /// <summary>Reads a file, of the generation given, or else the one its name and content say.</summary>
        public static EdgeConfigDocument Load(string path, EdgeGeneration? generation = null) =>
            Parse(TextFileSnapshot.Read(path), generation);

        public static EdgeConfigDocument Parse(TextFileSnapshot file, EdgeGeneration? generation = null) =>
            (generation ?? GenerationDetector.FromFile(file.Path, file.Text)) == EdgeGeneration.V1_1
                ? YamlConfigDocument.Parse(file)
                : (EdgeConfigDocument)TomlConfigDocument.Parse(file);

        /// <summary>The same file with other text, parsed the same way (to check a planned edit before it is written).</summary>
        public EdgeConfigDocument WithText(string text) => Parse(File.WithText(text), Generation);

        /// <summary>The node at a path of keys ("agent", "env"), or null.</summary>
        public ConfigNode? Find(params string[] keys)
        {
            ConfigNode? node = Root;
            foreach (var key in keys)
            {
                node = node?.Type == ConfigValueType.Mapping ? node[key] : null;
                if (node == null) return null;
            }

            return node;
        }

        /// <summary>The entry (key and value) of the last key of the path, for the key's position; or null.</summary>
        public ConfigEntry? FindEntry(params string[] keys)
        {
            if (keys.Length == 0) return null;
            var parent = keys.Length == 1 ? Root : Find(Parents(keys));
            return parent?.Type == ConfigValueType.Mapping ? parent.Entry(keys[keys.Length - 1]) : null;
        }

        /// <summary>The scalar text at a path, or null when it is missing or not a scalar.</summary>
        public string? ScalarValue(params string[] keys)
        {
            var node = Find(keys);
            return node != null && node.IsScalar ? node.Text : null;
        }

        /// <summary>
        /// The text with the setting at <paramref name="keys"/> set to the string <paramref name="value"/>:
        /// the value replaced in place when it exists, otherwise the lines it needs added in this format's
        /// way. Comments, quotes, layout and line endings of everything else stay as they were.
        /// Throws <see cref="TroubleshootException"/> when the file's shape leaves no safe place for it.
        /// </summary>
        internal abstract string SetString(IReadOnlyList<string> keys, string value);

        internal static string[] Parents(IReadOnlyList<string> keys)
        {
            var parents = new string[keys.Count - 1];
            for (int i = 0; i < parents.Length; i++) parents[i] = keys[i];
            return parents;
        }
    }
}
