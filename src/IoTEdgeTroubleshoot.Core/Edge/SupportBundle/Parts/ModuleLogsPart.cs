using System.Text;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.SupportBundle.Parts
{
    /// <summary>
    /// logs/&lt;module&gt;_log.txt for each module of 'iotedge list': 'iotedge logs &lt;module&gt; --since', streamed
    /// line by line through <see cref="LineMasker"/>. One module's failure (it was removed meanwhile) skips that
    /// module only.
    /// </summary>
    internal sealed class ModuleLogsPart : IBundlePart
    {
        public string Name => "module logs";

        public string Plan(SupportBundleRequest request) => $"logs/<module>_log.txt for each module of 'iotedge list' ('iotedge logs <module> --since {request.Since.UtcDateTime:u}')";

        public void Collect(BundleContext context, CancellationToken cancellationToken)
        {
            if (!(context.ModulesFor(Name, cancellationToken) is { } modules)) return;

            int done = 0;
            foreach (var module in modules)
            {
                cancellationToken.ThrowIfCancellationRequested();
                context.Reporter.Progress(new ProgressReport(SupportBundleBuilder.ProgressId + 1, "Module logs", module.Name, 100 * done++ / modules.Count));
                string entry = $"logs/{EntryName(module.Name)}_log.txt";
                var command = new NativeCommand("iotedge", LiveLogReader.LogsArguments(module.Name, null, context.Request.Since, null), LiveLogReader.ToolTimeout)
                {
                    WhatToTry = "List the modules and their names with 'iotedge list'.",
                };
                var masker = new LineMasker();
                long lines = 0;
                try
                {
                    using var text = context.Archive.OpenText(entry);
                    context.Tool.Run(command, cancellationToken, line =>
                    {
                        text.WriteLine(masker.Mask(line));
                        lines++;
                    });
                }
                catch (TroubleshootException ex) when (ex.ErrorId != ErrorIds.SupportBundleWriteFailed)
                {
                    context.Skip($"log of {module.Name}", ex.Message + (lines > 0 ? $" ({entry} holds the {lines} lines read before.)" : string.Empty));
                    continue;
                }

                context.Collected(entry, $"{lines} lines of 'iotedge logs {module.Name}' since {context.Request.Since.UtcDateTime:u}");
            }

            context.Reporter.Progress(new ProgressReport(SupportBundleBuilder.ProgressId + 1, "Module logs", "done", 100, completed: true));
        }

        /// <summary>A module's name as an entry name: only letters, digits, '-', '_' and '.', never a path.</summary>
        internal static string EntryName(string name)
        {
            var safe = new StringBuilder(name.Length);
            foreach (char c in name) safe.Append(char.IsLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.' ? c : '_');
            string result = safe.ToString().Trim('.');
            return result.Length == 0 ? "_" : result;
        }
    }
}
