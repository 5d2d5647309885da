using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Network.Probing
{
    /// <summary>An http:// proxy as the agent's https_proxy names it: host, port and optional user:password.</summary>
    public sealed class ProxyEndpoint
    {
        private ProxyEndpoint(string host, int port, string? userInfo, string shown)
        {
            Host = host;
            Port = port;
            UserInfo = userInfo;
            Shown = shown;
        }

        public string Host { get; }

        public int Port { get; }

        /// <summary>user:password for Basic proxy authentication, when the URI holds them.</summary>
        internal string? UserInfo { get; }

        /// <summary>The URI with its password masked, for messages and results.</summary>
        public string Shown { get; }

        /// <summary>An http:// URI (port 80 when not given); null with the reason when the value is not one this probe can use.</summary>
        public static ProxyEndpoint? Parse(string? value, out string? problem)
        {
            problem = null;
            if (string.IsNullOrWhiteSpace(value))
            {
                problem = "it is empty";
                return null;
            }

            string shown = SecretMasker.Mask(value!.Trim());
            if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                problem = $"'{shown}' is not a URL such as http://proxy.contoso.com:3128";
                return null;
            }

            if (uri.Scheme != Uri.UriSchemeHttp)
            {
                problem = $"'{shown}' is a {uri.Scheme}:// proxy; only http:// proxies are probed";
                return null;
            }

            string? userInfo = uri.UserInfo.Length == 0 ? null : Uri.UnescapeDataString(uri.UserInfo);
            return new ProxyEndpoint(uri.IdnHost.Trim('[', ']'), uri.Port, userInfo, shown);
        }

        public override string ToString() => Shown;
    }

    /// <summary>HTTP CONNECT through the proxy to the target, as the agent's websocket client does: a 2xx answer opens the tunnel.</summary>
    internal static class ProxyTunnel
    {
        // A CONNECT answer is a status line and a few headers; anything longer is not a proxy speaking HTTP.
        private const int MaxAnswerBytes = 16 * 1024;

        public static async Task OpenAsync(Stream stream, ProxyEndpoint proxy, string host, int port, CancellationToken cancellationToken)
        {
            string authority = host.IndexOf(':') >= 0 ? $"[{host}]:{port}" : $"{host}:{port}";
            var request = new StringBuilder()
                .Append("CONNECT ").Append(authority).Append(" HTTP/1.1\r\n")
                .Append("Host: ").Append(authority).Append("\r\n");
            if (proxy.UserInfo != null)
            {
                request.Append("Proxy-Authorization: Basic ").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(proxy.UserInfo))).Append("\r\n");
            }

            byte[] bytes = Encoding.ASCII.GetBytes(request.Append("\r\n").ToString());
            await stream.WriteAsync(bytes, 0, bytes.Length, cancellationToken).ConfigureAwait(false);
            string statusLine = await ReadAnswerAsync(stream, proxy, cancellationToken).ConfigureAwait(false);

            // "HTTP/1.1 200 Connection established"
            string[] parts = statusLine.Split(new[] { ' ' }, 3);
            if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status))
            {
                throw new StageFailedException(ProbeStage.Proxy, $"the proxy {proxy} did not answer CONNECT in HTTP ('{Shorten(statusLine)}')");
            }

            if (status >= 200 && status < 300) return;
            throw new StageFailedException(ProbeStage.Proxy, status switch
            {
                407 => $"the proxy {proxy} wants credentials (407 Proxy Authentication Required): put them in https_proxy as http://user:password@host:port, or allow the device without",
                403 => $"the proxy {proxy} refuses to connect to {authority} (403 Forbidden): allow the hub's name (*.azure-devices.net) and port {port} in the proxy's rules",
                _ => $"the proxy {proxy} answered CONNECT {authority} with '{Shorten(statusLine)}'",
            });
        }

        // Reads up to the blank line that ends the answer's head, one byte at a time: the tunnel's first byte must stay unread.
        private static async Task<string> ReadAnswerAsync(Stream stream, ProxyEndpoint proxy, CancellationToken cancellationToken)
        {
            var head = new StringBuilder();
            var one = new byte[1];
            while (head.Length < MaxAnswerBytes)
            {
                int read = await stream.ReadAsync(one, 0, 1, cancellationToken).ConfigureAwait(false);
                if (read == 0) throw new StageFailedException(ProbeStage.Proxy, $"the proxy {proxy} closed the connection without answering CONNECT");
                head.Append((char)one[0]);
                int n = head.Length;
                if (n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r' && head[n - 1] == '\n')
                {
                    string text = head.ToString();
                    return text.Substring(0, text.IndexOf("\r\n", StringComparison.Ordinal));
                }
            }

            throw new StageFailedException(ProbeStage.Proxy, $"the proxy {proxy} answered CONNECT with more than {MaxAnswerBytes} bytes of headers");
        }

        private static string Shorten(string text) => text.Length <= 80 ? text : text.Substring(0, 80) + "...";
    }
}
