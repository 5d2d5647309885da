using System.Collections.Generic;
using System.Globalization;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// [edge_ca]: your own CA (cert and pk), one issued (method est or local_ca), or the quickstart CA: a
    /// self-signed CA that expires after auto_generated_edge_ca_expiry_days (90 by default) and is renewed
    /// automatically unless auto_renew says otherwise, fine for tests but not for production.
    /// </summary>
    internal sealed class EdgeCaCheck : IConfigCheck
    {
        public const int QuickstartDays = 90;

        public string Id => "config-edge-ca";

        public string Description => "the Edge CA certificate is configured";

        public bool NeedsParsedDocument => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var doc = context.Document!;
            var section = doc.FindEntry("edge_ca");
            const string Production = "For production, configure your own Edge CA: [edge_ca] cert = \"file:///...\" and pk = \"file:///...\" (or method = \"est\").";
            if (section == null)
            {
                yield return this.Result(context, CheckStatus.Warning, $"No [edge_ca]: the quickstart Edge CA is used, self-signed, valid {QuickstartDays} days and renewed automatically (modules restart when it is).", remedy: Production);
                yield break;
            }

            if (section.Value.Type != ConfigValueType.Mapping)
            {
                yield return this.Result(context, CheckStatus.Skipped, "Skipped: edge_ca is not a table (aziot-edged-config-well-formed reports it).");
                yield break;
            }

            var ca = section.Value;
            if (ca["cert"] != null || ca["pk"] != null)
            {
                if (ca["cert"] == null || ca["pk"] == null)
                {
                    yield return this.Result(context, CheckStatus.Error, $"[edge_ca] has {(ca["cert"] == null ? "pk but no cert" : "cert but no pk")}; your own Edge CA needs both.", section, remedy: "Set both cert and pk to file:/// URIs.");
                    yield break;
                }

                yield return this.Result(context, CheckStatus.Pass, "The Edge CA is your own certificate (its files are checked by certs-preloaded).", section);
                yield break;
            }

            if (ca["method"] != null)
            {
                yield return this.Result(context, CheckStatus.Pass, $"The Edge CA is issued by {ca["method"]!.Text}.", section);
                yield break;
            }

            var days = ca["auto_generated_edge_ca_expiry_days"];
            if (days == null || days.Type != ConfigValueType.Integer || !long.TryParse(days.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) || n < 1 || n > uint.MaxValue)
            {
                yield return this.Result(context, CheckStatus.Error, days == null
                        ? "[edge_ca] has none of cert and pk, method, or auto_generated_edge_ca_expiry_days; 'iotedge config apply' refuses it."
                        : $"auto_generated_edge_ca_expiry_days is {SettingValues.Describe(days)}; it must be a whole number of days, without quotes.",
                    (ConfigPlace?)days ?? section, remedy: $"Write auto_generated_edge_ca_expiry_days = {QuickstartDays}, or delete [edge_ca] for the quickstart default.");
                yield break;
            }

            var rotate = doc.Find("edge_ca", "auto_renew", "rotate_key");
            if (rotate != null && rotate.Text == "false")
            {
                yield return this.Result(context, CheckStatus.Error, "edge_ca.auto_renew.rotate_key is false: a quickstart Edge CA can only be renewed with a new key.", rotate, remedy: "Set rotate_key = true.");
                yield break;
            }

            yield return this.Result(context, CheckStatus.Warning, $"The quickstart Edge CA is used: self-signed, valid {n} days{(n == QuickstartDays ? " (the default)" : string.Empty)}, renewed automatically.", days, remedy: Production);
        }
    }
}
