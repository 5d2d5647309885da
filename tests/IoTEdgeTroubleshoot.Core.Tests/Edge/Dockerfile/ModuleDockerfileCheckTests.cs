using System;
using System.IO;
using System.Linq;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Dockerfile;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Dockerfile
{
    /// <summary>The Dockerfile corpus (Edge/Dockerfiles): one file per way a module is started, with the verdict each must get.</summary>
    public class ModuleDockerfileCheckTests
    {
        private static string Corpus(string name) => Path.Combine(AppContext.BaseDirectory, "Edge", "Dockerfiles", name);

        [Theory]
        [InlineData("dotnet-exec.Dockerfile", CheckStatus.Pass, 13, null)]
        [InlineData("dotnet-shell-form.Dockerfile", CheckStatus.Error, 4, "ENTRYPOINT [\"dotnet\", \"FilterModule.dll\"]")]
        [InlineData("cmd-shell-form.Dockerfile", CheckStatus.Error, 6, "CMD [\"python3\", \"-u\", \"./main.py\"]")]
        [InlineData("sh-c-wrapper.Dockerfile", CheckStatus.Error, 4, "CMD [\"python3\", \"-u\", \"./main.py\"]")]
        [InlineData("sh-c-exec.Dockerfile", CheckStatus.Pass, 4, null)]
        [InlineData("script-without-exec.Dockerfile", CheckStatus.Error, 6, "End start-noexec.sh with 'exec")]
        [InlineData("script-with-exec.Dockerfile", CheckStatus.Pass, 5, null)]
        [InlineData("script-missing.Dockerfile", CheckStatus.Warning, 3, "End entrypoint.sh with 'exec")]
        [InlineData("continuation-comments.Dockerfile", CheckStatus.Pass, 6, null)]
        [InlineData("windows-escape.Dockerfile", CheckStatus.Error, 5, "ENTRYPOINT [\"dotnet\", \"FilterModule.dll\"]")]
        [InlineData("inherits-stage.Dockerfile", CheckStatus.Error, 3, "ENTRYPOINT [\"npm\", \"start\"]")]
        [InlineData("arg-from.Dockerfile", CheckStatus.Pass, 3, null)]
        [InlineData("no-entrypoint.Dockerfile", CheckStatus.Warning, 1, "exec form")]
        [InlineData("single-quotes.Dockerfile", CheckStatus.Error, 3, "CMD [\"node\", \"app.js\"]")]
        [InlineData("entrypoint-resets-cmd.Dockerfile", CheckStatus.Pass, 6, null)]
        [InlineData("heredoc.Dockerfile", CheckStatus.Pass, 7, null)]
        [InlineData("tini.Dockerfile", CheckStatus.Warning, 3, "ENTRYPOINT [\"node\", \"app.js\"]")]
        [InlineData("shell-vars.Dockerfile", CheckStatus.Error, 3, "ENTRYPOINT [\"sh\", \"-c\", \"exec dotnet $APP_DLL\"]")]
        public void Corpus_Verdicts(string name, CheckStatus status, int line, string? fix)
        {
            var result = ModuleDockerfileCheck.Run(Corpus(name));

            Assert.Equal(ModuleDockerfileCheck.Id, result.CheckId);
            Assert.True(status == result.Status, $"{name}: {result.Status}: {result.Message}");
            Assert.Equal(line, result.Line);
            Assert.Equal(Corpus(name), result.Path);
            if (fix == null) Assert.Null(result.Remedy);
            else Assert.Contains(fix, result.Remedy);
            if (status == CheckStatus.Error) Assert.Contains("404 \"Module not found\"", result.Message);
        }

        [Fact]
        public void ShellForm_SaysWhichShellIsTheMainProcess()
        {
            Assert.Contains("'/bin/sh -c'", ModuleDockerfileCheck.Run(Corpus("dotnet-shell-form.Dockerfile")).Message);
            Assert.Contains("'cmd /S /C'", ModuleDockerfileCheck.Run(Corpus("windows-escape.Dockerfile")).Message);
            Assert.Contains("not valid JSON", ModuleDockerfileCheck.Run(Corpus("single-quotes.Dockerfile")).Message);
        }

        [Fact]
        public void HeredocLines_AreNeverInstructions()
        {
            var instructions = DockerfileParser.Parse(File.ReadAllText(Corpus("heredoc.Dockerfile")), out _);
            Assert.Equal(new[] { "FROM", "RUN", "CMD" }, instructions.Select(i => i.Keyword));
        }

        [Fact]
        public void EscapeDirective_OnlyAtTheTop()
        {
            DockerfileParser.Parse("# escape=`\nFROM x\n", out char escape);
            Assert.Equal('`', escape);
            DockerfileParser.Parse("FROM x\n# escape=`\n", out escape);
            Assert.Equal('\\', escape);
            DockerfileParser.Parse("\n# escape=`\nFROM x\n", out escape);
            Assert.Equal('\\', escape); // a blank line ends the directives
        }

        [Fact]
        public void SetShell_IsTheShellOfTheShellForm()
        {
            var result = ModuleDockerfileCheck.Analyze("Dockerfile", "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nENTRYPOINT .\\FilterModule.exe\n");
            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.Contains("'powershell -Command'", result.Message);
        }

        [Fact]
        public void NoFrom_IsAnError()
        {
            Assert.Equal(CheckStatus.Error, ModuleDockerfileCheck.Analyze("Dockerfile", "# nothing\nRUN echo\n").Status);
        }

        [Fact]
        public void AModuleFolder_GivesItsDockerfiles()
        {
            using var dir = new TempFolder();
            dir.Write("Dockerfile.amd64", "FROM x\n");
            dir.Write("Dockerfile.amd64.debug", "FROM x\n");
            dir.Write("module.json", "{}");

            Assert.Equal(new[] { "Dockerfile.amd64", "Dockerfile.amd64.debug" }, ModuleDockerfileCheck.FilesAt(dir.Path).Select(Path.GetFileName));
        }

        [Fact]
        public void Substitution_FollowsDockersRules()
        {
            var values = new System.Collections.Generic.Dictionary<string, string> { ["A"] = "x" };
            Assert.Equal("x-x-dflt-alt-", DockerfileParser.Substitute("$A-${A}-${B:-dflt}-${A:+alt}-${B:+alt}", values));
        }
    }
}
