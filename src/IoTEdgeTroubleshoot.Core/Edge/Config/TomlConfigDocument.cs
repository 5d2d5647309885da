using System;
using System.Collections.Generic;
using System.Linq;
using IoTEdgeTroubleshoot.Platform;
using Tomlyn;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace IoTEdgeTroubleshoot.Edge.Config
{
    /// <summary>
    /// An IoT Edge 1.2+ config.toml, read with Tomlyn's lossless syntax tree: every value keeps its span,
    /// so that results name line and column and edits replace only a value's characters. Tomlyn reads
    /// TOML 1.1; what 1.1 added and the daemons' TOML 1.0 reader refuses is reported as an error too.
    /// </summary>
    public sealed class TomlConfigDocument : EdgeConfigDocument
    {
        private TomlConfigDocument(TextFileSnapshot file, ConfigNode? root, ConfigSyntaxError? error, DocumentSyntax? syntax)
            : base(file, root, error)
        {
            Syntax = syntax;
        }

        public override EdgeGeneration Generation => EdgeGeneration.V1_2;

        public override string FormatName => "TOML";

        internal DocumentSyntax? Syntax { get; }

        public static TomlConfigDocument Parse(TextFileSnapshot file)
        {
            DocumentSyntax syntax;
            try
            {
                syntax = SyntaxParser.Parse(file.Text, file.Path, validate: true);
            }
            catch (TomlException ex)
            {
                // Tomlyn stops at 64 levels of nesting with an exception rather than a diagnostic.
                return new TomlConfigDocument(file, null, new ConfigSyntaxError(1, 1, SecretMasker.Mask(ex.Message)), null);
            }

            var error = syntax.Diagnostics.FirstOrDefault(d => d.Kind == DiagnosticMessageKind.Error);
            if (error != null)
            {
                return new TomlConfigDocument(file, null, new ConfigSyntaxError(error.Span.Start.Line + 1, error.Span.Start.Column + 1, SecretMasker.Mask(Hint(file.Text, error.Message))), syntax);
            }

            var beyond = Toml10.FirstViolation(file.Text, syntax);
            if (beyond != null) return new TomlConfigDocument(file, null, beyond, syntax);
            return new TomlConfigDocument(file, TomlTree.Build(syntax), null, syntax);
        }

        internal override string SetString(IReadOnlyList<string> keys, string value) => TomlEdits.SetString(this, keys, value);

        // A config.yaml under a TOML name is the usual way to get here: say so rather than only what the parser saw.
        private static string Hint(string text, string message) =>
            GenerationDetector.FromContent(text) == EdgeGeneration.V1_1
                ? message + " The file looks like an IoT Edge 1.1 config.yaml: 1.2 and later read TOML; 'sudo iotedge config import' converts the old file."
                : message;

        /// <summary>What TOML 1.1 allows and TOML 1.0, the daemons' reader, refuses.</summary>
        private static class Toml10
        {
            public static ConfigSyntaxError? FirstViolation(string text, DocumentSyntax syntax)
            {
                foreach (var node in Descendants(syntax))
                {
                    if (node is InlineTableSyntax table)
                    {
                        if (table.Span.Start.Line != table.Span.End.Line)
                        {
                            return At(table.Span.Start, "An inline table { } must be written on one line in TOML 1.0, which IoT Edge reads; use a [table] for a long one.");
                        }

                        if (table.Items.ChildrenCount > 0 && table.Items.GetChild(table.Items.ChildrenCount - 1)!.Comma != null)
                        {
                            return At(table.Span.Start, "An inline table { } cannot end with a comma in TOML 1.0, which IoT Edge reads.");
                        }
                    }
                    else if (node is StringValueSyntax s && s.Token != null && (s.Token.TokenKind == TokenKind.String || s.Token.TokenKind == TokenKind.StringMulti))
                    {
                        string raw = s.Token.Text ?? string.Empty;
                        for (int i = 0; i < raw.Length - 1; i++)
                        {
                            if (raw[i] != '\\') continue;
                            if (raw[i + 1] == 'e' || raw[i + 1] == 'x')
                            {
                                return At(s.Span.Start, $"The escape \\{raw[i + 1]} is TOML 1.1; IoT Edge reads TOML 1.0, which knows \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX and \\UXXXXXXXX.");
                            }

                            i++;
                        }
                    }
                }

                return null;
            }

            private static ConfigSyntaxError At(TextPosition position, string message) => new ConfigSyntaxError(position.Line + 1, position.Column + 1, message);

            private static IEnumerable<SyntaxNode> Descendants(SyntaxNode root)
            {
                var pending = new Stack<SyntaxNode>();
                pending.Push(root);
                while (pending.Count > 0)
                {
                    var node = pending.Pop();
                    yield return node;
                    for (int i = node.ChildrenCount - 1; i >= 0; i--)
                    {
                        if (node.GetChild(i) is SyntaxNode child) pending.Push(child);
                    }
                }
            }
        }
    }

    /// <summary>Tomlyn's syntax tree to the shared tree: tables, dotted keys and inline tables become mappings.</summary>
    internal static class TomlTree
    {
        public static ConfigNode Build(DocumentSyntax syntax)
        {
            var root = new ConfigNode(ConfigValueType.Mapping, 1, 1, 0);
            foreach (var kv in syntax.KeyValues) AddKeyValue(root, kv);
            foreach (var table in syntax.Tables)
            {
                if (table.Name == null) continue;
                var path = KeyParts(table.Name);
                var start = Position(table.Span.Start);
                ConfigNode node;
                if (table is TableArraySyntax)
                {
                    var array = Child(root, path.Take(path.Count - 1), start);
                    var list = array.Entry(path[path.Count - 1])?.Value;
                    if (list == null)
                    {
                        list = new ConfigNode(ConfigValueType.Sequence, start.Line, start.Column, start.Offset);
                        array.Add(new ConfigEntry(path[path.Count - 1], start.Line, start.Column, start.Offset, list));
                    }

                    node = new ConfigNode(ConfigValueType.Mapping, start.Line, start.Column, start.Offset);
                    list.Add(node);
                }
                else
                {
                    node = Child(root, path, start);
                }

                node.EndOffset = table.Span.End.Offset + 1;
                foreach (var kv in table.Items) AddKeyValue(node, kv);
            }

            return root;
        }

        /// <summary>The key's parts: a.b."c d" → a, b, c d.</summary>
        public static List<string> KeyParts(KeySyntax key)
        {
            var parts = new List<string> { Part(key.Key) };
            foreach (var dotted in key.DotKeys) parts.Add(Part(dotted.Key));
            return parts;
        }

        public static (int Line, int Column, int Offset) Position(TextPosition position) => (position.Line + 1, position.Column + 1, position.Offset);

        private static string Part(BareKeyOrStringValueSyntax? key) => key switch
        {
            BareKeySyntax bare => bare.Key?.Text ?? string.Empty,
            StringValueSyntax quoted => quoted.Value ?? string.Empty,
            _ => string.Empty,
        };

        private static void AddKeyValue(ConfigNode table, KeyValueSyntax kv)
        {
            if (kv.Key == null || kv.Value == null) return;
            var parts = KeyParts(kv.Key);
            var keyStart = Position(kv.Key.Span.Start);
            var parent = Child(table, parts.Take(parts.Count - 1), keyStart);
            parent.Add(new ConfigEntry(parts[parts.Count - 1], keyStart.Line, keyStart.Column, keyStart.Offset, Value(kv.Value)));
        }

        // The mapping at a path under a node, made when missing (implicit tables of dotted keys and headers).
        private static ConfigNode Child(ConfigNode node, IEnumerable<string> path, (int Line, int Column, int Offset) start)
        {
            foreach (var part in path)
            {
                var next = node.Entry(part)?.Value;
                if (next != null && next.Type == ConfigValueType.Sequence && next.Items.Count > 0) next = next.Items[next.Items.Count - 1];
                if (next == null || next.Type != ConfigValueType.Mapping)
                {
                    next = new ConfigNode(ConfigValueType.Mapping, start.Line, start.Column, start.Offset);
                    node.Add(new ConfigEntry(part, start.Line, start.Column, start.Offset, next));
                }

                node = next;
            }

            return node;
        }

        private static ConfigNode Value(ValueSyntax value)
        {
            var (line, column, offset) = Position(value.Span.Start);
            ConfigNode node;
            switch (value)
            {
                case StringValueSyntax s:
                    node = new ConfigNode(ConfigValueType.String, line, column, offset)
                    {
                        Text = s.Value,
                        Style = s.Token?.TokenKind switch
                        {
                            TokenKind.String => ConfigScalarStyle.DoubleQuoted,
                            TokenKind.StringLiteral => ConfigScalarStyle.SingleQuoted,
                            _ => ConfigScalarStyle.Block,
                        },
                    };
                    break;
                case BooleanValueSyntax b:
                    node = new ConfigNode(ConfigValueType.Boolean, line, column, offset) { Text = b.Value ? "true" : "false" };
                    break;
                case IntegerValueSyntax i:
                    node = new ConfigNode(ConfigValueType.Integer, line, column, offset) { Text = i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                    break;
                case FloatValueSyntax f:
                    node = new ConfigNode(ConfigValueType.Float, line, column, offset) { Text = f.Token?.Text };
                    break;
                case DateTimeValueSyntax d:
                    node = new ConfigNode(ConfigValueType.DateTime, line, column, offset) { Text = d.Token?.Text };
                    break;
                case ArraySyntax array:
                    node = new ConfigNode(ConfigValueType.Sequence, line, column, offset) { IsFlow = true };
                    foreach (var item in array.Items)
                    {
                        if (item.Value != null) node.Add(Value(item.Value));
                    }

                    break;
                case InlineTableSyntax inline:
                    node = new ConfigNode(ConfigValueType.Mapping, line, column, offset) { IsFlow = true };
                    foreach (var item in inline.Items)
                    {
                        if (item.KeyValue != null) AddKeyValue(node, item.KeyValue);
                    }

                    break;
                default:
                    node = new ConfigNode(ConfigValueType.String, line, column, offset) { Text = value.ToString() };
                    break;
            }

            node.EndOffset = value.Span.End.Offset + 1;
            return node;
        }
    }
}
