using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Dockerfile
{
    /// <summary>
    /// The guide's 404 "Module not found": the IoT Edge daemon accepts a module's messages only from the process
    /// the container started as (its main process). A module started through a shell (ENTRYPOINT or CMD in shell
    /// form, ["sh", "-c", "..."], a start script without exec) runs as the shell's child, and edgeHub rejects it.
    /// This check reads the final stage's ENTRYPOINT and CMD (inherited through earlier stages of the same file)
    /// and says which line starts the module how, and the exec-form line that fixes it.
    /// </summary>
    public static class ModuleDockerfileCheck
    {
        public const string Id = "dockerfile-main-process";
        private const string Description = "the module is the container's main process (one process ID, as edgeHub requires)";

        private static readonly string[] Shells = { "sh", "bash", "dash", "ash", "zsh", "ksh", "cmd", "powershell", "pwsh" };
        private static readonly string[] InitWrappers = { "tini", "dumb-init", "tini-static" };
        private static readonly Regex ShellSyntax = new Regex(@"[$&|;<>`*?(){}\\]|\b(?:cd|export|source)\b", RegexOptions.CultureInvariant);
        private static readonly Regex Tokens = new Regex(@"""(?<t>[^""]*)""|'(?<t>[^']*)'|(?<t>[^\s""']+)", RegexOptions.CultureInvariant);

        /// <summary>The Dockerfiles to check for a path: the file itself, or a module folder's Dockerfile and Dockerfile.* (VS Code's Dockerfile.amd64, .arm32v7, .debug).</summary>
        public static IEnumerable<string> FilesAt(string path)
        {
            if (!Directory.Exists(path)) return new[] { path };
            return Directory.EnumerateFiles(path)
                .Where(f => Path.GetFileName(f).Equals("Dockerfile", StringComparison.OrdinalIgnoreCase) || Path.GetFileName(f).StartsWith("Dockerfile.", StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f, StringComparer.Ordinal);
        }

        /// <summary>The finding for one Dockerfile; throws IOException or UnauthorizedAccessException when it cannot be read.</summary>
        public static IoTEdgeCheckResult Run(string path)
        {
            string text = TextFileSnapshot.Read(path).Text;
            return Analyze(path, text);
        }

        internal static IoTEdgeCheckResult Analyze(string path, string text)
        {
            var instructions = DockerfileParser.Parse(text, out _);
            var stages = Stages(instructions);
            if (stages.Count == 0) return Result(path, CheckStatus.Error, "The file has no FROM instruction: it is not a Dockerfile Docker can build.", null, null);

            var final = stages[stages.Count - 1];
            var (entrypoint, cmd, shell, external) = Effective(stages, final);
            var main = entrypoint ?? cmd;
            if (main == null)
            {
                return Result(path, CheckStatus.Warning,
                    $"The final stage sets no ENTRYPOINT or CMD: the container runs what the base image '{external}' sets, which this file does not show.", final.From,
                    "Set the module's start explicitly in exec form, such as ENTRYPOINT [\"dotnet\", \"MyModule.dll\"], so that it is the container's main process.");
            }

            string which = main.Keyword;
            var exec = DockerfileParser.ExecForm(main.Arguments);
            if (exec == null)
            {
                bool jsonLike = main.Arguments.TrimStart().StartsWith("[", StringComparison.Ordinal);
                string shellName = string.Join(" ", shell);
                return Result(path, CheckStatus.Error,
                    $"{which} {Excerpt(main.Arguments)} is in shell form{(jsonLike ? " (the list is not valid JSON, such as single quotes, so Docker reads it as a shell command)" : string.Empty)}: Docker starts '{shellName}' as the container's main process and the module as its child, so edgeHub rejects the module's messages with 404 \"Module not found\".",
                    main, FixFor(which, main.Arguments, shell));
            }

            if (exec.Count == 0) return Result(path, CheckStatus.Error, $"{which} [] starts nothing.", main, null);
            var argv = exec;
            string program = ProgramName(argv[0]);

            if (InitWrappers.Contains(program))
            {
                return Result(path, CheckStatus.Warning,
                    $"{which} starts {program}, which runs the module as its child: the module is not the container's main process.", main,
                    $"Start the module itself: {which} {ExecLine(argv.Skip(argv.Count > 1 && argv[1] == "--" ? 2 : 1).ToList())}, or check that your IoT Edge version accepts a child process.");
            }

            if (argv[0].IndexOf('$') >= 0)
            {
                // The exec form runs no shell: ENV and ARG values are not put in, so "$START" is looked up as a program's name.
                return Result(path, CheckStatus.Error,
                    $"{which} {Excerpt(main.Arguments)} is in exec form, which runs no shell: Docker does not replace '{Excerpt(argv[0])}' with a value, looks for a program of that name, and the container does not start.",
                    main, $"Write the program's path itself, or let a shell put the value in and replace itself with the module: {which} {ExecLine(new[] { "sh", "-c", "exec " + string.Join(" ", argv) })}");
            }

            int scriptAt = ShellScriptIndex(argv);
            if (scriptAt >= 0)
            {
                string script = argv[scriptAt];
                if (script.TrimStart().StartsWith("exec ", StringComparison.Ordinal))
                {
                    return Result(path, CheckStatus.Pass, $"{which} runs a shell that replaces itself with the module (exec): one process.", main, null);
                }

                return Result(path, CheckStatus.Error,
                    $"{which} runs '{Excerpt(string.Join(" ", argv))}': the shell {argv[0]} is the container's main process and the module its child, so edgeHub rejects the module's messages with 404 \"Module not found\".",
                    main, FixFor(which, script, argv.Take(scriptAt).ToArray()));
            }

            string? file = ScriptFile(argv);
            if (file != null) return ScriptVerdict(path, which, main, file);
            return Result(path, CheckStatus.Pass, $"{which} {Excerpt(main.Arguments)} starts the module directly (exec form): it is the container's main process.", main, null);
        }

        private sealed class Stage
        {
            public Stage(string image, string? name, DockerfileInstruction from)
            {
                Image = image;
                Name = name;
                From = from;
            }

            public string Image { get; }

            public string? Name { get; }

            public DockerfileInstruction From { get; }

            public DockerfileInstruction? Entrypoint { get; set; }

            public DockerfileInstruction? Cmd { get; set; }

            public IReadOnlyList<string>? Shell { get; set; }
        }

        private static List<Stage> Stages(IReadOnlyList<DockerfileInstruction> instructions)
        {
            var globalArgs = new Dictionary<string, string>(StringComparer.Ordinal);
            var stages = new List<Stage>();
            foreach (var instruction in instructions)
            {
                switch (instruction.Keyword)
                {
                    case "ARG" when stages.Count == 0:
                        foreach (Match arg in Regex.Matches(instruction.Arguments, @"(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:=(?<value>""[^""]*""|'[^']*'|\S*))?"))
                        {
                            globalArgs[arg.Groups["name"].Value] = arg.Groups["value"].Value.Trim('"', '\'');
                        }

                        break;
                    case "FROM":
                    {
                        var words = instruction.Arguments.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
                        string image = words.Count > 0 ? DockerfileParser.Substitute(words[0], globalArgs) : string.Empty;
                        string? name = words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
                        stages.Add(new Stage(image, name, instruction));
                        break;
                    }

                    case "ENTRYPOINT" when stages.Count > 0:
                        stages[stages.Count - 1].Entrypoint = instruction;
                        break;
                    case "CMD" when stages.Count > 0:
                        stages[stages.Count - 1].Cmd = instruction;
                        break;
                    case "SHELL" when stages.Count > 0:
                        stages[stages.Count - 1].Shell = DockerfileParser.ExecForm(instruction.Arguments);
                        break;
                }
            }

            return stages;
        }

        // What the final stage runs, following FROM <earlier stage> back: an ENTRYPOINT set in a stage drops the CMD it inherited.
        private static (DockerfileInstruction? Entrypoint, DockerfileInstruction? Cmd, IReadOnlyList<string> Shell, string External) Effective(List<Stage> stages, Stage final)
        {
            DockerfileInstruction? entrypoint = null, cmd = null;
            IReadOnlyList<string>? shell = null;
            bool cmdDecided = false;
            var stage = final;
            while (true)
            {
                if (!cmdDecided && (stage.Cmd != null || stage.Entrypoint != null))
                {
                    cmd = stage.Cmd; // null when the stage set ENTRYPOINT only: that drops the CMD it inherited
                    cmdDecided = true;
                }

                entrypoint ??= stage.Entrypoint;
                shell ??= stage.Shell;
                int index = stages.IndexOf(stage);
                var parent = stages.Take(index).LastOrDefault(s => s.Name != null && s.Name.Equals(stage.Image, StringComparison.OrdinalIgnoreCase));
                if (parent == null) return (entrypoint, cmd, shell ?? DefaultShell(stage.Image), stage.Image);
                stage = parent; // an earlier stage only: no loop
            }
        }

        // Windows images run the shell form through cmd; every other image through /bin/sh.
        private static IReadOnlyList<string> DefaultShell(string image) =>
            Regex.IsMatch(image, @"windows|nanoserver|servercore|ltsc20", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant) ? new[] { "cmd", "/S", "/C" } : new[] { "/bin/sh", "-c" };

        private static string ProgramName(string path)
        {
            string name = path.Replace('\\', '/');
            name = name.Substring(name.LastIndexOf('/') + 1).ToLowerInvariant();
            return name.EndsWith(".exe", StringComparison.Ordinal) ? name.Substring(0, name.Length - 4) : name;
        }

        // ["sh", "-c", "<script>"], ["cmd", "/S", "/C", "<script>"], ["powershell", "-Command", "<script>"]: the index of the script.
        private static int ShellScriptIndex(IReadOnlyList<string> argv)
        {
            if (!Shells.Contains(ProgramName(argv[0]))) return -1;
            for (int i = 1; i < argv.Count - 1; i++)
            {
                string flag = argv[i].ToLowerInvariant();
                if (flag == "-c" || flag == "/c" || flag == "-command" || flag == "-lc" || flag == "-ec") return i + 1;
            }

            return -1;
        }

        // A start script: ["./start.sh"], ["/app/run.sh", ...], or ["bash", "start.sh"].
        private static string? ScriptFile(IReadOnlyList<string> argv)
        {
            if (argv[0].EndsWith(".sh", StringComparison.OrdinalIgnoreCase)) return argv[0];
            return Shells.Contains(ProgramName(argv[0])) && argv.Count > 1 && !argv[1].StartsWith("-", StringComparison.Ordinal) ? argv[1] : null;
        }

        // The script beside the Dockerfile (the build context is usually its folder): its last command must be exec'ed.
        private static IoTEdgeCheckResult ScriptVerdict(string path, string which, DockerfileInstruction main, string script)
        {
            string name = Path.GetFileName(script.Replace('\\', '/'));
            string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            string? found = FindFile(folder, name, depth: 3);
            string advice = $"End {name} with 'exec <the module's command>' (such as exec dotnet MyModule.dll) so that the module replaces the shell and keeps its process ID.";
            if (found == null)
            {
                return Result(path, CheckStatus.Warning, $"{which} runs the script {script}, which is not beside the Dockerfile to read: unless it starts the module with exec, the module is the script shell's child and edgeHub rejects its messages with 404 \"Module not found\".", main, advice);
            }

            var lines = File.ReadAllLines(found).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("#", StringComparison.Ordinal)).ToList();
            if (lines.Any(l => Regex.IsMatch(l, @"^exec\s+\S", RegexOptions.CultureInvariant)))
            {
                return Result(path, CheckStatus.Pass, $"{which} runs {script}, which starts the module with exec ('{found}'): one process.", main, null);
            }

            return Result(path, CheckStatus.Error,
                $"{which} runs {script} ('{found}'), which starts the module without exec: the script's shell stays the container's main process and the module is its child, so edgeHub rejects the module's messages with 404 \"Module not found\".",
                main, advice);
        }

        private static string? FindFile(string folder, string name, int depth)
        {
            try
            {
                string candidate = Path.Combine(folder, name);
                if (File.Exists(candidate)) return candidate;
                if (depth == 0) return null;
                foreach (var child in Directory.EnumerateDirectories(folder).OrderBy(d => d, StringComparer.Ordinal))
                {
                    string? found = FindFile(child, name, depth - 1);
                    if (found != null) return found;
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
            }

            return null;
        }

        // The exec-form line that starts the same command as the module's own process.
        private static string FixFor(string which, string command, IReadOnlyList<string> shell)
        {
            string trimmed = command.Trim();
            if (trimmed.StartsWith("[", StringComparison.Ordinal) && DockerfileParser.ExecForm(trimmed.Replace('\'', '"')) is IReadOnlyList<string> meant)
            {
                return $"Write the list as JSON, with double quotes, so that Docker takes it as the exec form: {which} {ExecLine(meant)}";
            }

            if (trimmed.StartsWith("exec ", StringComparison.Ordinal)) trimmed = trimmed.Substring(5).TrimStart();
            if (!ShellSyntax.IsMatch(trimmed))
            {
                var words = Tokens.Matches(trimmed).Cast<Match>().Select(m => m.Groups["t"].Value).ToList();
                if (words.Count > 0) return $"Use the exec form, which starts the module as the main process: {which} {ExecLine(words)}";
            }

            bool windows = shell.Count > 0 && (ProgramName(shell[0]) == "cmd" || ProgramName(shell[0]) == "powershell" || ProgramName(shell[0]) == "pwsh");
            return windows
                ? $"The command needs a shell; move it into a script and start the module's executable itself as the last step, or use the exec form of the executable: {which} [\"MyModule.exe\"]"
                : $"The command needs a shell (variables, &&, redirection): let the shell replace itself with the module: {which} {ExecLine(new[] { "sh", "-c", "exec " + trimmed })}, or put the steps in a script that ends with exec.";
        }

        private static string ExecLine(IReadOnlyList<string> words) => "[" + string.Join(", ", words.Select(Json.JsonEdits.Quote)) + "]";

        private static IoTEdgeCheckResult Result(string path, CheckStatus status, string message, DockerfileInstruction? at, string? remedy) => new IoTEdgeCheckResult
        {
            CheckId = Id,
            Description = Description,
            Status = status,
            Message = SecretMasker.Mask(message),
            Path = path,
            Line = at?.Line,
            Column = at?.Column,
            Remedy = remedy == null ? null : Excerpt(remedy, RemedyLength),
        };

        // An instruction runs to any length (continuations, a generated line of megabytes): results show its start;
        // Line and Column say where the whole of it is. Masked before it is cut, so no cut leaves half a secret unrecognised.
        private const int ShownLength = 300;

        private const int RemedyLength = 2000;

        private static string Excerpt(string text, int length = ShownLength)
        {
            string masked = SecretMasker.Mask(text);
            return masked.Length <= length ? masked : masked.Substring(0, length) + $"... ({masked.Length - length:N0} more characters)";
        }
    }
}
