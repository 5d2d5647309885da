using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Json
{
    /// <summary>A JSON file as read: its exact text (for surgical edits and the change check) and its spans.</summary>
    internal sealed class JsonDocumentFile
    {
        private JsonDocumentFile(TextFileSnapshot file, JsonSpan? root, ConfigSyntaxError? error)
        {
            File = file;
            Root = root;
            Error = error;
        }

        public TextFileSnapshot File { get; }

        public string Path => File.Path;

        public string Text => File.Text;

        /// <summary>Null when the text is not JSON (<see cref="Error"/> says where).</summary>
        public JsonSpan? Root { get; }

        public ConfigSyntaxError? Error { get; }

        public static JsonDocumentFile Load(string path) => Parse(TextFileSnapshot.Read(path));

        public static JsonDocumentFile Parse(TextFileSnapshot file)
        {
            var root = JsonText.Parse(file.Text, out var error);
            return new JsonDocumentFile(file, root, error);
        }

        public FilePosition PositionOf(int offset)
        {
            var (line, column) = JsonText.Position(Text, offset);
            return new FilePosition(Path, line, column);
        }

        /// <summary>The root object; throws JsonNotValid (path:line:column) when the file is not JSON, or not an object.</summary>
        public JsonSpan RequireObject(string what)
        {
            if (!File.IsValidText)
            {
                throw new TroubleshootException(ErrorIds.FileNotText, ProblemKind.InvalidData, Path, $"'{Path}' is not valid UTF-8 text. Nothing was written.");
            }

            if (Error != null)
            {
                throw new TroubleshootException(ErrorIds.JsonNotValid, ProblemKind.InvalidData, Path,
                    $"{what} is not valid JSON: {Error.Message} Fix it first. Nothing was written.", new FilePosition(Path, Error.Line, Error.Column));
            }

            if (Root!.Kind != JsonKind.Object)
            {
                throw new TroubleshootException(ErrorIds.JsonNotValid, ProblemKind.InvalidData, Path,
                    $"{what} must be a JSON object ({{ ... }}). Nothing was written.", PositionOf(Root.Start));
            }

            return Root;
        }
    }
}
