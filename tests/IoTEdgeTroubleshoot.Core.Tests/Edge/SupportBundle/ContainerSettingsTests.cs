using System.IO;
using System.Text;
using IoTEdgeTroubleshoot.Edge.SupportBundle;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.SupportBundle
{
    public class ContainerSettingsTests
    {
        private static string Write(string inspect)
        {
            using var output = new MemoryStream();
            ContainerSettings.Write(inspect, output);
            return Encoding.UTF8.GetString(output.ToArray());
        }

        [Fact]
        public void EnvironmentValues_AreLeftOut_TheirNamesKept()
        {
            string json = Write("[{\"Config\":{\"Env\":[\"A=one two\",\"PATH=/usr/bin\",\"NOVALUE\"]}}]");
            Assert.Contains("\"A=***\"", json);
            Assert.Contains("\"PATH=***\"", json);
            Assert.Contains("\"NOVALUE\"", json);
            Assert.DoesNotContain("one two", json);
        }

        [Fact]
        public void MembersNotAboutTheDeployment_AreDropped()
        {
            string json = Write("[{\"Name\":\"/edgeHub\",\"GraphDriver\":{\"Data\":{\"MergedDir\":\"/var/lib/docker/overlay2/x\"}},\"ExecIDs\":null}]");
            Assert.Contains("/edgeHub", json);
            Assert.DoesNotContain("GraphDriver", json);
            Assert.DoesNotContain("ExecIDs", json);
        }

        [Fact]
        public void JsonHeldInALabel_IsCleanedByTheSameRules()
        {
            string cleaned = ContainerSettings.Clean("{\"Labels\":{\"net.azure-devices.edge.create-options\":\"{\\\"Env\\\":[\\\"K=v1\\\"],\\\"HostConfig\\\":{\\\"Binds\\\":[\\\"/a:/b\\\"]}}\"}}");
            Assert.DoesNotContain("v1", cleaned);
            Assert.Contains("K=***", cleaned);
            Assert.Contains("/a:/b", cleaned);
        }

        [Fact]
        public void ValuesUnderSecretNames_AndAfterSecretFlags_AreHidden()
        {
            string json = Write("[{\"Config\":{\"Cmd\":[\"--token\",\"t0k3n\",\"--port\",\"8883\"],\"Labels\":{\"registryPassword\":\"p4ss\",\"owner\":\"me\"}}}]");
            Assert.DoesNotContain("t0k3n", json);
            Assert.DoesNotContain("p4ss", json);
            Assert.Contains("\"8883\"", json);
            Assert.Contains("\"me\"", json);
        }

        [Fact]
        public void TextThatIsNoJsonArray_IsRefused() =>
            Assert.ThrowsAny<System.Text.Json.JsonException>(() => Write("Error: No such container: edgeHub"));
    }
}
