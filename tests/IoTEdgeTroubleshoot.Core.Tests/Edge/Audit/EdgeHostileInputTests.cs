using System;
using System.IO;
using System.Linq;
using IoTEdgeTroubleshoot.Edge;
using IoTEdgeTroubleshoot.Edge.Dockerfile;
using IoTEdgeTroubleshoot.Edge.EventLog;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Audit
{
    /// <summary>Defects the hostile-input sweep of the DNS, deployment, Dockerfile and event-log commands found.</summary>
    public class EdgeHostileInputTests
    {
        [Theory]
        [InlineData("C:\\x\"\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\evil]")] // a line break would start a key of its own in the .reg file
        [InlineData("C:\\ProgramData\\iotedge\\iotedged.exe\n")]
        [InlineData("C:\\a\"b.exe")]
        [InlineData("C:\\a\0b.exe")]
        [InlineData("C:\\a|b.exe")]
        [InlineData("   ")]
        public void AMessageFileNoWindowsPathCanBe_IsRefused(string messageFile)
        {
            var ex = Assert.Throws<TroubleshootException>(() => EventLogRegistration.CheckMessageFile(messageFile));

            Assert.Equal(ErrorIds.InvalidEventMessageFile, ex.ErrorId);
            Assert.Equal(ProblemKind.InvalidArgument, ex.Kind);
            Assert.Contains("Nothing was written", ex.Message);
        }

        [Theory]
        [InlineData(@"C:\ProgramData\iotedge\iotedged.exe")]
        [InlineData(@"C:\Program Files\iotedge\iotedged.exe")]
        [InlineData(@"%SystemRoot%\System32\iotedged.exe")]
        [InlineData(@"\\fileserver\share\iotedged.exe")]
        public void AWindowsPath_IsTaken(string messageFile)
        {
            EventLogRegistration.CheckMessageFile(messageFile);
            Assert.Equal(5, EventLogRegistration.RegFileText(EventLogRegistration.Desired(messageFile)).Split(new[] { "\r\n" }, StringSplitOptions.RemoveEmptyEntries).Length);
        }

        [Fact]
        public void AGiantInstruction_IsShownByItsStart_NotWhole()
        {
            string giant = "FROM alpine\nCMD [\"" + new string('a', 2_000_000) + "\"]\n";

            var result = ModuleDockerfileCheck.Analyze("Dockerfile", giant);

            Assert.Equal(CheckStatus.Pass, result.Status);
            Assert.True(result.Message!.Length < 1000, $"{result.Message.Length} characters");
            Assert.Contains("more characters", result.Message);
            Assert.Equal(2, result.Line);
        }

        [Fact]
        public void AnEndlessContinuation_GivesAShortMessageAndRemedy()
        {
            string endless = "FROM alpine\nCMD echo \\\n" + string.Concat(Enumerable.Repeat("  x \\\n", 200_000));

            var result = ModuleDockerfileCheck.Analyze("Dockerfile", endless);

            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.True(result.Message!.Length < 1000, $"{result.Message.Length} characters");
            Assert.True(result.Remedy!.Length < 2100, $"{result.Remedy.Length} characters");
            Assert.Contains("shell form", result.Message);
            Assert.Equal(2, result.Line);
        }

        [Fact]
        public void ASecretInAGiantInstruction_IsMaskedBeforeItIsCut()
        {
            // The URI's password ends past the cut: masking after cutting would no longer see an '@' and show its start.
            string text = "FROM alpine\nCMD curl https://user:" + new string('p', 400) + "@example.com/x && run\n";

            var result = ModuleDockerfileCheck.Analyze("Dockerfile", text);

            Assert.DoesNotContain("ppp", result.Message);
            Assert.DoesNotContain("ppp", result.Remedy ?? string.Empty);
        }

        [Theory]
        [InlineData("FROM alpine\nENV START=/app/start.sh\nENTRYPOINT [\"$START\"]\n", "ENTRYPOINT [\"sh\", \"-c\", \"exec $START\"]")]
        [InlineData("FROM python:3.12\nARG APP=main.py\nCMD [\"${PYTHON:-python3}\", \"-u\", \"main.py\"]\n", "CMD [\"sh\", \"-c\", \"exec ${PYTHON:-python3} -u main.py\"]")]
        public void AVariableAsTheExecFormsProgram_IsNoProgram(string dockerfile, string fix)
        {
            // Docker expands ENV and ARG only in the shell form: the exec form's "$START" is a program's name that does not exist.
            var result = ModuleDockerfileCheck.Analyze("Dockerfile", dockerfile);

            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.Equal(3, result.Line);
            Assert.Contains("runs no shell", result.Message);
            Assert.Contains(fix, result.Remedy);
        }

        [Fact]
        public void AFolderNamedAsAFile_IsPathIsFolder_NotAccessDenied()
        {
            using var dir = new TempFolder();
            string folder = Path.Combine(dir.Path, "daemon.json");
            Directory.CreateDirectory(folder);

            var problem = FileReadFailures.ProblemFor(folder, new UnauthorizedAccessException("Access to the path is denied."));

            Assert.Equal(ErrorIds.PathIsFolder, problem.ErrorId);
            Assert.Contains("is a folder", problem.Message);
            Assert.DoesNotContain("elevated", problem.Message);
        }

        [Fact]
        public void ANameWrittenTwice_IsAWarningAtTheOneIgnored()
        {
            using var dir = new TempFolder();
            string manifest = "{\n  \"modulesContent\": {\n    \"$edgeAgent\": { \"properties.desired\": { \"schemaVersion\": \"1.1\", \"schemaVersion\": \"1.0\" } },\n"
                + "    \"$edgeHub\": { \"properties.desired\": { \"routes\": [ { \"a\": 1, \"a\": 2 } ] } }\n  }\n}\n";
            string path = dir.Write("deployment.json", manifest);

            var json = IoTEdgeTroubleshoot.Edge.Deployment.DeploymentChecks.Run(new IoTEdgeTroubleshoot.Edge.Deployment.Checks.DeploymentCheckContext(path), default)
                .Where(r => r.CheckId == "manifest-json").ToList();

            Assert.Equal(2, json.Count);
            Assert.All(json, r => Assert.Equal(CheckStatus.Warning, r.Status));
            var schema = json.Single(r => r.Message!.Contains("\"schemaVersion\""));
            Assert.Equal((3, 45), (schema.Line, schema.Column)); // the first "schemaVersion", the one ignored
            Assert.Contains("line 3", schema.Message);
            Assert.Contains(json, r => r.Message!.StartsWith("\"a\" is written twice", StringComparison.Ordinal) && r.Line == 4);
        }

        [Theory]
        [InlineData("fe80::1%eth0", "has a zone ('%eth0')")]
        [InlineData("fe80::1%25eth0", "has a zone")]
        [InlineData("1.1.1.1; rm -rf /", "is not an IPv4 or IPv6 address")]
        [InlineData("1.1.1.1:53", "has a port")]
        [InlineData("dns.google", "not by name")]
        public void ADnsServerThatIsNoAddress_SaysWhy(string server, string why)
        {
            var ex = Assert.Throws<TroubleshootException>(() => IoTEdgeTroubleshoot.Edge.Dns.DnsServers.Validate(new[] { "10.0.0.53", server }));

            Assert.Equal(ErrorIds.InvalidDnsServer, ex.ErrorId);
            Assert.Contains(why, ex.Message);
            Assert.Equal(server, ex.Target);
        }

        [Fact]
        public void AFolderGivenAsTheManifest_SaysSo()
        {
            using var dir = new TempFolder();

            var readable = IoTEdgeTroubleshoot.Edge.Deployment.DeploymentChecks.Run(new IoTEdgeTroubleshoot.Edge.Deployment.Checks.DeploymentCheckContext(dir.Path), default).First();

            Assert.Equal(CheckStatus.Error, readable.Status);
            Assert.Contains("is a folder", readable.Message);
        }
    }
}
