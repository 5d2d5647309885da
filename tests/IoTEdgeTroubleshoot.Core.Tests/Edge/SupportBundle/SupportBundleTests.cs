using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Edge.SupportBundle;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.SupportBundle
{
    public class SupportBundleTests
    {
        [Fact]
        public void NoCanarySecret_AppearsInAnyEntry_WhileTheirNeighboursDo()
        {
            using var device = new BundleDevice();
            var bundle = SupportBundleBuilder.Build(device.Request(), new CollectingReporter(), CancellationToken.None);
            var entries = BundleDevice.Entries(bundle.Path);

            foreach (var (name, text) in entries)
            {
                foreach (var canary in BundleDevice.Canaries) Assert.False(text.Contains(canary), $"{name} holds the secret {canary}");
            }

            // What is not secret comes through, next to where each secret stood.
            Assert.Contains("HostName=contoso-hub.azure-devices.net;DeviceId=edge-gw-07;SharedAccessKey=***", entries["config/config.toml"]);
            Assert.Contains("username = \"acr-pull-user\"", entries["config/config.toml"]);
            Assert.Contains("serveraddress = \"contoso.azurecr.io\"", entries["config/config.toml"]);
            Assert.Contains("username = \"est-user\"", entries["config/config.toml"]);
            Assert.Contains("pkcs11:slot-id=0?pin-value=***", entries["config/config.toml"]);
            Assert.Contains("registration_id = \"reg-edge-gw-07\"", entries["config/config.d/50-dps.toml"]);
            Assert.Contains("method = \"sas\"", entries["config/config.d/60-sas.toml"]);
            Assert.Contains("http://proxy-user:***@proxy.contoso.com:3128", entries["config/config.toml"]);
            Assert.Contains("RuntimeLogLevel=***", entries["containers.json"]);
            Assert.Contains("EdgeHubConnectionString=***", entries["containers.json"]);
            Assert.Contains("/srv/edgehub:/tmp/edgehub", entries["containers.json"]);
            Assert.Contains("\"HostPort\": \"8883\"", entries["containers.json"]);
            Assert.Contains("\"--password\"", entries["containers.json"]);
            Assert.Contains("contoso.azurecr.io", entries["containers.json"]);
            Assert.Contains("RegistryPassword=***", entries["containers.json"]);
            Assert.Contains("Renewing the token for device edge-gw-07", entries[DaemonLogPartEntry]);
            Assert.Contains("Request failed, Authorization: Bearer ***", entries[DaemonLogPartEntry]);
            Assert.Contains("https://contoso-hub.azure-devices.net/devices/edge-gw-07?***", entries["logs/edgeHub_log.txt"]); // a URL holding sig= keeps its path, never its query
            Assert.Contains("Loaded server key -----BEGIN RSA PRIVATE KEY-----", entries["logs/edgeHub_log.txt"]);
            Assert.Contains("-----END RSA PRIVATE KEY----- for edgeHub server certificate", entries["logs/edgeHub_log.txt"]);
            Assert.Contains("with username acr-pull-user password=***", entries["logs/edgeAgent_log.txt"]);
        }

        [Fact]
        public void TheBundle_HoldsEveryPart_AndTheSummarySaysWhatAndHowMany()
        {
            using var device = new BundleDevice();
            var reporter = new CollectingReporter();
            var bundle = SupportBundleBuilder.Build(device.Request(), reporter, CancellationToken.None);

            Assert.Equal(new[]
            {
                "check-results.json", "config/config.toml", "config/config.d/50-dps.toml", "config/config.d/60-sas.toml", DaemonLogPartEntry, "logs/edgeAgent_log.txt", "logs/edgeHub_log.txt",
                "logs/filterModule_log.txt", "containers.json", "versions/iotedge.txt", "versions/docker.txt", "summary.txt",
            }, bundle.Entries);
            Assert.Equal(new[] { "check results", "config", "daemon logs", "module logs", "container settings", "versions" }, bundle.Parts);
            Assert.Empty(bundle.Skipped);
            Assert.Empty(reporter.Warnings);
            Assert.Equal(new FileInfo(bundle.Path).Length, bundle.Length);
            Assert.True(reporter.Progress.Last(p => p.ActivityId == SupportBundleBuilder.ProgressId).Completed);
            Assert.Contains(reporter.Progress, p => p.Status == "Collecting the module logs");

            string summary = BundleDevice.Entries(bundle.Path)["summary.txt"];
            Assert.Contains("Device:      edge-gw-07", summary);
            Assert.Contains("Logs since:  2026-07-20 10:00:00Z", summary);
            Assert.Contains("4 journal entries of aziot-edged, aziot-identityd, aziot-keyd, aziot-certd, aziot-tpmd", summary);
            Assert.Contains("6 lines of 'iotedge logs edgeHub' since 2026-07-20 10:00:00Z", summary);
            Assert.Contains("2 of 3 module containers", summary);
            Assert.Contains("Not collected (0):", summary);
            Assert.Matches(@"check-results\.json\s+\d+ check results \(", summary);
        }

        [Fact]
        public void TheChecks_AreWrittenAsJson_WithEveryPropertyAndStatusByName()
        {
            using var device = new BundleDevice();
            var bundle = SupportBundleBuilder.Build(device.Request(), new CollectingReporter(), CancellationToken.None);
            using var json = System.Text.Json.JsonDocument.Parse(BundleDevice.Entries(bundle.Path)["check-results.json"]);

            var results = json.RootElement.EnumerateArray().ToList();
            Assert.NotEmpty(results);
            Assert.All(results, r => Assert.Contains(r.GetProperty("Status").GetString(), new[] { "Pass", "Warning", "Error", "Skipped" }));
            Assert.Contains(results, r => r.GetProperty("CheckId").GetString() == "aziot-edged-config-well-formed");
        }

        [Fact]
        public void TheTools_GetTheWindowAsArguments_AndTheLogsAreStreamedLineByLine()
        {
            using var device = new BundleDevice();
            SupportBundleBuilder.Build(device.Request(), new CollectingReporter(), CancellationToken.None);
            var calls = device.Runner.Calls;

            var journal = Assert.Single(calls, c => c.Tool == "journalctl");
            Assert.Equal(new[] { "-u", "aziot-edged", "-u", "aziot-identityd", "-u", "aziot-keyd", "-u", "aziot-certd", "-u", "aziot-tpmd", "-o", "json", "--no-pager", "--all", "--since", "@1784541600" }, journal.Arguments);
            Assert.True(journal.Streamed);
            var logs = calls.Where(c => c.Tool == "iotedge" && c.Arguments[0] == "logs").ToList();
            Assert.Equal(new[] { "edgeAgent", "edgeHub", "filterModule" }, logs.Select(c => c.Arguments[1]));
            Assert.All(logs, c => Assert.Equal(new[] { "--since", "2026-07-20T10:00:00Z" }, c.Arguments.Skip(2)));
            Assert.All(logs, c => Assert.True(c.Streamed));
            Assert.Equal(new[] { "inspect", "--type", "container", "edgeAgent", "edgeHub", "filterModule" }, Assert.Single(calls, c => c.Tool == "docker" && c.Arguments[0] == "inspect").Arguments);
            Assert.Single(calls, c => c.Tool == "iotedge" && c.Arguments[0] == "list"); // read once for the logs and the containers
        }

        [Fact]
        public void TheDaemonLog_ReadsBackThroughTheLogReader_WithLevelsSourcesAndMaskedMessages()
        {
            using var device = new BundleDevice();
            var bundle = SupportBundleBuilder.Build(device.Request(), new CollectingReporter(), CancellationToken.None);
            var entries = new List<IoTEdgeLogEntry>();
            var reporter = new CollectingReporter();

            new LogFileReader(reporter, CancellationToken.None).Read(bundle.Path, new LogWindow(null, null, null, entries.Add));

            Assert.Empty(reporter.Problems); // check-results.json, containers.json and summary.txt are not read as logs
            var daemon = entries.Where(e => e.Origin!.Contains("daemon_journal")).ToList();
            Assert.Equal(4, daemon.Count);
            Assert.Equal(new[] { "aziot-edged", "aziot-identityd", "aziot-edged", "aziot-edged" }, daemon.Select(e => e.Source));
            Assert.Equal(IoTEdgeLogLevel.Error, daemon[2].Level);
            Assert.Equal(705, daemon[2].ProcessId);
            Assert.Equal(new DateTimeOffset(2026, 7, 20, 10, 11, 14, TimeSpan.Zero), daemon[2].TimeCreated);
            Assert.Equal("Request failed, Authorization: Bearer ***", daemon[2].Message);
            Assert.Contains(entries, e => e.Source == "edgeHub" && e.Message == "Initializing Edge Hub.");
        }

        [Fact]
        public void WithoutDockerOrJournal_ThosePartsAreSkippedWithAWarning_AndTheBundleIsWritten()
        {
            using var device = new BundleDevice();
            device.Runner.Tools.Remove("docker");
            device.Runner.Tools.Remove("journalctl");
            var reporter = new CollectingReporter();

            var bundle = SupportBundleBuilder.Build(device.Request(), reporter, CancellationToken.None);

            Assert.Equal(new[] { "daemon logs", "container settings", "docker version" }, bundle.Skipped.Select(s => s.Part));
            Assert.Contains("'docker' was not found on PATH", bundle.Skipped[1].Reason);
            Assert.Contains("journalctl", bundle.Skipped[0].Reason);
            Assert.Equal(3, reporter.Warnings.Count(w => w.StartsWith("The support bundle has no ", StringComparison.Ordinal)));
            Assert.DoesNotContain("containers.json", bundle.Entries);
            Assert.DoesNotContain(DaemonLogPartEntry, bundle.Entries); // no empty entry for a part that was not collected
            string summary = BundleDevice.Entries(bundle.Path)["summary.txt"];
            Assert.Contains("Not collected (3):", summary);
            Assert.Contains("container settings: 'docker' was not found on PATH", summary);
            Assert.Contains("versions/iotedge.txt", summary);
        }

        [Fact]
        public void DockerInspectThatPrintsNoContainerList_IsSkipped_WithoutAnEmptyEntry()
        {
            using var device = new BundleDevice();
            device.Runner.Tools["docker"] = arguments => arguments[0] == "inspect" ? (1, "Error: No such container: edgeAgent\n", string.Empty) : (0, "Server:\n", string.Empty);

            var bundle = SupportBundleBuilder.Build(device.Request(), new CollectingReporter(), CancellationToken.None);

            var skipped = Assert.Single(bundle.Skipped);
            Assert.Equal("container settings", skipped.Part);
            Assert.Contains("printed no container list", skipped.Reason);
            Assert.DoesNotContain("containers.json", bundle.Entries);
        }

        [Fact]
        public void OneModuleWhoseLogFails_IsSkipped_AndTheOthersAreCollected()
        {
            using var device = new BundleDevice();
            device.ModuleLogs.Remove("filterModule");

            var bundle = SupportBundleBuilder.Build(device.Request(), new CollectingReporter(), CancellationToken.None);

            var skipped = Assert.Single(bundle.Skipped);
            Assert.Equal("log of filterModule", skipped.Part);
            Assert.Contains("Module filterModule not found", skipped.Reason);
            Assert.Contains("logs/edgeHub_log.txt", bundle.Entries);
            Assert.Contains("module logs", bundle.Parts);
        }

        [Fact]
        public void ADeviceWithoutModules_SkipsTheModulePartsWithTheReason()
        {
            using var device = new BundleDevice();
            device.Runner.Tools["iotedge"] = arguments => arguments[0] == "list" ? (0, "NAME   STATUS   DESCRIPTION   CONFIG\n", string.Empty) : (0, "iotedge 1.5.21\n", string.Empty);

            var bundle = SupportBundleBuilder.Build(device.Request(), new CollectingReporter(), CancellationToken.None);

            Assert.Equal(new[] { "module logs", "container settings" }, bundle.Skipped.Select(s => s.Part));
            Assert.All(bundle.Skipped, s => Assert.Equal("'iotedge list' shows no modules.", s.Reason));
            Assert.DoesNotContain(device.Runner.Calls, c => c.Tool == "docker" && c.Arguments[0] == "inspect");
        }

        [Fact]
        public void A11Device_ReadsTheIotedgeUnitAndConfigYaml_Masked()
        {
            using var device = new BundleDevice();
            using var folder = new TempFolder();
            string yaml = folder.Write("iotedge/config.yaml", "provisioning:\n  source: \"manual\"\n  device_connection_string: \"HostName=h.azure-devices.net;DeviceId=gw11;SharedAccessKey=" + BundleDevice.ConnectionStringKey + "\"\nhostname: \"gw11\"\n");
            folder.Write("iotedge/config.d/ignored.toml", "password = \"x\"\n");
            var template = device.Request();
            var request = new SupportBundleRequest(template.Path, yaml, IoTEdgeTroubleshoot.Edge.Config.EdgeGeneration.V1_1, template.Since, _ => Array.Empty<IoTEdgeTroubleshoot.Edge.IoTEdgeCheckResult>())
            {
                Processes = device.Runner,
                IsWindows = false,
                UtcNow = template.UtcNow,
            };

            var bundle = SupportBundleBuilder.Build(request, new CollectingReporter(), CancellationToken.None);
            var entries = BundleDevice.Entries(bundle.Path);

            Assert.Equal(new[] { "-u", "iotedge" }, Assert.Single(device.Runner.Calls, c => c.Tool == "journalctl").Arguments.Take(2));
            Assert.Contains("DeviceId=gw11;SharedAccessKey=***", entries["config/config.yaml"]);
            Assert.DoesNotContain(BundleDevice.ConnectionStringKey, entries["config/config.yaml"]);
            Assert.DoesNotContain(bundle.Entries, e => e.StartsWith("config/config.d/", StringComparison.Ordinal)); // drop-ins are 1.2+ only
            Assert.Equal("[]", entries["check-results.json"]);
        }

        [Fact]
        public void AnUnreadableConfig_IsSkipped_NamingWhatToDo()
        {
            using var device = new BundleDevice();
            File.Delete(device.ConfigPath);

            var bundle = SupportBundleBuilder.Build(device.Request(), new CollectingReporter(), CancellationToken.None);

            Assert.Contains(bundle.Skipped, s => s.Part == "config" && s.Reason.Contains("-ConfigPath"));
            Assert.Contains("config/config.d/50-dps.toml", bundle.Entries);
        }

        [Fact]
        public void AnExistingFile_IsNotOverwrittenWithoutForce_AndIsReplacedWithIt()
        {
            using var device = new BundleDevice();
            string target = Path.Combine(device.Folder, "existing.zip");
            File.WriteAllText(target, "keep me");

            var refused = Assert.Throws<TroubleshootException>(() => SupportBundleBuilder.Build(device.Request(target), new CollectingReporter(), CancellationToken.None));

            Assert.Equal(ErrorIds.SupportBundleExists, refused.ErrorId);
            Assert.Contains("-Force", refused.Message);
            Assert.Equal("keep me", File.ReadAllText(target));
            Assert.Empty(device.Runner.Calls); // refused before anything was collected

            var request = device.Request(target);
            request.Force = true;
            var bundle = SupportBundleBuilder.Build(request, new CollectingReporter(), CancellationToken.None);
            Assert.Contains("summary.txt", BundleDevice.Entries(target).Keys);
            Assert.Equal(new FileInfo(target).Length, bundle.Length);
            Assert.Single(Directory.GetFiles(device.Folder)); // no temporary file beside it
        }

        [Fact]
        public void AZipThatCannotBeWritten_IsSupportBundleWriteFailed_AndLeavesNothing()
        {
            using var device = new BundleDevice();
            string file = Path.Combine(device.Folder, "a-file");
            File.WriteAllText(file, "not a folder");

            var failed = Assert.Throws<TroubleshootException>(() => SupportBundleBuilder.Build(device.Request(Path.Combine(file, "bundle.zip")), new CollectingReporter(), CancellationToken.None));

            Assert.Equal(ErrorIds.SupportBundleWriteFailed, failed.ErrorId);
            Assert.Contains("Nothing was left behind", failed.Message);
            Assert.Equal(new[] { "a-file", "aziot" }, Directory.GetFileSystemEntries(device.Folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public void AFolderAsPath_IsRefused()
        {
            using var device = new BundleDevice();
            var refused = Assert.Throws<TroubleshootException>(() => SupportBundleBuilder.Build(device.Request(device.Folder), new CollectingReporter(), CancellationToken.None));
            Assert.Equal(ErrorIds.PathIsFolder, refused.ErrorId);
        }

        [Fact]
        public void Cancelling_WhileAModuleLogIsRead_LeavesNoZipAndNoTemporaryFile()
        {
            using var device = new BundleDevice();
            using var cancellation = new CancellationTokenSource();
            device.Runner.BeforeLine = line =>
            {
                if (line.Contains("Initializing Edge Hub")) cancellation.Cancel();
            };
            var request = device.Request();

            Assert.ThrowsAny<OperationCanceledException>(() => SupportBundleBuilder.Build(request, new CollectingReporter(), cancellation.Token));

            Assert.False(File.Exists(request.Path));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(request.Path)!));
        }

        [Fact]
        public void OnWindows_TheDaemonEventsAreWritten_Masked()
        {
            using var device = new BundleDevice();
            var request = device.Request();
            request.IsWindows = true;
            request.WindowsEventLog = new FakeEventLog(new WindowsEventRecord
            {
                TimeCreated = new DateTimeOffset(2026, 7, 20, 11, 0, 0, TimeSpan.Zero),
                Level = 2,
                ProcessId = 4242,
                ProviderName = "iotedged",
                Message = $"Could not provision: connection string HostName=h;DeviceId=d;SharedAccessKey={BundleDevice.ConnectionStringKey}",
            });

            var bundle = SupportBundleBuilder.Build(request, new CollectingReporter(), CancellationToken.None);
            string log = BundleDevice.Entries(bundle.Path)[DaemonLogPartEntry];

            Assert.DoesNotContain(BundleDevice.ConnectionStringKey, log);
            Assert.Contains("HostName=h;DeviceId=d;SharedAccessKey=***", log);
            Assert.Contains("\"PRIORITY\":\"3\"", log);
            Assert.DoesNotContain(device.Runner.Calls, c => c.Tool == "journalctl");
            Assert.Contains("1 iotedged events since", BundleDevice.Entries(bundle.Path)["summary.txt"]);
        }

        [Fact]
        public void ThePlan_NamesEveryEntryForWhatIf()
        {
            using var device = new BundleDevice();
            var plan = SupportBundleBuilder.Plan(device.Request());

            Assert.Equal(7, plan.Count);
            Assert.Contains(plan, p => p.StartsWith("check-results.json", StringComparison.Ordinal));
            Assert.Contains(plan, p => p.Contains("journalctl of aziot-edged") && p.Contains("2026-07-20 10:00:00Z"));
            Assert.Contains(plan, p => p.StartsWith("summary.txt", StringComparison.Ordinal));
            Assert.Empty(device.Runner.Calls);
        }

        [Theory]
        [InlineData("edge-gw-07", "iotedge-support-edge-gw-07-20260721T100000Z.zip")]
        [InlineData("host/with:odd*chars", "iotedge-support-host_with_odd_chars-20260721T100000Z.zip")]
        [InlineData("", "iotedge-support-device-20260721T100000Z.zip")]
        public void TheDefaultName_SaysHostAndUtcTime(string host, string expected) =>
            Assert.Equal(expected, SupportBundleBuilder.DefaultFileName(host, new DateTimeOffset(2026, 7, 21, 12, 0, 0, TimeSpan.FromHours(2))));

        [Theory]
        [InlineData("edgeHub", "edgeHub")]
        [InlineData("../../etc/passwd", "_.._etc_passwd")]
        [InlineData("..", "_")]
        [InlineData("mod ule", "mod_ule")]
        public void AModuleName_BecomesASafeEntryName(string module, string expected) =>
            Assert.Equal(expected, IoTEdgeTroubleshoot.Edge.SupportBundle.Parts.ModuleLogsPart.EntryName(module));

        private const string DaemonLogPartEntry = IoTEdgeTroubleshoot.Edge.SupportBundle.Parts.DaemonLogPart.Entry;

        private sealed class FakeEventLog : IWindowsEventLog
        {
            private readonly WindowsEventRecord[] _records;

            public FakeEventLog(params WindowsEventRecord[] records) => _records = records;

            public IEnumerable<WindowsEventRecord> Read(string providerName, DateTimeOffset? start, DateTimeOffset? end, int? maxEvents, CancellationToken cancellationToken) => _records;
        }
    }
}
