using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues.Issues
{
    /// <summary>The guide's "IoT Edge module fails to send a message to edgeHub with 404 error".</summary>
    public sealed class ModuleNotFound404 : SignatureIssue
    {
        private static readonly Regex Pattern = new Regex(
            @"status=404[^\n]{0,200}Module not found|Module not found[^\n]{0,60}(?:StatusCode: ?404|\b404\b)|\b404\b[^\n]{0,60}Module not found",
            SignatureOptions);

        private static readonly string[] Words = { "module not found" };

        public override string Id => "module-not-found-404";

        public override string Title => "A module is refused with 404 \"Module not found\" (the daemon's process check)";

        public override string RootCause => "For security, the IoT Edge daemon checks the process of every module that connects to edgeHub: every message must come from the module's main process ID. A message from another process of the module is refused with 404.";

        public override string Resolution => "Make the custom module always send from the same process ID. In the Dockerfile use ENTRYPOINT (one process) rather than CMD with a shell (bash runs the program as another process).";

        public override string? RemedyCommand => "Test-IoTEdgeModuleDockerfile";

        public override IReadOnlyList<string> Needles => Words;

        protected override Regex Signature => Pattern;
    }
}
