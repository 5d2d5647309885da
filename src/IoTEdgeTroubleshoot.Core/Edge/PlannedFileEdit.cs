using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge
{
    /// <summary>
    /// A planned change of a file that may not exist yet (a systemd drop-in, daemon.json): what it holds now
    /// and what it will hold, for -WhatIf to show and the writer to apply.
    /// </summary>
    public sealed class PlannedFileEdit
    {
        internal PlannedFileEdit(string path, TextFileSnapshot? file, string newText)
        {
            Path = path;
            File = file;
            NewText = newText;
        }

        public string Path { get; }

        /// <summary>The file as read; null when it does not exist yet (it is created, with its folder).</summary>
        public TextFileSnapshot? File { get; }

        public string NewText { get; }

        /// <summary>False when the file already says it: nothing to write, nothing to reload or restart.</summary>
        public bool Changes => File == null || File.Text != NewText;

        /// <summary>The change as a diff (what -WhatIf and -Confirm show).</summary>
        public string Diff => ConfigEditor.Diff(Path, File?.Text ?? string.Empty, NewText);
    }
}
