using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.Dockerfile
{
    /// <summary>One instruction of a Dockerfile, its continuation lines joined, with where it starts.</summary>
    internal sealed class DockerfileInstruction
    {
        public DockerfileInstruction(string keyword, string arguments, int line, int column)
        {
            Keyword = keyword;
            Arguments = arguments;
            Line = line;
            Column = column;
        }

        /// <summary>Upper case: FROM, ENTRYPOINT, CMD, ...</summary>
        public string Keyword { get; }

        /// <summary>What follows the keyword, continuation lines joined, comment lines inside it left out.</summary>
        public string Arguments { get; }

        public int Line { get; }

        public int Column { get; }

        public override string ToString() => $"{Keyword} {Arguments}";
    }

    /// <summary>
    /// Reads a Dockerfile the way BuildKit's parser does, as far as this check needs: parser directives at the
    /// top (# escape=` for Windows files, # syntax=...), comment lines, line continuations with the escape
    /// character (comment and empty lines inside a continuation are dropped), and here-documents (RUN &lt;&lt;EOF
    /// ... EOF), whose lines are never taken for instructions.
    /// </summary>
    internal static class DockerfileParser
    {
        private static readonly Regex Directive = new Regex(@"^#[ \t]*(?<name>[A-Za-z][A-Za-z0-9]*)[ \t]*=[ \t]*(?<value>.*?)[ \t]*$", RegexOptions.CultureInvariant);
        private static readonly Regex Heredoc = new Regex(@"<<-?(?<quote>[""']?)(?<word>[A-Za-z_][A-Za-z0-9_]*)\k<quote>", RegexOptions.CultureInvariant);

        public static IReadOnlyList<DockerfileInstruction> Parse(string text, out char escape)
        {
            escape = '\\';
            var lines = text.Replace("\r\n", "\n").Split('\n');
            int i = 0;
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (; i < lines.Length; i++)
            {
                var match = Directive.Match(lines[i].Trim());
                if (!match.Success || !seen.Add(match.Groups["name"].Value)) break;
                if (match.Groups["name"].Value.Equals("escape", StringComparison.OrdinalIgnoreCase) && match.Groups["value"].Value == "`") escape = '`';
            }

            var instructions = new List<DockerfileInstruction>();
            while (i < lines.Length)
            {
                string line = lines[i];
                string trimmed = line.TrimStart(' ', '\t');
                if (trimmed.Length == 0 || trimmed[0] == '#')
                {
                    i++;
                    continue;
                }

                int startLine = i + 1;
                int column = line.Length - trimmed.Length + 1;
                var logical = new StringBuilder();
                while (true)
                {
                    string part = lines[i];
                    string end = part.TrimEnd(' ', '\t');
                    bool continues = end.Length > 0 && end[end.Length - 1] == escape && i + 1 < lines.Length;
                    logical.Append(continues ? end.Substring(0, end.Length - 1) : part);
                    i++;
                    if (!continues) break;
                    while (i < lines.Length && (lines[i].Trim().Length == 0 || lines[i].TrimStart(' ', '\t').StartsWith("#", StringComparison.Ordinal))) i++;
                    if (i >= lines.Length) break;
                }

                string content = logical.ToString().TrimStart(' ', '\t');
                int space = content.IndexOfAny(new[] { ' ', '\t' });
                string keyword = (space < 0 ? content : content.Substring(0, space)).ToUpperInvariant();
                string arguments = space < 0 ? string.Empty : content.Substring(space + 1).Trim();
                instructions.Add(new DockerfileInstruction(keyword, arguments, startLine, column));

                // A here-document's lines belong to the instruction, whatever they look like.
                if (keyword == "RUN" || keyword == "COPY" || keyword == "ADD")
                {
                    foreach (Match doc in Heredoc.Matches(arguments))
                    {
                        string word = doc.Groups["word"].Value;
                        while (i < lines.Length && lines[i].Trim('\t', ' ', '\r') != word) i++;
                        i++;
                    }
                }
            }

            return instructions;
        }

        /// <summary>The exec form's arguments (a JSON list of strings), or null for the shell form (Docker runs anything else through the shell).</summary>
        public static IReadOnlyList<string>? ExecForm(string arguments)
        {
            string value = arguments.Trim();
            if (!value.StartsWith("[", StringComparison.Ordinal)) return null;
            var root = Json.JsonText.Parse(value, out var error);
            if (error != null || root?.Kind != Json.JsonKind.Array || root.Items.Any(item => item.Kind != Json.JsonKind.String)) return null;
            return root.Items.Select(item => item.StringValue!).ToList();
        }

        /// <summary>$NAME, ${NAME}, ${NAME:-default} and ${NAME:+alt} replaced from <paramref name="values"/> (unknown names become empty, as Docker does).</summary>
        public static string Substitute(string text, IReadOnlyDictionary<string, string> values) =>
            Regex.Replace(text, @"\$(?:\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:[-+])(?<word>[^}]*))?\}|(?<name>[A-Za-z_][A-Za-z0-9_]*))", m =>
            {
                values.TryGetValue(m.Groups["name"].Value, out var value);
                bool set = !string.IsNullOrEmpty(value);
                return m.Groups["op"].Value switch
                {
                    ":-" => set ? value! : m.Groups["word"].Value,
                    ":+" => set ? m.Groups["word"].Value : string.Empty,
                    _ => value ?? string.Empty,
                };
            });
    }
}
