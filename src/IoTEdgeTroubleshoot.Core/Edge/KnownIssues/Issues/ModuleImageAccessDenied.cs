using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues.Issues
{
    /// <summary>The guide's "IoT Edge agent can't access a module's image (403)": the registry refuses the image.</summary>
    public sealed class ModuleImageAccessDenied : SignatureIssue
    {
        private static readonly Regex Pattern = new Regex(
            @"status code[=:] ?Forbidden|\b403\b[^\n]{0,120}(?:registry|image|manifest|pull|azurecr)|(?:registry|image|manifest|pull|azurecr)[^\n]{0,200}\b(?:403|Forbidden)\b|unauthorized: authentication required|pull access denied|denied: requested access to the resource is denied|unauthorized: incorrect username or password",
            SignatureOptions);

        private static readonly string[] Words = { "403", "forbidden", "unauthorized: ", "pull access denied", "requested access to the resource is denied" };

        public override string Id => "module-image-403";

        public override string Title => "edgeAgent is refused a module image by its registry (403)";

        public override string RootCause => "The IoT Edge agent has no right to pull the module's image: the registry credentials of the deployment are missing, wrong or expired, or they do not grant access to that repository.";

        public override string Resolution => "Check the registry credentials (address, user name, password) in the deployment manifest's runtime settings (registryCredentials), and that the image name is in that registry; then deploy again.";

        public override string? RemedyCommand => "Test-IoTEdgeDeployment";

        public override IReadOnlyList<string> Needles => Words;

        protected override Regex Signature => Pattern;
    }
}
