using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.Config
{
    /// <summary>The two generations of the IoT Edge runtime, which read different files.</summary>
    public enum EdgeGeneration
    {
        /// <summary>IoT Edge 1.0 and 1.1: the iotedge daemon, config.yaml, applied by restarting it.</summary>
        V1_1,

        /// <summary>IoT Edge 1.2 and later: aziot-edged and the aziot-* services, config.toml, applied by 'iotedge config apply'.</summary>
        V1_2,
    }

    public static class EdgeGenerations
    {
        /// <summary>"1.0/1.1" or "1.2+", as results and messages name them.</summary>
        public static string Name(this EdgeGeneration generation) => generation == EdgeGeneration.V1_1 ? "1.0/1.1" : "1.2+";

        /// <summary>The versions a -Generation parameter offers: each release line of both generations.</summary>
        public static readonly System.Collections.Generic.IReadOnlyList<string> Versions = new[] { "1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6" };

        /// <summary>An IoT Edge version as a user types it ("1.1", "1.5", "1.6.1"), or a generation's <see cref="Name"/> ("1.0/1.1", "1.2+"), to its generation.</summary>
        public static EdgeGeneration FromVersion(string version)
        {
            if (string.Equals(version?.Trim(), EdgeGeneration.V1_1.Name(), StringComparison.Ordinal)) return EdgeGeneration.V1_1;
            var match = Regex.Match(version ?? string.Empty, @"^\s*1\.(\d+)(\.\d+)*\+?\s*$");
            if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int minor))
            {
                throw new ArgumentOutOfRangeException(nameof(version), version, "Not an IoT Edge version such as 1.1 or 1.5.");
            }

            return minor <= 1 ? EdgeGeneration.V1_1 : EdgeGeneration.V1_2;
        }
    }

    /// <summary>
    /// Which generation a file belongs to: its name first (the daemons read config.toml and config.yaml by
    /// name, whatever they hold), then its content, then what is installed here.
    /// </summary>
    public static class GenerationDetector
    {
        private static readonly Regex TomlLine = new Regex(@"^\s*(\[\[?\s*[A-Za-z0-9_""'.\- ]+\]\]?\s*(#.*)?|[A-Za-z0-9_""'.\-]+\s*=.*)$", RegexOptions.CultureInvariant);
        private static readonly Regex YamlLine = new Regex(@"^\s*(---.*|-\s.*|[A-Za-z0-9_""'.\-]+\s*:(\s.*)?)$", RegexOptions.CultureInvariant);

        public static EdgeGeneration FromFile(string path, string text, Func<EdgeGeneration?>? installed = null)
        {
            return FromName(path) ?? FromContent(text) ?? (installed ?? EdgeInstallation.Detect)() ?? EdgeGeneration.V1_2;
        }

        /// <summary>config.toml, config.toml.20261122T060000Z.bak, config.toml.edge.template → 1.2+; config.yaml → 1.1.</summary>
        public static EdgeGeneration? FromName(string path)
        {
            string name = Path.GetFileName(path).ToLowerInvariant();
            if (name.EndsWith(".toml", StringComparison.Ordinal) || name.Contains(".toml.")) return EdgeGeneration.V1_2;
            if (name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal) || name.Contains(".yaml.") || name.Contains(".yml.")) return EdgeGeneration.V1_1;
            return null;
        }

        /// <summary>The format the settings lines are written in ("key = value", [table] or "key: value"); null for a file of comments only.</summary>
        public static EdgeGeneration? FromContent(string text)
        {
            int toml = 0, yaml = 0, seen = 0;
            using var reader = new StringReader(text);
            for (string? line = reader.ReadLine(); line != null && seen < 40; line = reader.ReadLine())
            {
                string trimmed = line.Trim().TrimStart('\uFEFF');
                if (trimmed.Length == 0 || trimmed.StartsWith("#", StringComparison.Ordinal)) continue;
                seen++;
                if (TomlLine.IsMatch(trimmed)) toml++;
                else if (YamlLine.IsMatch(trimmed)) yaml++;
            }

            if (toml == yaml) return null;
            return toml > yaml ? EdgeGeneration.V1_2 : EdgeGeneration.V1_1;
        }
    }

    /// <summary>Where each generation keeps its config, and which one this machine has.</summary>
    public static class EdgeInstallation
    {
        public const string TomlPath = "/etc/aziot/config.toml";
        public const string LinuxYamlPath = "/etc/iotedge/config.yaml";
        public const string WindowsYamlPath = @"C:\ProgramData\iotedge\config.yaml";

        // Where the packages put the daemons: aziot-edge (1.2+) and iotedge (1.0/1.1).
        private static readonly string[] V12Binaries = { "/usr/libexec/aziot/aziot-edged", "/usr/bin/aziot-edged", "/usr/libexec/aziot-identity-service/aziotd" };
        private static readonly string[] V11Binaries = { "/usr/bin/iotedged", @"C:\ProgramData\iotedge\iotedged.exe" };

        private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public static string YamlPath => IsWindows ? WindowsYamlPath : LinuxYamlPath;

        public static string DefaultPathFor(EdgeGeneration generation) => generation == EdgeGeneration.V1_1 ? YamlPath : TomlPath;

        /// <summary>The generation whose runtime is installed here, or null when neither is.</summary>
        public static EdgeGeneration? Detect() => Detect(File.Exists);

        internal static EdgeGeneration? Detect(Func<string, bool> exists)
        {
            if (V12Binaries.Any(exists) || exists(TomlPath)) return EdgeGeneration.V1_2;
            if (V11Binaries.Any(exists) || exists(YamlPath)) return EdgeGeneration.V1_1;
            return null;
        }

        /// <summary>
        /// The file to use when no -Path is given: the requested generation's; else config.toml when it
        /// exists, then config.yaml; else the one of the runtime installed; else config.toml (1.1 is out of support).
        /// </summary>
        public static string DefaultPath(EdgeGeneration? requested = null) => DefaultPath(requested, File.Exists);

        internal static string DefaultPath(EdgeGeneration? requested, Func<string, bool> exists)
        {
            if (requested != null) return DefaultPathFor(requested.Value);
            if (exists(TomlPath)) return TomlPath;
            if (exists(YamlPath)) return YamlPath;
            return DefaultPathFor(Detect(exists) ?? EdgeGeneration.V1_2);
        }
    }
}
