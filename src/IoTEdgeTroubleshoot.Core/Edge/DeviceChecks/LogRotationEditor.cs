using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using IoTEdgeTroubleshoot.Edge.Dns;
using IoTEdgeTroubleshoot.Edge.Json;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks
{
    /// <summary>
    /// The fix of container-engine-logrotate: "log-driver" and "log-opts" max-size and max-file in the container
    /// engine's daemon.json, so that module logs are rotated. Every other key and value stays, in its order and
    /// layout; log-opts the file has beyond these two stay too. A file that already says it is left as it is.
    /// </summary>
    public static class LogRotationEditor
    {
        /// <summary>The drivers that rotate with max-size and max-file.</summary>
        public static readonly IReadOnlyList<string> Drivers = new[] { "json-file", "local" };

        /// <summary>A size as docker's log-opts take it: a number and an optional unit k, m or g ("10m").</summary>
        public const string SizePattern = "^[1-9][0-9]{0,8}[kmg]?$";

        /// <summary>What setting them makes of the file at <paramref name="path"/> (which may not exist).</summary>
        public static PlannedFileEdit Plan(string path, string driver, string maxSize, int maxFile)
        {
            Validate(driver, maxSize, maxFile);
            string files = maxFile.ToString(CultureInfo.InvariantCulture);
            if (!System.IO.File.Exists(path)) return new PlannedFileEdit(path, null, NewFile(driver, maxSize, files, DaemonConfigLocations.IsWindows ? "\r\n" : "\n"));
            var file = TextFileSnapshot.Read(path);
            return new PlannedFileEdit(path, file, Set(JsonDocumentFile.Parse(file), driver, maxSize, files));
        }

        internal static void Validate(string driver, string maxSize, int maxFile)
        {
            if (Array.IndexOf((string[])Drivers, driver) < 0) throw new ArgumentOutOfRangeException(nameof(driver), driver, "json-file or local.");
            if (!Regex.IsMatch(maxSize ?? string.Empty, SizePattern, RegexOptions.CultureInvariant)) throw new ArgumentOutOfRangeException(nameof(maxSize), maxSize, "A size such as 10m.");
            if (maxFile < 1) throw new ArgumentOutOfRangeException(nameof(maxFile), maxFile, "At least 1.");
        }

        internal static string NewFile(string driver, string maxSize, string maxFile, string newLine) =>
            "{" + newLine
            + "    \"log-driver\": " + JsonEdits.Quote(driver) + "," + newLine
            + "    \"log-opts\": {" + newLine
            + "        \"max-size\": " + JsonEdits.Quote(maxSize) + "," + newLine
            + "        \"max-file\": " + JsonEdits.Quote(maxFile) + newLine
            + "    }" + newLine
            + "}" + newLine;

        internal static string Set(JsonDocumentFile document, string driver, string maxSize, string maxFile)
        {
            if (document.File.IsValidText && document.Text.Trim().Length == 0) return NewFile(driver, maxSize, maxFile, document.File.NewLine); // an empty file reads as {}
            var root = document.RequireObject($"The container engine's config '{document.Path}'");
            if (root.Members.Count == 0) return NewFile(driver, maxSize, maxFile, document.File.NewLine);
            var layout = JsonLayout.Of(document.Text, root, "    ");

            string text = document.Text;
            var wanted = new[] { (new[] { "log-driver" }, driver), (new[] { "log-opts", "max-size" }, maxSize), (new[] { "log-opts", "max-file" }, maxFile) };
            foreach (var (path, value) in wanted)
            {
                var current = JsonText.Parse(text, out _)!;
                if (current.At(path) is JsonSpan now && now.Kind == JsonKind.String && now.StringValue == value) continue;
                try
                {
                    text = JsonEdits.Set(text, current, path, JsonValue.Of(value), layout);
                }
                catch (JsonShapeException ex)
                {
                    var (line, column) = JsonText.Position(text, ex.Found.Start);
                    throw new TroubleshootException(ErrorIds.JsonNotValid, ProblemKind.InvalidData, document.Path,
                        $"{ex.Message} in '{document.Path}', so the container engine does not read it as log options; correct it first. Nothing was written.", new FilePosition(document.Path, line, column));
                }
            }

            var after = JsonText.Parse(text, out _);
            if (after?.At("log-driver")?.StringValue != driver || after.At("log-opts", "max-size")?.StringValue != maxSize || after.At("log-opts", "max-file")?.StringValue != maxFile)
            {
                throw new TroubleshootException(ErrorIds.EditVerificationFailed, ProblemKind.InvalidOperation, document.Path,
                    $"The edit of '{document.Path}' did not read back as intended, so nothing was written. Please report this with the file's layout.");
            }

            return text;
        }
    }
}
