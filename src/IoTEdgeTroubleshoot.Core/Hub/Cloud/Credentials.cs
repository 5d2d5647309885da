using System;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;

namespace IoTEdgeTroubleshoot.Hub.Cloud
{
    /// <summary>-AccessToken: the token the user already has, sent as it is until it expires.</summary>
    internal sealed class StaticTokenCredential : TokenCredential
    {
        private readonly SecureString _token;

        public StaticTokenCredential(SecureString token)
        {
            _token = token;
            // Checked before any request: an empty token would be sent as "Bearer ", and a line break would
            // break the header (HttpClient throws on it). Spaces around a pasted token are dropped.
            string text = PlainText(token).Trim();
            if (text.Length == 0 || text.Any(c => c <= ' ' || c > '~'))
            {
                throw new Platform.TroubleshootException(Platform.ErrorIds.InvalidAccessToken, Platform.ProblemKind.InvalidArgument, "-AccessToken",
                    (text.Length == 0 ? "-AccessToken is empty." : "-AccessToken holds a space, a line break or a character no access token has.")
                    + " Pass the token itself, for example (Get-AzAccessToken -ResourceUrl <the service's audience>).Token, or leave -AccessToken out to sign in with DefaultAzureCredential.");
            }
        }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            string token = PlainText(_token).Trim();
            return new AccessToken(token, JwtClaims.Parse(token)?.ExpiresOn ?? DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new ValueTask<AccessToken>(GetToken(requestContext, cancellationToken));

        internal static string PlainText(SecureString secure)
        {
            IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try
            {
                return Marshal.PtrToStringUni(pointer) ?? string.Empty;
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }

    /// <summary>
    /// Wraps the credential and keeps who the last token was for (never the token), so that a 401/403
    /// can say which identity lacks which role.
    /// </summary>
    internal sealed class ObservedCredential : TokenCredential
    {
        private readonly TokenCredential _inner;
        private readonly string _source;
        private JwtClaims? _claims;

        public ObservedCredential(TokenCredential inner, string source)
        {
            _inner = inner;
            _source = source;
        }

        internal Type InnerType => _inner.GetType();

        /// <summary>"user 'ana@contoso.com' (object id ...), from the -AccessToken token".</summary>
        public string Identity => (_claims?.Describe() ?? "the identity") + " from " + _source;

        /// <summary>When the last token expired, if it has; null when it is valid or unknown.</summary>
        public DateTimeOffset? ExpiredOn => _claims?.ExpiresOn is DateTimeOffset expires && expires <= DateTimeOffset.UtcNow ? expires : (DateTimeOffset?)null;

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            Observe(_inner.GetToken(requestContext, cancellationToken));

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            Observe(await _inner.GetTokenAsync(requestContext, cancellationToken).ConfigureAwait(false));

        private AccessToken Observe(AccessToken token)
        {
            _claims = JwtClaims.Parse(token.Token);
            return token;
        }
    }

    /// <summary>The few claims of a JWT access token that name its identity; the signature is not checked (only shown).</summary>
    internal sealed class JwtClaims
    {
        public string? Upn { get; private set; }

        public string? AppId { get; private set; }

        public string? ObjectId { get; private set; }

        public DateTimeOffset? ExpiresOn { get; private set; }

        public static JwtClaims? Parse(string token)
        {
            string[] parts = token.Split('.');
            if (parts.Length != 3) return null;
            try
            {
                string payload = parts[1].Replace('-', '+').Replace('_', '/');
                payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
                using var document = JsonDocument.Parse(Convert.FromBase64String(payload));
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object) return null;
                var claims = new JwtClaims
                {
                    Upn = JsonValues.String(root, "upn") ?? JsonValues.String(root, "preferred_username") ?? JsonValues.String(root, "unique_name"),
                    AppId = JsonValues.String(root, "appid") ?? JsonValues.String(root, "azp"),
                    ObjectId = JsonValues.String(root, "oid"),
                };
                if (root.TryGetProperty("exp", out var exp) && exp.ValueKind == JsonValueKind.Number && exp.TryGetInt64(out long seconds))
                {
                    claims.ExpiresOn = DateTimeOffset.FromUnixTimeSeconds(seconds);
                }

                return claims;
            }
            catch (Exception ex) when (ex is FormatException || ex is JsonException || ex is ArgumentException)
            {
                return null; // an opaque token: nothing to show
            }
        }

        public string Describe()
        {
            string who = Upn != null ? $"user '{Upn}'" : AppId != null ? $"application or managed identity '{AppId}'" : "the identity";
            return ObjectId != null ? $"{who} (object id {ObjectId})" : who;
        }
    }
}
