using System;
using System.IO;
using System.Linq;
using IoTEdgeTroubleshoot.Platform;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IoTEdgeTroubleshoot.Edge.Config
{
    /// <summary>
    /// An IoT Edge 1.0/1.1 config.yaml as read: its text, exactly as on disk, and its YAML tree with
    /// the position of every node, so that checks can point at a line and column and edits can change
    /// one value and leave every other byte alone. IoT Edge 1.2+ (/etc/aziot/config.toml) will be a
    /// sibling document type.
    /// </summary>
    public sealed class EdgeConfigDocument
    {
        private EdgeConfigDocument(TextFileSnapshot file, YamlMappingNode? root, YamlSyntaxError? error)
        {
            File = file;
            Root = root;
            SyntaxError = error;
        }

        public TextFileSnapshot File { get; }

        public string Path => File.Path;

        /// <summary>The parse error, when the file is not YAML (or not a mapping).</summary>
        public YamlSyntaxError? SyntaxError { get; }

        public bool IsValid => SyntaxError == null && Root != null;

        internal YamlMappingNode? Root { get; }

        /// <summary>Where the daemon looks on this platform.</summary>
        public static string DefaultPath =>
            System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)
                ? @"C:\ProgramData\iotedge\config.yaml"
                : "/etc/iotedge/config.yaml";

        public static EdgeConfigDocument Load(string path) => Parse(TextFileSnapshot.Read(path));

        public static EdgeConfigDocument Parse(TextFileSnapshot file)
        {
            if (file.Text.Trim().Length == 0) return new EdgeConfigDocument(file, null, new YamlSyntaxError(1, 1, "The file is empty."));
            try
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(file.Text));
                if (stream.Documents.Count == 0) return new EdgeConfigDocument(file, null, new YamlSyntaxError(1, 1, "The file holds no YAML document."));
                if (stream.Documents[0].RootNode is not YamlMappingNode root)
                {
                    var start = stream.Documents[0].RootNode.Start;
                    return new EdgeConfigDocument(file, null, new YamlSyntaxError((int)start.Line, (int)start.Column, "The file is not a YAML mapping of settings."));
                }

                return new EdgeConfigDocument(file, root, null);
            }
            catch (YamlException ex)
            {
                return new EdgeConfigDocument(file, null, new YamlSyntaxError((int)ex.Start.Line, (int)ex.Start.Column, SecretMasker.Mask(CleanMessage(ex))));
            }
            catch (Exception ex) when (ex is ArgumentException || ex is InvalidOperationException || ex is FormatException || ex is OverflowException)
            {
                // The parser's own failures on odd input (duplicate keys, aliases, ...): still "not valid YAML", never a crash.
                return new EdgeConfigDocument(file, null, new YamlSyntaxError(1, 1, SecretMasker.Mask(ex.Message)));
            }
        }

        /// <summary>The node at a path of mapping keys ("agent", "env"), or null.</summary>
        internal YamlNode? Find(params string[] keys)
        {
            YamlNode? node = Root;
            foreach (var key in keys)
            {
                if (node is not YamlMappingNode mapping) return null;
                node = mapping.Children.FirstOrDefault(p => p.Key is YamlScalarNode k && k.Value == key).Value;
                if (node == null) return null;
            }

            return node;
        }

        /// <summary>The key node of the last key in the path (for positions), or null.</summary>
        internal YamlScalarNode? FindKey(params string[] keys)
        {
            if (keys.Length == 0) return null;
            var parent = keys.Length == 1 ? Root : Find(keys.Take(keys.Length - 1).ToArray()) as YamlMappingNode;
            return parent?.Children.Select(p => p.Key).OfType<YamlScalarNode>().FirstOrDefault(k => k.Value == keys[keys.Length - 1]);
        }

        internal string? ScalarValue(params string[] keys) => (Find(keys) as YamlScalarNode)?.Value;

        // YamlDotNet's messages start with "(Line: 3, Col: 5, Idx: 40) - (Line: ...): ": we give the position ourselves.
        private static string CleanMessage(YamlException ex)
        {
            string message = ex.Message;
            int at = message.LastIndexOf("): ", StringComparison.Ordinal);
            return at >= 0 && message.StartsWith("(", StringComparison.Ordinal) ? message.Substring(at + 3) : message;
        }
    }

    public sealed class YamlSyntaxError
    {
        public YamlSyntaxError(int line, int column, string message)
        {
            Line = line;
            Column = column;
            Message = message;
        }

        public int Line { get; }

        public int Column { get; }

        public string Message { get; }
    }
}
