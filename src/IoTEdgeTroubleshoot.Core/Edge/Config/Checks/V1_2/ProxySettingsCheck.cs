using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.Edge.Config.Checks
{
    /// <summary>
    /// proxy-settings, as `iotedge check` names it, for what the file holds: [agent.env] https_proxy is an
    /// http(s) URL, and the agent talks over websockets (AmqpWs, MqttWs), the only protocols a proxy carries.
    /// The services' and Docker's own proxy settings are outside the file: the message reminds of them.
    /// </summary>
    internal sealed class ProxySettingsCheck : IConfigCheck
    {
        public string Id => "proxy-settings";

        public string Description => "the edge agent's proxy settings are valid";

        public bool NeedsParsedDocument => true;

        public IEnumerable<IoTEdgeCheckResult> Run(ConfigCheckContext context)
        {
            var env = context.Document!.Find("agent", "env");
            var proxy = env?.Type == ConfigValueType.Mapping ? env.Entries.LastOrDefault(e => e.Key.Equals("https_proxy", StringComparison.OrdinalIgnoreCase)) : null;
            if (proxy == null)
            {
                yield return this.Result(context, CheckStatus.Pass, "The agent has no https_proxy: it connects directly.");
                yield break;
            }

            string value = proxy.Value.IsScalar ? proxy.Value.Text ?? string.Empty : string.Empty;
            var uri = SettingValues.AsUri(value);
            string? damage = PastedValue.Problem(value);
            if (uri == null || (uri.Scheme != "http" && uri.Scheme != "https") || damage != null)
            {
                yield return this.Result(context, CheckStatus.Error, damage != null ? $"agent.env.{proxy.Key} is not usable: {damage}" : $"agent.env.{proxy.Key} is '{value}', which is not an http:// or https:// URL.", proxy.Value,
                    remedy: "Write it as \"http://proxy.contoso.com:3128\" (the proxy's address and port).");
                yield break;
            }

            string protocol = env!["UpstreamProtocol"]?.Text ?? string.Empty;
            if (!protocol.EndsWith("Ws", StringComparison.OrdinalIgnoreCase))
            {
                yield return this.Result(context, CheckStatus.Warning, $"The agent goes through a proxy but UpstreamProtocol is '{(protocol.Length == 0 ? "Amqp (the default)" : protocol)}'; proxies carry only websockets.", (ConfigPlace?)env["UpstreamProtocol"] ?? proxy,
                    remedy: "Set UpstreamProtocol = \"AmqpWs\" (or \"MqttWs\") in [agent.env].");
                yield break;
            }

            yield return this.Result(context, CheckStatus.Pass, $"The agent uses the proxy {value} over {protocol}. aziot-edged, aziot-identityd and Docker need the same proxy in their own settings (systemctl edit; /etc/docker/daemon.json).", proxy.Value);
        }
    }
}
