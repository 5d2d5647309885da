using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Hub.Cloud
{
    /// <summary>Which service a request goes to: the token audience and the role a 403 asks for.</summary>
    internal sealed class ServiceAccess
    {
        public ServiceAccess(string service, string scope, string role)
        {
            Service = service;
            Scope = scope;
            Role = role;
        }

        public string Service { get; }

        public string Scope { get; }

        /// <summary>"Log Analytics Reader on the workspace", said when the service refuses the identity.</summary>
        public string Role { get; }
    }

    /// <summary>
    /// The one way the cloud commands call Azure REST APIs: Azure.Core's HttpPipeline with a bearer token
    /// (or an IoT Hub shared access signature), the bounded retry, and the translation of every failure
    /// into a <see cref="TroubleshootException"/> with a stable ErrorId and a next step. Synchronous on
    /// purpose: it runs on the cmdlet's thread, so verbose lines can be written as they happen.
    /// Tokens are never written: only method and path are said.
    /// </summary>
    internal sealed class AzureRestClient
    {
        private readonly AzureConnectionSettings _settings;
        private readonly IReporter _reporter;
        private readonly ObservedCredential? _credential;
        private readonly HttpPipelinePolicy? _sharedAccess;
        private readonly string _sharedAccessName;
        private readonly Dictionary<string, HttpPipeline> _pipelines = new Dictionary<string, HttpPipeline>(StringComparer.Ordinal);

        public AzureRestClient(AzureConnectionSettings settings, IReporter reporter)
        {
            _settings = settings;
            _reporter = reporter;
            _credential = settings.CreateCredential();
            _sharedAccessName = string.Empty;
        }

        /// <summary>IoT Hub with a service policy's connection string instead of Azure AD.</summary>
        public AzureRestClient(AzureConnectionSettings settings, IReporter reporter, HttpPipelinePolicy sharedAccess, string policyName)
        {
            _settings = settings;
            _reporter = reporter;
            _sharedAccess = sharedAccess;
            _sharedAccessName = policyName;
        }

        public AzureEndpoints Endpoints => _settings.Endpoints;

        internal ObservedCredential? Credential => _credential;

        /// <summary>
        /// Sends one request; the parsed answer, or null for 204 (no content). Throws
        /// <see cref="TroubleshootException"/> for every failure; OperationCanceledException on Ctrl+C.
        /// </summary>
        public JsonDocument? Send(RequestMethod method, Uri uri, string? jsonBody, ServiceAccess access, object target, CancellationToken cancellationToken, IDictionary<string, string>? headers = null, bool retryThrottlingOnly = false)
        {
            var pipeline = PipelineFor(access);
            using var message = pipeline.CreateMessage();
            if (retryThrottlingOnly) message.SetProperty(BoundedRetryPolicy.ThrottlingOnly, true);
            message.Request.Method = method;
            message.Request.Uri.Reset(uri);
            message.Request.Headers.Add("Accept", "application/json");
            if (headers != null)
            {
                foreach (var header in headers) message.Request.Headers.Add(header.Key, header.Value);
            }

            if (jsonBody != null)
            {
                message.Request.Headers.Add("Content-Type", "application/json");
                message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(jsonBody));
            }

            string said = BoundedRetryPolicy.Describe(message);
            _reporter.Verbose($"{said} ({access.Service})");
            try
            {
                pipeline.Send(message, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException ex)
            {
                throw new TroubleshootException(ErrorIds.AzureServiceUnavailable, ProblemKind.ConnectionError, target,
                    $"{said} did not answer in time ({access.Service}). Try again later, or a shorter time range.", ex);
            }
            catch (AuthenticationFailedException ex)
            {
                throw new TroubleshootException(ErrorIds.AzureSignInFailed, ProblemKind.PermissionDenied, target,
                    $"No token for {access.Service} ({access.Scope}): {FirstLine(ex.Message)} Sign in with Connect-AzAccount or 'az login', "
                    + "run where a managed identity is assigned, give -TenantId, or pass -AccessToken (for example (Get-AzAccessToken -ResourceUrl "
                    + $"{access.Scope.Replace("/.default", string.Empty)}).Token).", ex);
            }
            catch (RequestFailedException ex) when (ex.Status == 0)
            {
                throw new TroubleshootException(ErrorIds.AzureConnectionFailed, ProblemKind.ConnectionError, target,
                    $"{said} failed before any answer: {FirstLine(Innermost(ex).Message)} Check the address, the proxy and the network.", ex);
            }

            var response = message.Response;
            int status = response.Status;
            if (status == 204) return null;
            byte[] body = ReadBody(response);
            if (status >= 200 && status < 300)
            {
                if (body.Length == 0) return null;
                try
                {
                    return JsonDocument.Parse(body);
                }
                catch (JsonException ex)
                {
                    throw new TroubleshootException(ErrorIds.AzureResponseMalformed, ProblemKind.InvalidData, target,
                        $"{said} answered {status} with text that is not valid JSON ({ConnectionRecordParser.CleanJsonMessage(ex)}). Try again; if it persists, the endpoint may not be the {access.Service} API.", ex);
                }
            }

            var error = ServiceError.From(body);
            var failure = Failure(status, error, said, access, target, retried: !retryThrottlingOnly || status == 429);
            // The status and the hub's own code (404103, 504101) let a caller say what they mean for its request.
            failure.Data[HttpStatusKey] = status;
            if (error.HubErrorCode is int hubCode) failure.Data[HubErrorCodeKey] = hubCode;
            throw failure;
        }

        /// <summary>Exception.Data key of the HTTP status of a failed answer.</summary>
        public const string HttpStatusKey = "HttpStatus";

        /// <summary>Exception.Data key of IoT Hub's six-digit error code (404103 DeviceNotOnline), when the answer had one.</summary>
        public const string HubErrorCodeKey = "IoTHubErrorCode";

        private TroubleshootException Failure(int status, ServiceError error, string said, ServiceAccess access, object target, bool retried)
        {
            string service = error.Text.Length > 0 ? $" The service says: {Sentence(error.Text)}" : string.Empty;
            switch (status)
            {
                case 400:
                    return new TroubleshootException(ErrorIds.AzureRequestRejected, ProblemKind.InvalidArgument, target, $"{access.Service} refused the request (400).{service}");
                case 401:
                case 403:
                    string who = _credential != null ? _credential.Identity : $"the shared access policy '{_sharedAccessName}'";
                    string fix = status == 401
                        ? (_credential?.ExpiredOn is DateTimeOffset expired
                            ? $"The token expired at {expired:u}: sign in again or get a new -AccessToken."
                            : $"The token was not accepted (expired, or for another audience than {access.Scope}): sign in again or get a new -AccessToken.")
                          + $" It also needs the role {access.Role}."
                        : $"Give it the role {access.Role}, or run as an identity that has it (role assignments take a few minutes to apply).";
                    return new TroubleshootException(ErrorIds.AzureAccessDenied, ProblemKind.PermissionDenied, target,
                        $"{access.Service} refused {who} ({status}).{service} {fix}");
                case 404:
                    return new TroubleshootException(ErrorIds.AzureResourceNotFound, ProblemKind.ObjectNotFound, target,
                        $"{said} was not found (404).{service} Check the resource id or workspace id, and that the identity's tenant and subscription hold it.");
                default:
                    bool transient = BoundedRetryPolicy.IsTransient(status);
                    if (transient && !retried)
                    {
                        // A direct method is sent once (only a 429 is retried): it may have run on the device.
                        return new TroubleshootException(ErrorIds.AzureServiceUnavailable, ProblemKind.ConnectionError, target,
                            $"{said} answered {status}.{service} It was not sent again, as it may have run on the device: check the device, then try again.");
                    }

                    return new TroubleshootException(transient ? ErrorIds.AzureServiceUnavailable : ErrorIds.AzureRequestFailed,
                        transient ? ProblemKind.ConnectionError : ProblemKind.InvalidOperation, target,
                        $"{said} answered {status}{(transient ? $" after {_settings.Retry.MaxRetries} retries" : string.Empty)}.{service}"
                        + (transient ? " The service is busy or unavailable: try again later, or a shorter time range." : string.Empty));
            }
        }

        private HttpPipeline PipelineFor(ServiceAccess access)
        {
            if (_pipelines.TryGetValue(access.Scope, out var pipeline)) return pipeline;
            var options = new TroubleshootClientOptions(_settings, new BoundedRetryPolicy(_settings.Retry, _reporter));
            HttpPipelinePolicy auth = _sharedAccess ?? new BearerTokenAuthenticationPolicy(_credential!, access.Scope);
            pipeline = HttpPipelineBuilder.Build(options, Array.Empty<HttpPipelinePolicy>(), new[] { auth }, new ResponseClassifier());
            _pipelines[access.Scope] = pipeline;
            return pipeline;
        }

        private static byte[] ReadBody(Response response)
        {
            if (response.ContentStream == null) return Array.Empty<byte>();
            using var copy = new MemoryStream();
            response.ContentStream.CopyTo(copy);
            return copy.ToArray();
        }

        // "The SSL connection could not be established, see inner exception": the inner one says why.
        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }

        // The service's text ends a sentence, so that the advice after it reads as one.
        private static string Sentence(string text) => text.TrimEnd().EndsWith(".", StringComparison.Ordinal) || text.EndsWith("…", StringComparison.Ordinal) ? text.TrimEnd() : text.TrimEnd() + ".";

        private static string FirstLine(string text)
        {
            int end = text.IndexOfAny(new[] { '\r', '\n' });
            string line = (end >= 0 ? text.Substring(0, end) : text).Trim();
            return line.EndsWith(".", StringComparison.Ordinal) ? line : line + ".";
        }
    }

    /// <summary>
    /// What an error answer says: {"error":{"code","message","innererror":{...}}} (Log Analytics, ARM) or
    /// {"Message","ExceptionMessage"} (IoT Hub). Bounded: a hostile answer can be long.
    /// </summary>
    internal sealed class ServiceError
    {
        private const int LongestText = 600;

        private ServiceError(string code, string text, int? hubErrorCode = null)
        {
            Code = code;
            Text = text;
            HubErrorCode = hubErrorCode;
        }

        public string Code { get; }

        /// <summary>IoT Hub's six-digit code: its Message is itself JSON, {"errorCode":404103,"message":...}.</summary>
        public int? HubErrorCode { get; }

        public string Text { get; }

        public static ServiceError From(byte[] body)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                return From(document.RootElement);
            }
            catch (JsonException)
            {
                // A proxy or gateway's error page: its title says it; the markup would bury the message.
                string raw = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 64 * 1024)).Trim();
                if (raw.StartsWith("<", StringComparison.Ordinal))
                {
                    var title = System.Text.RegularExpressions.Regex.Match(raw, @"<title[^>]*>(?<t>[^<]{1,200})</title>", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
                    return new ServiceError(string.Empty, title.Success ? $"an HTML page titled '{System.Net.WebUtility.HtmlDecode(title.Groups["t"].Value).Trim()}'" : "an HTML page, not the service's JSON");
                }

                return new ServiceError(string.Empty, Bound(raw));
            }
        }

        public static ServiceError From(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object) return new ServiceError(string.Empty, string.Empty);
            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                string code = JsonValues.String(error, "code") ?? string.Empty;
                var parts = new List<string>();
                if (JsonValues.String(error, "message") is string message) parts.Add(message);
                // Log Analytics puts the useful sentence (the KQL error and its place) in nested inner errors.
                var inner = error;
                for (int depth = 0; depth < 5 && inner.TryGetProperty("innererror", out var next) && next.ValueKind == JsonValueKind.Object; depth++)
                {
                    if (JsonValues.String(next, "message") is string innerMessage && !parts.Contains(innerMessage)) parts.Add(innerMessage);
                    inner = next;
                }

                if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
                {
                    foreach (var detail in details.EnumerateArray())
                    {
                        if (detail.ValueKind == JsonValueKind.Object && JsonValues.String(detail, "message") is string detailMessage && !parts.Contains(detailMessage)) parts.Add(detailMessage);
                    }
                }

                return new ServiceError(code, Bound((code.Length > 0 ? code + ": " : string.Empty) + string.Join(" ", parts)));
            }

            string? hubText = JsonValues.String(root, "Message");
            int? hubCode = null;
            if (hubText != null && hubText.TrimStart().StartsWith("{", StringComparison.Ordinal))
            {
                try
                {
                    using var inner = JsonDocument.Parse(hubText);
                    if (inner.RootElement.ValueKind == JsonValueKind.Object)
                    {
                        if (inner.RootElement.TryGetProperty("errorCode", out var code) && code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out int number)) hubCode = number;
                        hubText = JsonValues.String(inner.RootElement, "message") is string said ? (hubCode != null ? $"{hubCode} {said}" : said) : hubText;
                    }
                }
                catch (JsonException)
                {
                    // not JSON after all: the text as it is
                }
            }

            string hubMessage = string.Join(" ", new[] { hubText, JsonValues.String(root, "ExceptionMessage") }).Trim();
            return new ServiceError(string.Empty, Bound(hubMessage), hubCode);
        }

        // Masked: the text reaches warnings too, which no exception masks; a hostile answer may echo a key.
        private static string Bound(string text) => SecretMasker.Mask(text.Length <= LongestText ? text : text.Substring(0, LongestText) + "…");
    }
}
