using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using IoTEdgeTroubleshoot.Platform;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace IoTEdgeTroubleshoot.Edge.Config
{
    /// <summary>
    /// An IoT Edge 1.0/1.1 config.yaml. The tree is built straight from the parser's events (never
    /// YamlDotNet's object model), so that aliases are bounded: a "billion laughs" file or an alias that
    /// refers to the node it is in is refused with its position, quickly, instead of expanding for
    /// minutes or throwing. Plain scalars are typed as the daemon's YAML reader (yaml-rust) types them.
    /// </summary>
    public sealed class YamlConfigDocument : EdgeConfigDocument
    {
        /// <summary>Nodes the file may expand to through aliases; a real config.yaml has under a thousand.</summary>
        public const int MaxExpandedNodes = 100_000;

        /// <summary>Nesting the file may have; config.yaml nests four or five levels.</summary>
        public const int MaxDepth = 64;

        private YamlConfigDocument(TextFileSnapshot file, ConfigNode? root, ConfigSyntaxError? error, IReadOnlyList<ConfigEntry> duplicates)
            : base(file, root, error)
        {
            DuplicateKeys = duplicates;
        }

        public override EdgeGeneration Generation => EdgeGeneration.V1_1;

        public override string FormatName => "YAML";

        /// <summary>Keys written twice in one mapping (the later entry): YAML readers keep the last, which surprises people.</summary>
        public IReadOnlyList<ConfigEntry> DuplicateKeys { get; }

        public static YamlConfigDocument Parse(TextFileSnapshot file)
        {
            if (file.Text.Trim().Length == 0) return Failed(file, 1, 1, "The file is empty.");
            try
            {
                var builder = new TreeBuilder();
                var parser = new Parser(new StringReader(file.Text));
                while (parser.MoveNext())
                {
                    var problem = builder.Add(parser.Current!);
                    if (problem != null) return Failed(file, problem.Line, problem.Column, problem.Message);
                }

                if (builder.Root == null) return Failed(file, 1, 1, "The file holds only comments: no YAML document.");
                if (builder.Root.Type != ConfigValueType.Mapping)
                {
                    return Failed(file, builder.Root.Line, builder.Root.Column, "The file is not a YAML mapping of settings (key: value lines).");
                }

                return new YamlConfigDocument(file, builder.Root, null, builder.Duplicates);
            }
            catch (YamlException ex)
            {
                return Failed(file, (int)ex.Start.Line, (int)ex.Start.Column, SecretMasker.Mask(CleanMessage(ex)));
            }
            catch (Exception ex) when (ex is ArgumentException || ex is InvalidOperationException || ex is FormatException || ex is OverflowException)
            {
                // The parser's own failures on odd input: still "not valid YAML", never a crash.
                return Failed(file, 1, 1, SecretMasker.Mask(ex.Message));
            }
        }

        internal override string SetString(IReadOnlyList<string> keys, string value) => YamlEdits.SetString(this, keys, value);

        private static YamlConfigDocument Failed(TextFileSnapshot file, int line, int column, string message) =>
            new YamlConfigDocument(file, null, new ConfigSyntaxError(line, column, message), Array.Empty<ConfigEntry>());

        // YamlDotNet's messages start with "(Line: 3, Col: 5, Idx: 40) - (Line: ...): ": we give the position ourselves.
        private static string CleanMessage(YamlException ex)
        {
            string message = ex.Message;
            int at = message.LastIndexOf("): ", StringComparison.Ordinal);
            return at >= 0 && message.StartsWith("(", StringComparison.Ordinal) ? message.Substring(at + 3) : message;
        }

        /// <summary>Builds the tree from parser events, counting what aliases expand to.</summary>
        private sealed class TreeBuilder
        {
            private readonly Stack<Frame> _open = new Stack<Frame>();
            private readonly Dictionary<string, Anchored> _anchors = new Dictionary<string, Anchored>(StringComparer.Ordinal);
            private int _documents;
            private long _expanded;

            public ConfigNode? Root { get; private set; }

            public List<ConfigEntry> Duplicates { get; } = new List<ConfigEntry>();

            public ConfigSyntaxError? Add(ParsingEvent e)
            {
                switch (e)
                {
                    case DocumentStart:
                        return ++_documents > 1
                            ? Error(e, "The file holds more than one YAML document (a second '---'); the daemon reads a file with exactly one.")
                            : null;
                    case Scalar scalar:
                        return Place(e, ScalarNode(scalar), scalar.Anchor, 1);
                    case MappingStart mapping:
                        return Open(e, new ConfigNode(ConfigValueType.Mapping, Line(e), Column(e), (int)e.Start.Index) { IsFlow = mapping.Style == YamlDotNet.Core.Events.MappingStyle.Flow }, mapping.Anchor);
                    case SequenceStart sequence:
                        return Open(e, new ConfigNode(ConfigValueType.Sequence, Line(e), Column(e), (int)e.Start.Index) { IsFlow = sequence.Style == YamlDotNet.Core.Events.SequenceStyle.Flow }, sequence.Anchor);
                    case MappingEnd:
                    case SequenceEnd:
                        return Close(e);
                    case AnchorAlias alias:
                        return Alias(e, alias.Value.Value);
                    default:
                        return null;
                }
            }

            private ConfigSyntaxError? Open(ParsingEvent e, ConfigNode node, AnchorName anchor)
            {
                if (_open.Count >= MaxDepth) return Error(e, $"The file nests deeper than {MaxDepth} levels; config.yaml needs five.");
                var frame = new Frame(node, anchor.IsEmpty ? null : anchor.Value);
                if (frame.Anchor != null) _anchors[frame.Anchor] = new Anchored(node, (int)e.Start.Line, open: true);
                _open.Push(frame);
                return Count(e, 1);
            }

            private ConfigSyntaxError? Close(ParsingEvent e)
            {
                var frame = _open.Pop();
                frame.Node.EndOffset = (int)e.End.Index;
                if (frame.Anchor != null) _anchors[frame.Anchor] = new Anchored(frame.Node, frame.Node.Line, open: false) { Size = frame.Size };
                return Place(e, frame.Node, AnchorName.Empty, frame.Size, counted: true);
            }

            private ConfigSyntaxError? Alias(ParsingEvent e, string name)
            {
                if (!_anchors.TryGetValue(name, out var anchored))
                {
                    return Error(e, $"The alias *{name} refers to no anchor &{name} before it.");
                }

                if (anchored.Open)
                {
                    return Error(e, $"The alias *{name} is inside the node it refers to (&{name}, line {anchored.Line}): it would repeat itself without end.");
                }

                var problem = Count(e, anchored.Size);
                return problem ?? Place(e, anchored.Node, AnchorName.Empty, anchored.Size, counted: true);
            }

            // Puts a finished node where it belongs: the root, an item, a key, or the value of the pending key.
            private ConfigSyntaxError? Place(ParsingEvent e, ConfigNode node, AnchorName anchor, long size, bool counted = false)
            {
                if (!counted)
                {
                    var problem = Count(e, size);
                    if (problem != null) return problem;
                    if (!anchor.IsEmpty) _anchors[anchor.Value] = new Anchored(node, node.Line, open: false) { Size = size };
                }

                if (_open.Count == 0)
                {
                    Root ??= node;
                    return null;
                }

                var parent = _open.Peek();
                parent.Size += size;
                if (parent.Node.Type == ConfigValueType.Sequence)
                {
                    parent.Node.Add(node);
                }
                else if (parent.PendingKey == null)
                {
                    parent.PendingKey = node;
                }
                else
                {
                    var key = parent.PendingKey;
                    parent.PendingKey = null;
                    string name = key.IsScalar ? key.Text ?? string.Empty : string.Empty;
                    var entry = new ConfigEntry(name, key.Line, key.Column, key.Offset, node);
                    if (parent.Node.Entry(name) != null) Duplicates.Add(entry);
                    parent.Node.Add(entry);
                }

                return null;
            }

            private ConfigSyntaxError? Count(ParsingEvent e, long size)
            {
                _expanded += size;
                return _expanded > MaxExpandedNodes
                    ? Error(e, $"Aliases here make the file expand to more than {MaxExpandedNodes:N0} values (a 'billion laughs' file); it was not read further.")
                    : null;
            }

            private static ConfigNode ScalarNode(Scalar scalar)
            {
                var style = scalar.Style switch
                {
                    ScalarStyle.SingleQuoted => ConfigScalarStyle.SingleQuoted,
                    ScalarStyle.DoubleQuoted => ConfigScalarStyle.DoubleQuoted,
                    ScalarStyle.Literal or ScalarStyle.Folded => ConfigScalarStyle.Block,
                    _ => ConfigScalarStyle.Plain,
                };
                var type = style == ConfigScalarStyle.Plain ? PlainType(scalar.Value) : ConfigValueType.String;
                return new ConfigNode(type, Line(scalar), Column(scalar), (int)scalar.Start.Index)
                {
                    Text = type == ConfigValueType.Null ? null : scalar.Value,
                    Style = style,
                    EndOffset = (int)scalar.End.Index,
                };
            }

            private static ConfigSyntaxError Error(ParsingEvent e, string message) => new ConfigSyntaxError(Line(e), Column(e), message);

            private static int Line(ParsingEvent e) => (int)e.Start.Line;

            private static int Column(ParsingEvent e) => (int)e.Start.Column;

            private sealed class Frame
            {
                public Frame(ConfigNode node, string? anchor)
                {
                    Node = node;
                    Anchor = anchor;
                }

                public ConfigNode Node { get; }

                public string? Anchor { get; }

                public ConfigNode? PendingKey { get; set; }

                public long Size { get; set; } = 1;
            }

            private sealed class Anchored
            {
                public Anchored(ConfigNode node, int line, bool open)
                {
                    Node = node;
                    Line = line;
                    Open = open;
                }

                public ConfigNode Node { get; }

                public int Line { get; }

                public bool Open { get; }

                public long Size { get; set; } = 1;
            }
        }

        /// <summary>What yaml-rust (the 1.1 daemon's reader) makes of a plain scalar: null, bool, integer, float or string.</summary>
        internal static ConfigValueType PlainType(string value)
        {
            switch (value)
            {
                case "":
                case "~":
                case "null":
                    return ConfigValueType.Null;
                case "true":
                case "false":
                    return ConfigValueType.Boolean;
            }

            if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) return ConfigValueType.Integer;
            if (value.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(value.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _)) return ConfigValueType.Integer;
            if (value.StartsWith("0o", StringComparison.Ordinal) && value.Length > 2 && value.Substring(2).Trim('0', '1', '2', '3', '4', '5', '6', '7').Length == 0) return ConfigValueType.Integer;
            if (value == ".inf" || value == "-.inf" || value == ".nan") return ConfigValueType.Float;
            if (value.IndexOfAny(new[] { '.', 'e', 'E' }) >= 0 && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return ConfigValueType.Float;
            return ConfigValueType.String;
        }
    }
}
