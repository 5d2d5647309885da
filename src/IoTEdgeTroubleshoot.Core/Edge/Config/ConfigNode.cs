using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.Edge.Config
{
    /// <summary>What a value is, in the terms both formats share (YAML plain scalars are typed as the 1.1 daemon's YAML reader types them).</summary>
    public enum ConfigValueType
    {
        Null,
        String,
        Boolean,
        Integer,
        Float,
        DateTime,
        Mapping,
        Sequence,
    }

    /// <summary>How a scalar is written, which an edit keeps.</summary>
    public enum ConfigScalarStyle
    {
        /// <summary>Not a scalar, or a YAML plain scalar / TOML bare value (numbers, booleans).</summary>
        Plain,

        /// <summary>YAML '...', TOML '...' (literal string).</summary>
        SingleQuoted,

        /// <summary>YAML "...", TOML "..." (basic string).</summary>
        DoubleQuoted,

        /// <summary>YAML | and >, TOML """ and ''': values an edit rewrites as a double-quoted string.</summary>
        Block,
    }

    /// <summary>
    /// One node of a config file, whatever its format: a scalar, a mapping (YAML mapping, TOML table or
    /// inline table) or a sequence, with the place it starts and ends in the text. Checks read values and
    /// positions from it; the edit engine reads the spans. Line and column are 1-based, offsets 0-based
    /// and <see cref="EndOffset"/> exclusive.
    /// </summary>
    public sealed class ConfigNode
    {
        private readonly List<ConfigEntry> _entries = new List<ConfigEntry>();
        private readonly List<ConfigNode> _items = new List<ConfigNode>();

        internal ConfigNode(ConfigValueType type, int line, int column, int offset)
        {
            Type = type;
            Line = line;
            Column = column;
            Offset = offset;
            EndOffset = offset;
        }

        public ConfigValueType Type { get; }

        /// <summary>The scalar's value as text (booleans as true/false); null for mappings, sequences and YAML null.</summary>
        public string? Text { get; internal set; }

        public ConfigScalarStyle Style { get; internal set; }

        /// <summary>A flow collection ({ } or [ ]) rather than a block (YAML) or a table (TOML).</summary>
        public bool IsFlow { get; internal set; }

        public int Line { get; }

        public int Column { get; }

        public int Offset { get; }

        public int EndOffset { get; internal set; }

        public bool IsScalar => Type != ConfigValueType.Mapping && Type != ConfigValueType.Sequence;

        /// <summary>Every key of a mapping, in file order; a key written twice (allowed in YAML) appears twice.</summary>
        public IReadOnlyList<ConfigEntry> Entries => _entries;

        public IReadOnlyList<ConfigNode> Items => _items;

        /// <summary>The value of <paramref name="key"/>: the last one when it is written twice, as the daemon reads it.</summary>
        public ConfigNode? this[string key] => Entry(key)?.Value;

        public ConfigEntry? Entry(string key)
        {
            for (int i = _entries.Count - 1; i >= 0; i--)
            {
                if (_entries[i].Key == key) return _entries[i];
            }

            return null;
        }

        internal void Add(ConfigEntry entry) => _entries.Add(entry);

        internal void Add(ConfigNode item) => _items.Add(item);

        public override string ToString() => IsScalar ? Text ?? "null" : Type.ToString();
    }

    /// <summary>A key of a mapping with its value; the key's own position is where a result about the setting points.</summary>
    public sealed class ConfigEntry
    {
        internal ConfigEntry(string key, int line, int column, int offset, ConfigNode value)
        {
            Key = key;
            Line = line;
            Column = column;
            Offset = offset;
            Value = value;
        }

        public string Key { get; }

        public int Line { get; }

        public int Column { get; }

        public int Offset { get; }

        public ConfigNode Value { get; }
    }

    /// <summary>Where the parser stopped, and why.</summary>
    public sealed class ConfigSyntaxError
    {
        public ConfigSyntaxError(int line, int column, string message)
        {
            Line = line;
            Column = column;
            Message = message;
        }

        public int Line { get; }

        public int Column { get; }

        public string Message { get; }
    }

    internal static class ConfigNodePaths
    {
        /// <summary>"agent.env.RuntimeLogLevel": how results name a setting.</summary>
        public static string Name(IEnumerable<string> keys) => string.Join(".", keys);

        public static string[] Append(IReadOnlyList<string> keys, string key) => keys.Concat(new[] { key }).ToArray();
    }
}
