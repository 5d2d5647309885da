using System;
using System.IO;
using System.Linq;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Deployment;
using IoTEdgeTroubleshoot.Platform;
using IoTEdgeTroubleshoot.Tests.Edge.Dns;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Deployment
{
    public class ManifestEditorTests
    {
        private const string Password = "s3cr3t-Passw0rd+xyz=";
        private static readonly string[] Servers = { "10.0.0.53", "1.1.1.1" };

        private static SafeFileWriter Writer() => new SafeFileWriter(clock: () => new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero));

        private static TextFileSnapshot Golden(TempFolder dir, string name) => TextFileSnapshot.Read(GoldenFiles.CopyTo(dir, name, "deployment.json"));

        [Fact]
        public void SetDns_SplitCreateOptions_RoundTrip_Golden()
        {
            using var dir = new TempFolder();
            var file = Golden(dir, "manifest-split.json");

            string text = ManifestEditor.SetDns(file, Servers);
            Writer().Replace(file, text);

            GoldenFiles.AssertMatches("manifest-split.dns.expected.json", File.ReadAllBytes(file.Path));
            var manifest = DeploymentManifest.Parse(TextFileSnapshot.Read(file.Path));
            var hub = CreateOptions.Read(manifest.Text, manifest.Module("edgeHub")!.Settings!)!;
            // Joined, changed and split again at the file's own chunk size (64), in order and without a gap.
            Assert.Equal("{\"HostConfig\":{\"PortBindings\":{\"5671/tcp\":[{\"HostPort\":\"5671\"}],\"8883/tcp\":[{\"HostPort\":\"8883\"}],\"443/tcp\":[{\"HostPort\":\"443\"}]},\"Dns\":[\"10.0.0.53\",\"1.1.1.1\"]}}", hub.Text);
            Assert.Equal(new[] { "createOptions", "createOptions01", "createOptions02" }, hub.Chunks.Select(c => c.Name));
            Assert.All(hub.Chunks.Take(2), c => Assert.Equal(64, c.Value.StringValue!.Length));
            Assert.Equal("{\"HostConfig\":{\"Dns\":[\"10.0.0.53\",\"1.1.1.1\"]}}", CreateOptions.Read(manifest.Text, manifest.Module("edgeAgent")!.Settings!)!.Text);
            Assert.Equal("{}", CreateOptions.Read(manifest.Text, manifest.Module("filtermodule")!.Settings!)!.Text);
        }

        [Fact]
        public void SetDns_IsIdempotent()
        {
            using var dir = new TempFolder();
            var file = Golden(dir, "manifest-split.json");
            Writer().Replace(file, ManifestEditor.SetDns(file, Servers));
            var again = TextFileSnapshot.Read(file.Path);

            Assert.Equal(again.Text, ManifestEditor.SetDns(again, Servers));
        }

        [Fact]
        public void SetDns_ShorterList_DropsTheChunksNoLongerNeeded()
        {
            using var dir = new TempFolder();
            var file = Golden(dir, "manifest-split.json");
            var longList = Enumerable.Range(1, 25).Select(i => $"10.0.{i}.53").ToArray();
            var grown = file.WithText(ManifestEditor.SetDns(file, longList));
            Assert.NotNull(DeploymentManifest.Parse(grown).Module("edgeHub")!.Settings!.Member("createOptions07"));

            var shrunk = DeploymentManifest.Parse(grown.WithText(ManifestEditor.SetDns(grown, new[] { "1.1.1.1" })));
            var hub = CreateOptions.Read(shrunk.Text, shrunk.Module("edgeHub")!.Settings!)!;

            Assert.Equal(new[] { "createOptions", "createOptions01", "createOptions02" }, hub.Chunks.Select(c => c.Name));
            Assert.Contains("\"Dns\":[\"1.1.1.1\"]", hub.Text);
        }

        [Fact]
        public void SetDns_MoreThanEightChunks_IsRefused()
        {
            using var dir = new TempFolder();
            var file = Golden(dir, "manifest-split.json");
            var huge = Enumerable.Range(1, 60).Select(i => $"10.0.{i}.53").ToArray();

            var ex = Assert.Throws<TroubleshootException>(() => ManifestEditor.SetDns(file, huge));

            Assert.Equal(ErrorIds.CreateOptionsNotValidJson, ex.ErrorId);
            Assert.Contains("at most 8", ex.Message);
        }

        [Fact]
        public void SetDns_NamedModule_Only()
        {
            using var dir = new TempFolder();
            var file = Golden(dir, "manifest-split.json");

            var manifest = DeploymentManifest.Parse(file.WithText(ManifestEditor.SetDns(file, new[] { "1.1.1.1" }, new[] { "filtermodule" })));

            Assert.Equal("{\"HostConfig\":{\"Dns\":[\"1.1.1.1\"]}}", CreateOptions.Read(manifest.Text, manifest.Module("filtermodule")!.Settings!)!.Text);
            Assert.Null(CreateOptions.Read(manifest.Text, manifest.Module("edgeAgent")!.Settings!)!.Dns);
        }

        [Fact]
        public void SetDns_UnknownModule_IsModuleNotFound()
        {
            using var dir = new TempFolder();
            var ex = Assert.Throws<TroubleshootException>(() => ManifestEditor.SetDns(Golden(dir, "manifest-split.json"), Servers, new[] { "FilterModule" }));
            Assert.Equal(ErrorIds.ManifestModuleNotFound, ex.ErrorId);
            Assert.Contains("filtermodule", ex.Message);
        }

        [Fact]
        public void SetDns_CreateOptionsNotJson_IsRefusedAtItsPlace()
        {
            using var dir = new TempFolder();
            var file = Golden(dir, "manifest-split.json");
            var broken = file.WithText(file.Text.Replace("\"createOptions02\": \"}}\"", "\"createOptions02\": \"}\""));

            var ex = Assert.Throws<TroubleshootException>(() => ManifestEditor.SetDns(broken, Servers));

            Assert.Equal(ErrorIds.CreateOptionsNotValidJson, ex.ErrorId);
            Assert.Equal(34, ex.Position!.Line);
            Assert.Contains("module 'edgeHub'", ex.Message);
        }

        [Fact]
        public void SetDns_ChunkGap_IsRefused()
        {
            using var dir = new TempFolder();
            var file = Golden(dir, "manifest-split.json");
            var broken = file.WithText(file.Text.Replace("\"createOptions01\"", "\"createOptions03\""));

            var ex = Assert.Throws<TroubleshootException>(() => ManifestEditor.SetDns(broken, Servers));

            Assert.Contains("without a gap", ex.Message);
        }

        [Fact]
        public void SetDns_TemplateObjectForm_IsEditedAsAnObject()
        {
            string text = "{\n  \"modulesContent\": {\n    \"$edgeAgent\": {\n      \"properties.desired\": {\n        \"systemModules\": {\n          \"edgeAgent\": { \"type\": \"docker\", \"settings\": { \"image\": \"${MODULES.agent}\", \"createOptions\": {} } },\n          \"edgeHub\": { \"type\": \"docker\", \"settings\": { \"image\": \"x\", \"createOptions\": { \"hostconfig\": { \"PortBindings\": {} } } } }\n        }\n      }\n    }\n  }\n}\n";
            using var dir = new TempFolder();
            var file = TextFileSnapshot.Read(dir.Write("deployment.template.json", text));

            string edited = ManifestEditor.SetDns(file, new[] { "1.1.1.1" });

            Assert.Contains("\"createOptions\": {\"HostConfig\": {\"Dns\": [\"1.1.1.1\"]}} } },", edited);
            Assert.Contains("{ \"hostconfig\": { \"PortBindings\": {}, \"Dns\": [\"1.1.1.1\"] } }", edited);
        }

        [Fact]
        public void SetHubOptimization_AddsEnv_Golden_AndIsIdempotent()
        {
            using var dir = new TempFolder();
            var file = Golden(dir, "manifest-split.json");

            Writer().Replace(file, ManifestEditor.SetHubOptimization(file, false));

            GoldenFiles.AssertMatches("manifest-split.optimization.expected.json", File.ReadAllBytes(file.Path));
            var again = TextFileSnapshot.Read(file.Path);
            Assert.Equal(again.Text, ManifestEditor.SetHubOptimization(again, false));
        }

        [Fact]
        public void SetHubOptimization_NextToOtherEnv_KeepsCrlfAndFourSpaces_Golden()
        {
            using var dir = new TempFolder();
            var file = Golden(dir, "manifest-hub-env-crlf.json");

            Writer().Replace(file, ManifestEditor.SetHubOptimization(file, false));

            GoldenFiles.AssertMatches("manifest-hub-env-crlf.optimization.expected.json", File.ReadAllBytes(file.Path));
        }

        [Fact]
        public void SetHubOptimization_ReplacesOnlyTheValue()
        {
            using var dir = new TempFolder();
            var file = Golden(dir, "manifest-hub-env-crlf.json");
            var on = file.WithText(ManifestEditor.SetHubOptimization(file, true));

            string off = ManifestEditor.SetHubOptimization(on, false);

            Assert.Equal(on.Text.Replace("\"value\": \"true\"", "\"value\": \"false\""), off);
            var boolean = on.WithText(on.Text.Replace("\"value\": \"true\"", "\"value\": false"));
            Assert.Equal(boolean.Text, ManifestEditor.SetHubOptimization(boolean, false)); // a JSON false already says it
        }

        [Fact]
        public void NotAManifest_IsRefused()
        {
            using var dir = new TempFolder();
            var file = TextFileSnapshot.Read(dir.Write("daemon.json", "{ \"dns\": [] }"));

            var ex = Assert.Throws<TroubleshootException>(() => ManifestEditor.SetHubOptimization(file, false));

            Assert.Equal(ErrorIds.ManifestShapeUnexpected, ex.ErrorId);
        }

        [Fact]
        public void Diff_OfACompactManifest_MasksTheRegistryPassword()
        {
            using var dir = new TempFolder();
            var file = Golden(dir, "manifest-split.json");
            var compactText = System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonDocument.Parse(file.Text).RootElement,
                new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            var compact = file.WithText(compactText);
            Assert.Contains(Password, compactText);

            string diff = ConfigEditor.Diff(file.Path, compactText, ManifestEditor.SetHubOptimization(compact, false));

            // One line holds everything: the masker hides the password on it, and the change stays visible.
            Assert.Contains("-{\"modulesContent\"", diff);
            Assert.Contains("+{\"modulesContent\"", diff);
            Assert.DoesNotContain(Password, diff);
            Assert.Contains("\"password\":\"***\"", diff);
            Assert.Matches("\\+\\{.*\"OptimizeForPerformance\":\\{\"value\":\"false\"\\}", diff); // the added env shows
            Assert.Contains("\"address\":\"contosoacr.azurecr.io\"", diff);
        }
    }
}
