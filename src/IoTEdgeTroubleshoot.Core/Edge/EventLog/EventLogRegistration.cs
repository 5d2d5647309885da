using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.EventLog
{
    public enum RegistryValueKind
    {
        DWord,
        String,
    }

    /// <summary>One registry value to write.</summary>
    public sealed class RegistryValue
    {
        public RegistryValue(string name, RegistryValueKind kind, object value)
        {
            Name = name;
            Kind = kind;
            Value = value;
        }

        public string Name { get; }

        public RegistryValueKind Kind { get; }

        /// <summary>An int for DWord, a string for String.</summary>
        public object Value { get; }

        public override string ToString() => Kind == RegistryValueKind.DWord ? $"{Name} = dword:{(int)Value:x8}" : $"{Name} = \"{Value}\"";
    }

    /// <summary>The Windows registry under HKEY_LOCAL_MACHINE, as much as the event log key needs: an interface so that the decisions are tested without Windows.</summary>
    public interface IMachineRegistry
    {
        /// <summary>The values of a key (an int for REG_DWORD, a string for REG_SZ and REG_EXPAND_SZ), or null when the key does not exist.</summary>
        IReadOnlyDictionary<string, object>? Read(string subKey, IEnumerable<string> names);

        /// <summary>Creates the key when missing and sets the values; throws UnauthorizedAccessException without elevation.</summary>
        void Write(string subKey, IReadOnlyList<RegistryValue> values);
    }

    /// <summary>
    /// The guide's fix for EventLogException from Get-WinEvent -ProviderName iotedged: the event source key
    /// HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\iotedged with CustomSource=1, EventMessageFile
    /// (the daemon's executable, which holds its message table) and TypesSupported=7, written to the registry or
    /// to a .reg file that 'reg import' takes.
    /// </summary>
    public static class EventLogRegistration
    {
        public const string SubKey = @"SYSTEM\CurrentControlSet\Services\EventLog\Application\iotedged";
        public const string KeyPath = @"HKEY_LOCAL_MACHINE\" + SubKey;

        /// <summary>Where the guide's .reg file points: the 1.0 script installation.</summary>
        public const string GuideMessageFile = @"C:\ProgramData\iotedge\iotedged.exe";

        /// <summary>The 1.0.9+/1.1 installation (MSI, or Deploy-IoTEdge), relative to Program Files.</summary>
        public const string InstalledRelative = @"iotedge\iotedged.exe";

        private static readonly string[] Names = { "CustomSource", "EventMessageFile", "TypesSupported" };

        /// <summary>
        /// Refuses a message file that no Windows path can be: a line break would end the value early in a .reg
        /// file and start a line of its own (another key), and a quote or control character would break the value.
        /// </summary>
        public static void CheckMessageFile(string messageFile)
        {
            int bad = messageFile.IndexOfAny(NotInPaths);
            string? why = messageFile.Trim().Length == 0 ? "it is empty"
                : bad >= 0 ? (messageFile[bad] < ' ' || messageFile[bad] == '\u007f' ? $"it holds the control character U+{(int)messageFile[bad]:X4} at {bad + 1}" : $"it holds '{messageFile[bad]}' at {bad + 1}, which no Windows path has")
                : null;
            if (why != null)
            {
                throw new TroubleshootException(ErrorIds.InvalidEventMessageFile, ProblemKind.InvalidArgument, messageFile,
                    $"-EventMessageFile is not a file path: {why}. Give the daemon's path, such as {GuideMessageFile}. Nothing was written.");
            }
        }

        private static readonly char[] NotInPaths = Enumerable.Range(0, 32).Select(c => (char)c).Concat(new[] { '\u007f', '"', '<', '>', '|', '?', '*' }).ToArray();

        public static IReadOnlyList<RegistryValue> Desired(string messageFile) => new[]
        {
            new RegistryValue("CustomSource", RegistryValueKind.DWord, 1),
            new RegistryValue("EventMessageFile", RegistryValueKind.String, messageFile),
            new RegistryValue("TypesSupported", RegistryValueKind.DWord, 7),
        };

        /// <summary>
        /// The installed daemon's message file: the 1.1 installation under Program Files, then the guide's path;
        /// null when neither exists.
        /// </summary>
        public static string? DetectMessageFile(Func<string, bool>? exists = null, string? programFiles = null)
        {
            exists ??= File.Exists;
            programFiles ??= Environment.GetEnvironmentVariable("ProgramFiles") ?? @"C:\Program Files";
            return new[] { programFiles.TrimEnd('\\') + @"\" + InstalledRelative, GuideMessageFile }.FirstOrDefault(exists);
        }

        /// <summary>The values that are missing or differ from <paramref name="desired"/>: empty when the key is right (nothing to write).</summary>
        public static IReadOnlyList<RegistryValue> ToWrite(IReadOnlyDictionary<string, object>? current, IReadOnlyList<RegistryValue> desired) =>
            desired.Where(value => current == null || !current.TryGetValue(value.Name, out var now) || !Same(now, value)).ToList();

        public static IReadOnlyList<RegistryValue> ToWrite(IMachineRegistry registry, IReadOnlyList<RegistryValue> desired) =>
            ToWrite(registry.Read(SubKey, Names), desired);

        /// <summary>The key as a .reg file (Registry Editor 5.00): what 'reg import' and a double-click take.</summary>
        public static string RegFileText(IReadOnlyList<RegistryValue> values)
        {
            var text = new StringBuilder();
            text.Append("Windows Registry Editor Version 5.00\r\n\r\n");
            text.Append('[').Append(KeyPath).Append("]\r\n");
            foreach (var value in values)
            {
                text.Append('"').Append(Escape(value.Name)).Append("\"=");
                text.Append(value.Kind == RegistryValueKind.DWord
                    ? "dword:" + ((int)value.Value).ToString("x8", CultureInfo.InvariantCulture)
                    : "\"" + Escape((string)value.Value) + "\"");
                text.Append("\r\n");
            }

            return text.Append("\r\n").ToString();
        }

        /// <summary>The file's bytes: UTF-16LE with its byte-order mark, as Registry Editor writes and reads version 5.00 files.</summary>
        public static byte[] RegFileBytes(IReadOnlyList<RegistryValue> values)
        {
            var body = new UnicodeEncoding(bigEndian: false, byteOrderMark: false).GetBytes(RegFileText(values));
            var bytes = new byte[body.Length + 2];
            bytes[0] = 0xFF;
            bytes[1] = 0xFE;
            Buffer.BlockCopy(body, 0, bytes, 2, body.Length);
            return bytes;
        }

        private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");

        private static bool Same(object now, RegistryValue wanted) => wanted.Kind == RegistryValueKind.DWord
            ? now is int number && number == (int)wanted.Value
            : now is string text && string.Equals(text, (string)wanted.Value, StringComparison.OrdinalIgnoreCase);
    }
}
