using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using IoTEdgeTroubleshoot.Edge.Config.Checks;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Config
{
    /// <summary>
    /// The guide's two edits, on either generation's file: the document finds where the value is (or
    /// where it belongs) and changes only that; every edit is checked by parsing the result and reading the
    /// value back before anyone writes it.
    /// </summary>
    public static class ConfigEditor
    {
        /// <summary>The RuntimeLogLevel values edgeAgent and edgeHub accept: the one list the check, this editor and the cmdlet's completion use.</summary>
        public static IReadOnlyList<string> RuntimeLogLevels => AgentCheck.LogLevels;

        /// <summary>The text with the hostname set to <paramref name="hostname"/>.</summary>
        public static string SetHostname(EdgeConfigDocument document, string hostname)
        {
            string? problem = HostnameRules.Check(hostname, document.Generation).Error;
            if (problem != null)
            {
                throw new TroubleshootException(ErrorIds.InvalidHostname, ProblemKind.InvalidArgument, hostname, $"'{hostname}' cannot be the hostname: {problem}");
            }

            RequireValid(document);
            return Verify(document, document.SetString(new[] { "hostname" }, hostname), d => d.ScalarValue("hostname"), hostname);
        }

        /// <summary>
        /// The text with RuntimeLogLevel set in the agent's env, whatever form env has (or none). A config.toml
        /// without [agent] (the daemon then uses its built-in agent) gets the whole agent block, with the image
        /// <paramref name="agentImage"/> or the one the installed template names.
        /// </summary>
        public static string SetRuntimeLogLevel(EdgeConfigDocument document, string level, string? agentImage = null)
        {
            if (!AgentCheck.LogLevels.Contains(level, StringComparer.OrdinalIgnoreCase))
            {
                throw new TroubleshootException(ErrorIds.InvalidLogLevel, ProblemKind.InvalidArgument, level,
                    $"'{level}' is not a log level the runtime knows: {string.Join(", ", AgentCheck.LogLevels)}.");
            }

            RequireValid(document);
            var keys = new[] { "agent", "env", "RuntimeLogLevel" };
            string text;
            if (document.Generation == EdgeGeneration.V1_2 && document.Find("agent") == null)
            {
                string image = agentImage ?? AgentImage.FromTemplateBeside(document.Path)
                    ?? throw new TroubleshootException(ErrorIds.ConfigSectionMissing, ProblemKind.InvalidData, document.Path,
                        $"'{document.Path}' has no [agent] section, so the daemon uses its built-in agent, and no template beside it says which image that is. Add the [agent] block of /etc/aziot/config.toml.edge.template (name, type, [agent.config] image) first. Nothing was written.");
                string nl = document.File.NewLine;
                text = TomlEdits.AppendTable(document.File.Text, nl, new[] { "agent" }, "name = \"edgeAgent\"", "type = \"docker\"");
                text = TomlEdits.AppendTable(text, nl, new[] { "agent", "config" }, "image = " + TomlEdits.Quote(image, ConfigScalarStyle.DoubleQuoted));
                text = TomlEdits.AppendTable(text, nl, new[] { "agent", "env" }, "RuntimeLogLevel = " + TomlEdits.Quote(level, ConfigScalarStyle.DoubleQuoted));
            }
            else
            {
                if (document.Find("agent") is not ConfigNode agent || agent.Type != ConfigValueType.Mapping)
                {
                    throw new TroubleshootException(ErrorIds.ConfigSectionMissing, ProblemKind.InvalidData, document.Path,
                        $"'{document.Path}' has no agent section (a mapping of name, type, env, config) to set RuntimeLogLevel in; restore it first (Test-IoTEdgeConfig shows what is missing). Nothing was written.");
                }

                text = document.SetString(keys, level);
            }

            return Verify(document, text, d => d.ScalarValue(keys), level);
        }

        /// <summary>A short diff of two texts: the changed lines with their numbers (secrets masked).</summary>
        public static string Diff(string path, string before, string after)
        {
            var a = SplitLines(before);
            var b = SplitLines(after);

            // Masked as whole texts, so a secret over several lines (a PEM key, key: |) is hidden on each; masking keeps the lines.
            var shownA = SplitLines(SecretMasker.Mask(before));
            var shownB = SplitLines(SecretMasker.Mask(after));
            int prefix = 0;
            while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
            int suffix = 0;
            while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[a.Length - 1 - suffix] == b[b.Length - 1 - suffix]) suffix++;
            var diff = new StringBuilder();
            diff.AppendLine($"--- {path}");
            diff.AppendLine($"+++ {path}");
            int removed = a.Length - prefix - suffix, added = b.Length - prefix - suffix;
            // Unified-diff convention: an empty side names the line before it.
            diff.AppendLine($"@@ -{(removed == 0 ? prefix : prefix + 1)},{removed} +{(added == 0 ? prefix : prefix + 1)},{added} @@");
            for (int i = prefix; i < a.Length - suffix; i++) diff.AppendLine("-" + shownA[i]);
            for (int i = prefix; i < b.Length - suffix; i++) diff.AppendLine("+" + shownB[i]);
            return diff.ToString().TrimEnd();
        }

        private static string[] SplitLines(string text) => text.Replace("\r\n", "\n").Split('\n');

        private static void RequireValid(EdgeConfigDocument document)
        {
            if (!document.File.IsValidText)
            {
                throw new TroubleshootException(ErrorIds.FileNotText, ProblemKind.InvalidData, document.Path, $"'{document.Path}' is not valid UTF-8 text. Nothing was written.");
            }

            if (document.Generation == EdgeGeneration.V1_1)
            {
                var (line, column) = NoTabsCheck.TabPositions(document.File.Text).FirstOrDefault();
                if (line > 0)
                {
                    throw new TroubleshootException(ErrorIds.ConfigHasTabs, ProblemKind.InvalidData, document.Path,
                        "the file has a tab; replace it with spaces first. Nothing was written.", new FilePosition(document.Path, line, column));
                }
            }

            var error = document.SyntaxError;
            if (error != null)
            {
                throw new TroubleshootException(document.Generation == EdgeGeneration.V1_1 ? ErrorIds.ConfigNotValidYaml : ErrorIds.ConfigNotValidToml, ProblemKind.InvalidData, document.Path,
                    $"{error.Message} Fix the file first (Test-IoTEdgeConfig lists every problem). Nothing was written.",
                    new FilePosition(document.Path, error.Line, error.Column));
            }
        }

        private static string Verify(EdgeConfigDocument before, string text, Func<EdgeConfigDocument, string?> read, string expected)
        {
            var after = before.WithText(text);
            if (!after.IsValid || read(after) != expected)
            {
                throw new TroubleshootException(ErrorIds.EditVerificationFailed, ProblemKind.InvalidOperation, before.Path,
                    $"The edit of '{before.Path}' did not read back as intended, so nothing was written. Please report this with the file's layout (secrets removed).");
            }

            return text;
        }
    }

    /// <summary>The edge agent image of the installed 1.2+ runtime, as its config template names it.</summary>
    public static class AgentImage
    {
        private static readonly Regex TemplateImage = new Regex(@"^[ \t#]*image[ \t]*=[ \t]*""(?<image>[^""]*azureiotedge-agent:[^""]+)""", RegexOptions.Multiline | RegexOptions.CultureInvariant);

        /// <summary>The image in config.toml.edge.template beside the file (where the aziot-edge package puts it), or null.</summary>
        public static string? FromTemplateBeside(string configPath)
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(configPath)) ?? ".";
            foreach (var template in new[] { Path.Combine(folder, "config.toml.edge.template"), "/etc/aziot/config.toml.edge.template" })
            {
                try
                {
                    if (!File.Exists(template)) continue;
                    var match = TemplateImage.Match(File.ReadAllText(template));
                    if (match.Success) return match.Groups["image"].Value;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                }
            }

            return null;
        }
    }
}
