using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using IoTEdgeTroubleshoot.Edge.EventLog;
using IoTEdgeTroubleshoot.Platform;
using IoTEdgeTroubleshoot.Tests.Edge.Dns;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.EventLog
{
    public class EventLogRepairTests
    {
        private const string MessageFile = @"C:\Program Files\iotedge\iotedged.exe";

        /// <summary>A registry in memory: what was read and written, and whether writing is denied (not elevated).</summary>
        private sealed class FakeRegistry : IMachineRegistry
        {
            public Dictionary<string, Dictionary<string, object>> Keys { get; } = new Dictionary<string, Dictionary<string, object>>(StringComparer.OrdinalIgnoreCase);

            public bool Denied { get; set; }

            public List<string> Writes { get; } = new List<string>();

            public IReadOnlyDictionary<string, object>? Read(string subKey, IEnumerable<string> names) =>
                Keys.TryGetValue(subKey, out var values) ? values : null;

            public void Write(string subKey, IReadOnlyList<RegistryValue> values)
            {
                if (Denied) throw new UnauthorizedAccessException("Access to the registry key is denied.");
                if (!Keys.TryGetValue(subKey, out var key)) Keys[subKey] = key = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
                foreach (var value in values)
                {
                    key[value.Name] = value.Value;
                    Writes.Add(value.ToString());
                }
            }
        }

        [Fact]
        public void MissingKey_IsCreatedWithTheGuidesThreeValues_ThenNothingMore()
        {
            var registry = new FakeRegistry();
            var repair = new EventLogRepair(registry);

            repair.Apply(repair.Plan(MessageFile));
            var second = repair.Plan(MessageFile);

            Assert.Equal(new[] { "CustomSource = dword:00000001", $"EventMessageFile = \"{MessageFile}\"", "TypesSupported = dword:00000007" }, registry.Writes);
            Assert.Empty(second);
            Assert.Equal(1, registry.Keys[EventLogRegistration.SubKey]["CustomSource"]);
        }

        [Fact]
        public void OnlyWhatDiffers_IsWritten()
        {
            var registry = new FakeRegistry();
            registry.Keys[EventLogRegistration.SubKey] = new Dictionary<string, object> { ["CustomSource"] = 1, ["EventMessageFile"] = @"C:\ProgramData\iotedge\iotedged.exe", ["TypesSupported"] = 7 };
            var repair = new EventLogRepair(registry);

            var plan = repair.Plan(MessageFile);

            Assert.Equal(new[] { "EventMessageFile" }, plan.Select(v => v.Name));
            Assert.Empty(repair.Plan(@"c:\programdata\IOTEDGE\iotedged.exe")); // paths compare without case, as Windows does
        }

        [Fact]
        public void WithoutElevation_ItSaysSo()
        {
            var repair = new EventLogRepair(new FakeRegistry { Denied = true });

            var ex = Assert.Throws<TroubleshootException>(() => repair.Apply(repair.Plan(MessageFile)));

            Assert.Equal(ErrorIds.EventLogElevationRequired, ex.ErrorId);
            Assert.Contains("Administrator", ex.Message);
            Assert.Contains("-ExportPath", ex.Message);
        }

        [Fact]
        public void MessageFile_IsTheInstalledDaemon_11First()
        {
            string installed = @"C:\Program Files\iotedge\iotedged.exe";
            Assert.Equal(installed, EventLogRegistration.DetectMessageFile(p => true, @"C:\Program Files"));
            Assert.Equal(EventLogRegistration.GuideMessageFile, EventLogRegistration.DetectMessageFile(p => p == EventLogRegistration.GuideMessageFile, @"C:\Program Files"));
            Assert.Null(EventLogRegistration.DetectMessageFile(p => false, @"C:\Program Files"));
        }

        [Fact]
        public void RegFile_IsTheGuidesFile_InUtf16LeWithBom_Golden()
        {
            using var dir = new TempFolder();
            string path = Path.Combine(dir.Path, "out", "iotedge.reg");

            var result = EventLogRepair.Export(path, EventLogRegistration.GuideMessageFile);

            Assert.True(result.Changed);
            byte[] bytes = File.ReadAllBytes(path);
            // The golden text is kept as UTF-8 (no binary in the repository); the file must be its UTF-16LE bytes after a BOM.
            string golden = File.ReadAllText(GoldenFiles.Source("iotedge.reg.expected.txt"), new UTF8Encoding(false));
            Assert.Equal(new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes(golden)), bytes);
            Assert.StartsWith("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\iotedged]\r\n", golden);
            Assert.Contains("\"EventMessageFile\"=\"C:\\\\ProgramData\\\\iotedge\\\\iotedged.exe\"\r\n", golden);
        }

        [Fact]
        public void RegFile_IsIdempotent_AndAnotherPathReplacesItWithABackup()
        {
            using var dir = new TempFolder();
            string path = Path.Combine(dir.Path, "iotedge.reg");
            EventLogRepair.Export(path, EventLogRegistration.GuideMessageFile);

            Assert.False(EventLogRepair.Export(path, EventLogRegistration.GuideMessageFile).Changed);
            var replaced = EventLogRepair.Export(path, MessageFile);

            Assert.True(replaced.Changed);
            Assert.NotNull(replaced.BackupPath);
            Assert.Contains("C:\\\\Program Files\\\\iotedge", Encoding.Unicode.GetString(File.ReadAllBytes(path)));
            Assert.Equal(0xFF, File.ReadAllBytes(path)[0]);
        }

        [Fact]
        public void RegFile_NeverReplacesAFileItDidNotWrite()
        {
            using var dir = new TempFolder();
            string path = dir.Write("iotedge.reg", "REGEDIT4\n");

            var ex = Assert.Throws<TroubleshootException>(() => EventLogRepair.Export(path, MessageFile));

            Assert.Contains("not a UTF-16 .reg file", ex.Message);
            Assert.Equal("REGEDIT4\n", File.ReadAllText(path));
        }
    }
}
