using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using IoTEdgeTroubleshoot.Edge.Json;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Dns
{
    /// <summary>Where the container engine that IoT Edge uses reads its daemon.json.</summary>
    public static class DaemonConfigLocations
    {
        public const string Linux = "/etc/docker/daemon.json";

        /// <summary>Windows, IoT Edge's moby engine today.</summary>
        public const string Windows = @"C:\ProgramData\iotedge-moby\config\daemon.json";

        /// <summary>Windows, the path the guide names (older installations).</summary>
        public const string WindowsGuide = @"C:\ProgramData\iotedge-moby-data\config\daemon.json";

        internal static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>Every path the engine of this platform may read: both Windows ones are checked.</summary>
        public static IReadOnlyList<string> Candidates(bool? windows = null) =>
            windows ?? IsWindows ? new[] { Windows, WindowsGuide } : new[] { Linux };

        /// <summary>The file an edit goes to when none is given: the one that exists, else the current default.</summary>
        public static string DefaultForEdit(bool? windows = null, Func<string, bool>? exists = null)
        {
            var candidates = Candidates(windows);
            return candidates.FirstOrDefault(exists ?? File.Exists) ?? candidates[0];
        }
    }

    /// <summary>
    /// Option 1 of the guide's "Empty config file" fix: a "dns" list in the engine's daemon.json, which every
    /// container the engine starts gets. Every other key and value of the file stays, in its order and layout.
    /// </summary>
    public static class DaemonConfigEditor
    {
        /// <summary>What setting <paramref name="servers"/> makes of the file at <paramref name="path"/> (which may not exist).</summary>
        public static PlannedFileEdit Plan(string path, IEnumerable<string> servers)
        {
            var list = DnsServers.Validate(servers);
            if (!System.IO.File.Exists(path)) return new PlannedFileEdit(path, null, NewFile(list, DaemonConfigLocations.IsWindows ? "\r\n" : "\n"));
            var file = TextFileSnapshot.Read(path);
            return new PlannedFileEdit(path, file, SetDns(JsonDocumentFile.Parse(file), list));
        }

        /// <summary>The content of a new daemon.json holding only the servers (the guide's example layout).</summary>
        internal static string NewFile(IReadOnlyList<string> servers, string newLine) =>
            "{" + newLine + "    \"dns\": [" + string.Join(", ", servers.Select(JsonEdits.Quote)) + "]" + newLine + "}" + newLine;

        internal static string SetDns(JsonDocumentFile document, IReadOnlyList<string> servers)
        {
            if (document.File.IsValidText && document.Text.Trim().Length == 0) return NewFile(servers, document.File.NewLine); // an empty file reads as {}
            var root = document.RequireObject($"The container engine's config '{document.Path}'");
            if (root.Members.Count == 0) return NewFile(servers, document.File.NewLine); // {}: nothing to imitate, so the guide's layout
            var current = root["dns"];
            if (current != null && SameServers(current, servers)) return document.Text;
            var layout = JsonLayout.Of(document.Text, root, "    ");
            string text = JsonEdits.Set(document.Text, root, new[] { "dns" }, JsonValue.Of(servers), layout);

            var after = JsonText.Parse(text, out _);
            if (after?["dns"] is not JsonSpan written || !SameServers(written, servers) || after.Members.Count != root.Members.Count + (current == null ? 1 : 0))
            {
                throw new TroubleshootException(ErrorIds.EditVerificationFailed, ProblemKind.InvalidOperation, document.Path,
                    $"The edit of '{document.Path}' did not read back as intended, so nothing was written. Please report this with the file's layout.");
            }

            return text;
        }

        /// <summary>The "dns" value already lists exactly these servers, in this order.</summary>
        internal static bool SameServers(JsonSpan value, IReadOnlyList<string> servers) =>
            value.Kind == JsonKind.Array && value.Items.Count == servers.Count
            && value.Items.Select(i => i.StringValue).SequenceEqual(servers, StringComparer.OrdinalIgnoreCase);
    }
}

namespace IoTEdgeTroubleshoot.Edge.Dns
{
    /// <summary>What a daemon.json says about DNS.</summary>
    internal sealed class DaemonDnsSetting
    {
        private DaemonDnsSetting(string path, JsonDocumentFile? document, Exception? failure)
        {
            Path = path;
            Document = document;
            Failure = failure;
        }

        public string Path { get; }

        /// <summary>Null when the file does not exist or cannot be read.</summary>
        public JsonDocumentFile? Document { get; }

        /// <summary>Why the file could not be read (null when it does not exist, or was read).</summary>
        public Exception? Failure { get; }

        public bool Exists => Document != null || Failure != null;

        /// <summary>The "dns" value, when the file is a JSON object that has one.</summary>
        public JsonSpan? Dns => Document?.Root?.Kind == JsonKind.Object ? Document.Root["dns"] : null;

        /// <summary>The servers listed, when "dns" is a list of strings.</summary>
        public IReadOnlyList<string>? Servers => Dns?.Kind == JsonKind.Array && Dns.Items.All(i => i.Kind == JsonKind.String) ? Dns.Items.Select(i => i.StringValue!).ToList() : null;

        public static DaemonDnsSetting Read(string path)
        {
            try
            {
                return new DaemonDnsSetting(path, System.IO.File.Exists(path) ? JsonDocumentFile.Load(path) : null, null);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return new DaemonDnsSetting(path, null, ex);
            }
        }
    }
}
