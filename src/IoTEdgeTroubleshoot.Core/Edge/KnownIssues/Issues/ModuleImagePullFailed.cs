using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.KnownIssues.Issues
{
    /// <summary>Beyond the guide: a module image cannot be pulled for another reason than 403 (a wrong name or tag, TLS, no route to the registry).</summary>
    public sealed class ModuleImagePullFailed : SignatureIssue
    {
        private static readonly Regex Pattern = new Regex(
            @"manifest unknown|manifest for [^\s]{1,200} not found|repository does not exist|no matching manifest|(?:pull|registry|image|azurecr|mcr\.microsoft\.com)[^\n]{0,200}(?:x509: certificate signed by unknown authority|TLS handshake timeout|tls: handshake failure|no such host|i/o timeout)|x509: certificate signed by unknown authority",
            SignatureOptions);

        private static readonly string[] Words = { "manifest", "repository does not exist", "x509", "tls handshake", "tls: handshake", "no such host", "i/o timeout" };

        public override string Id => "module-image-pull-failed";

        public override string Title => "A module image cannot be pulled (manifest unknown, TLS, or no route to the registry)";

        public override string RootCause => "The image name or tag does not exist in the registry (manifest unknown, or no image for the device's architecture), the registry's certificate is not trusted (a TLS-inspecting proxy or a private registry), or the device cannot reach the registry.";

        public override string Resolution => "Check the image name, tag and platform in the deployment manifest against the registry; trust the proxy's or registry's CA certificate on the host for the container engine; and check that the device reaches the registry on 443.";

        public override string? RemedyCommand => "Test-IoTEdgeDeployment";

        public override IReadOnlyList<string> Needles => Words;

        protected override Regex Signature => Pattern;
    }
}
