using System.Collections.Generic;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// certs-preloaded, as `aziotctl check` names it, for what the file names: each key and certificate
    /// file:// URI points at a file that exists and that the service reading it can read (aziot-keyd runs as
    /// aziotks and reads keys; aziot-certd runs as aziotcs and reads certificates). pkcs11: keys live in an HSM.
    /// </summary>
    internal sealed class CertsPreloadedCheck : IConfigCheck
    {
        private const string Keys = "aziotks", Certs = "aziotcs";

        private static readonly (string[] Setting, string Account)[] Settings =
        {
            (new[] { "provisioning", "authentication", "identity_cert" }, Certs),
            (new[] { "provisioning", "authentication", "identity_pk" }, Keys),
            (new[] { "provisioning", "authentication", "device_id_pk", "uri" }, Keys),
            (new[] { "provisioning", "attestation", "identity_cert" }, Certs),
            (new[] { "provisioning", "attestation", "identity_pk" }, Keys),
            (new[] { "provisioning", "attestation", "symmetric_key", "uri" }, Keys),
            (new[] { "edge_ca", "cert" }, Certs),
            (new[] { "edge_ca", "pk" }, Keys),
            (new[] { "trust_bundle_cert" }, Certs),
            (new[] { "cert_issuance", "local_ca", "cert" }, Certs),
            (new[] { "cert_issuance", "local_ca", "pk" }, Keys),
            (new[] { "cert_issuance", "est", "identity_cert" }, Certs),
            (new[] { "cert_issuance", "est", "identity_pk" }, Keys),
            (new[] { "cert_issuance", "est", "bootstrap_identity_cert" }, Certs),
            (new[] { "cert_issuance", "est", "bootstrap_identity_pk" }, Keys),
        };

        public string Id => "certs-preloaded";

        public string Description => "the key and certificate files exist and the services can read them";

        public bool NeedsParsedDocument => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var doc = context.Document!;
            int files = 0, problems = 0;
            var notes = new List<string>();
            foreach (var (setting, account) in Settings)
            {
                var node = doc.Find(setting);
                if (node == null || node.Type != ConfigValueType.String) continue; // a table is an issued certificate; provisioning reports other types
                string name = ConfigNodePaths.Name(setting);
                string value = node.Text ?? string.Empty;
                if (value.StartsWith("pkcs11:", System.StringComparison.Ordinal)) continue;
                files++;
                var uri = SettingValues.AsUri(value);
                string? path = uri == null ? null : SettingValues.FilePath(uri);
                string? problem = path == null
                    ? $"{name} is '{value}'; key and certificate files are given as file:/// URIs (pkcs11: for keys in an HSM)."
                    : !context.FileExists(path) ? $"{name} points at '{path}', which does not exist." : null;
                if (problem == null)
                {
                    var verdict = context.ServiceAccess.CanRead(path!, account, out string? why);
                    if (verdict == FileAccessVerdict.Denied) problem = $"{name} points at '{path}', which the service cannot read: {why}.";
                    else if (verdict == FileAccessVerdict.Unknown) notes.Add(account);
                }

                if (problem == null) continue;
                problems++;
                yield return this.Result(context, CheckStatus.Error, problem, node,
                    remedy: path == null ? $"Write it as file:///path/to/file." : $"Put the file there, or correct the URI; then let {account} read it, e.g. sudo chown {account}:{account} '{path}' && sudo chmod 600 '{path}'.");
            }

            if (problems > 0) yield break;
            yield return this.Result(context, CheckStatus.Pass, files == 0
                ? "No key or certificate files are named in the file."
                : $"{files} key and certificate file(s) exist{(notes.Count > 0 ? $"; whether {string.Join(" and ", new HashSet<string>(notes))} can read them is not known here (no such account on this machine)" : " and the services can read them")}.");
        }
    }
}
