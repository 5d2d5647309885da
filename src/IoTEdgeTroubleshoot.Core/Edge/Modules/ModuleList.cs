using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Modules
{
    /// <summary>
    /// 'iotedge list' as objects. Its table is a tab writer's (columns as wide as their widest cell plus two
    /// spaces, at least 15), so the header's column starts hold for every row; a row that does not fit them
    /// (output copied through something that squeezed the spaces) is split at runs of two spaces or more.
    /// </summary>
    public static class ModuleList
    {
        public static readonly NativeCommand Command = new NativeCommand("iotedge", new[] { "list" }, TimeSpan.FromSeconds(30))
        {
            WhatToTry = "Check that the IoT Edge daemon runs (Get-IoTEdgeDaemonStatus).",
        };

        private static readonly Regex Header = new Regex(@"^\s*NAME\s+STATUS\s+DESCRIPTION\s+CONFIG\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex Gap = new Regex(@"\s{2,}", RegexOptions.CultureInvariant);

        public static IReadOnlyList<IoTEdgeModule> Parse(string text)
        {
            var modules = new List<IoTEdgeModule>();
            int[]? starts = null;
            using var reader = new StringReader(text ?? string.Empty);
            for (string? line = reader.ReadLine(); line != null; line = reader.ReadLine())
            {
                line = line.TrimEnd('\r', ' ', '\t');
                if (line.Trim().Length == 0) continue;
                if (Header.IsMatch(line))
                {
                    string upper = line.ToUpperInvariant();
                    starts = new[] { upper.IndexOf("NAME", StringComparison.Ordinal), upper.IndexOf("STATUS", StringComparison.Ordinal), upper.IndexOf("DESCRIPTION", StringComparison.Ordinal), upper.IndexOf("CONFIG", StringComparison.Ordinal) };
                    continue;
                }

                if (starts == null) continue; // before the header: nothing of the table
                var cells = ByColumns(line, starts) ?? ByGaps(line);
                if (cells != null) modules.Add(new IoTEdgeModule(cells[0], cells[1], cells[2], cells[3]));
            }

            return modules;
        }

        /// <summary>The modules on this device, through 'iotedge list'.</summary>
        public static IReadOnlyList<IoTEdgeModule> Read(NativeTool tool, CancellationToken cancellationToken, TimeSpan? timeout = null)
        {
            var command = timeout == null ? Command : new NativeCommand(Command.Tool, Command.Arguments, timeout) { WhatToTry = Command.WhatToTry };
            return Parse(tool.Run(command, cancellationToken).StandardOutput);
        }

        // Cells at the header's column starts, when each boundary falls on a space (the tab writer pads at least two).
        private static string[]? ByColumns(string line, int[] starts)
        {
            if (starts[0] != 0 || line.Length <= starts[3]) return null;
            for (int c = 1; c < 4; c++)
            {
                if (line[starts[c] - 1] != ' ' || line[starts[c]] == ' ') return null;
            }

            var cells = new string[4];
            for (int c = 0; c < 4; c++)
            {
                int end = c == 3 ? line.Length : starts[c + 1];
                cells[c] = line.Substring(starts[c], end - starts[c]).Trim();
            }

            return cells.Take(2).All(cell => cell.Length > 0 && cell.IndexOf(' ') < 0) ? cells : null;
        }

        private static string[]? ByGaps(string line)
        {
            var cells = Gap.Split(line.Trim());
            if (cells.Length == 4) return cells;
            // a squeezed row: name and status are single words, the image is the last word, the description between
            var words = line.Trim().Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 3) return null;
            return new[] { words[0], words[1], string.Join(" ", words.Skip(2).Take(words.Length - 3)), words[words.Length - 1] };
        }
    }
}
