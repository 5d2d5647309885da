using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace IoTEdgeTroubleshoot.LoopbackAzure
{
    /// <summary>
    /// HTTPS on 127.0.0.1 (TcpListener + SslStream, HTTP/1.1 with keep-alive): the real paths, api-versions
    /// and bodies of the Logs query API, Azure Monitor metrics, diagnostic settings, metric alerts and the
    /// IoT Hub device registry and edgeAgent's direct methods, from state the test sets. Requests without the expected bearer token get 401.
    /// Queued <see cref="Fault"/>s answer instead of the normal route, once each. /_control/* lets another
    /// process (Pester) set state and faults and read the requests.
    /// </summary>
    public sealed class LoopbackAzureServer : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly object _gate = new object();
        private readonly List<RecordedRequest> _requests = new List<RecordedRequest>();
        private readonly List<Fault> _faults = new List<Fault>();
        private long _responseBytes;
        private int _inFlight;
        private int _mostInFlight;

        public LoopbackAzureServer(string bearerToken)
        {
            BearerToken = bearerToken;
            Certificate = TestCertificate.Create();
            _listener.Start();
            _ = Task.Run(AcceptLoop);
        }

        public X509Certificate2 Certificate { get; }

        public string BearerToken { get; }

        public Uri Endpoint => new Uri($"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

        /// <summary>AzureDiagnostics rows: objects with TimeGenerated, _ResourceId, Resource, OperationName, Category, Level, ResultType, ResultDescription, properties_s.</summary>
        public List<JsonObject> ConnectionRows { get; } = new List<JsonObject>();

        /// <summary>The service's own row cap: more rows than this come back cut, with a PartialError.</summary>
        public int ServiceRowLimit { get; set; } = 500_000;

        /// <summary>Milliseconds every Logs query answer waits (queries that overlap, for the 5-queries rule).</summary>
        public int QueryDelayMilliseconds { get; set; }

        /// <summary>
        /// When more than 1: the answer to a Logs query whose body contains <see cref="QueryHoldBodyContains"/> also waits
        /// (5 s at most) until this many requests have been in flight at once, so that a client that can overlap those
        /// queries is seen to, however slowly a loaded machine starts them.
        /// </summary>
        public int QueryHoldUntilInFlight { get; set; }

        public string QueryHoldBodyContains { get; set; } = string.Empty;

        /// <summary>connectedDeviceCount points: timeStamp, minimum, average, maximum.</summary>
        public List<JsonObject> MetricPoints { get; } = new List<JsonObject>();

        /// <summary>Diagnostic settings by "{hub id}|{name}" (lower case), as ARM returns them.</summary>
        public Dictionary<string, JsonObject> DiagnosticSettings { get; } = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, JsonObject> MetricAlerts { get; } = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Device identities by device id, as the registry returns them.</summary>
        public Dictionary<string, JsonObject> Devices { get; } = new Dictionary<string, JsonObject>(StringComparer.Ordinal);

        /// <summary>Bytes of every answer sent (status line, headers and body), to compare what two ways of asking cost.</summary>
        public long ResponseBytes => Interlocked.Read(ref _responseBytes);

        /// <summary>The most requests the server was answering at one time (the 5-queries rule).</summary>
        public int MostConcurrentRequests => Volatile.Read(ref _mostInFlight);

        public void ResetResponseBytes() => Interlocked.Exchange(ref _responseBytes, 0);

        /// <summary>Edge devices by device id, for edgeAgent's direct methods (POST /twins/{id}/modules/$edgeAgent/methods).</summary>
        public Dictionary<string, EdgeDevice> EdgeDevices { get; } = new Dictionary<string, EdgeDevice>(StringComparer.Ordinal);

        public IReadOnlyList<RecordedRequest> Requests
        {
            get { lock (_gate) return _requests.Where(r => !r.Path.StartsWith("/_control", StringComparison.Ordinal)).ToList(); }
        }

        public void AddFault(Fault fault)
        {
            lock (_gate) _faults.Add(fault);
        }

        public void ClearRequests()
        {
            lock (_gate) _requests.Clear();
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            Certificate.Dispose();
        }

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (SocketException)
                {
                    continue;
                }

                _ = Task.Run(() => Serve(client));
            }
        }

        private async Task Serve(TcpClient client)
        {
            using (client)
            {
                try
                {
                    using var tls = new SslStream(client.GetStream());
                    await tls.AuthenticateAsServerAsync(Certificate, false, false).ConfigureAwait(false);
                    while (!_stop.IsCancellationRequested)
                    {
                        var request = await ReadRequest(tls).ConfigureAwait(false);
                        if (request == null) return;
                        lock (_gate) _requests.Add(request);
                        int now = Interlocked.Increment(ref _inFlight);
                        int most;
                        while (now > (most = Volatile.Read(ref _mostInFlight)) && Interlocked.CompareExchange(ref _mostInFlight, now, most) != most) { }
                        try
                        {
                            var (status, headers, body, delay) = Answer(request);
                            if (IsLogsQuery(request) && request.Body.Contains(QueryHoldBodyContains)) await HoldUntilInFlight(QueryHoldUntilInFlight).ConfigureAwait(false);
                            if (delay > 0) await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
                            await WriteResponse(tls, status, headers, body).ConfigureAwait(false);
                        }
                        finally
                        {
                            Interlocked.Decrement(ref _inFlight);
                        }
                    }
                }
                catch (Exception ex) when (ex is IOException || ex is SocketException || ex is OperationCanceledException || ex is System.Security.Authentication.AuthenticationException || ex is ObjectDisposedException)
                {
                    // the client went away (a cancelled request) or the server stops
                }
            }
        }

        private static async Task<RecordedRequest?> ReadRequest(Stream stream)
        {
            var head = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                int read = await stream.ReadAsync(one.AsMemory(0, 1)).ConfigureAwait(false);
                if (read == 0) return null;
                head.Add(one[0]);
                int n = head.Count;
                if (n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r' && head[n - 1] == '\n') break;
                if (n > 65536) throw new IOException("request head too long");
            }

            var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n");
            var first = lines[0].Split(' ');
            var request = new RecordedRequest { Method = first[0], Target = first.Length > 1 ? first[1] : "/" };
            foreach (var line in lines.Skip(1))
            {
                int colon = line.IndexOf(':');
                if (colon > 0) request.Headers[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
            }

            if (request.Headers.TryGetValue("Content-Length", out var lengthText) && int.TryParse(lengthText, out int length) && length > 0)
            {
                var body = new byte[length];
                int offset = 0;
                while (offset < length)
                {
                    int read = await stream.ReadAsync(body.AsMemory(offset, length - offset)).ConfigureAwait(false);
                    if (read == 0) return null;
                    offset += read;
                }

                request.Body = Encoding.UTF8.GetString(body);
            }

            return request;
        }

        private async Task WriteResponse(Stream stream, int status, Dictionary<string, string> headers, string body)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var text = new StringBuilder($"HTTP/1.1 {status} {ReasonOf(status)}\r\n");
            if (status != 204)
            {
                text.Append("Content-Type: application/json; charset=utf-8\r\n");
                text.Append("Content-Length: ").Append(bytes.Length).Append("\r\n");
            }

            foreach (var header in headers) text.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
            text.Append("\r\n");
            var head = Encoding.ASCII.GetBytes(text.ToString());
            await stream.WriteAsync(head).ConfigureAwait(false);
            if (status != 204) await stream.WriteAsync(bytes).ConfigureAwait(false);
            Interlocked.Add(ref _responseBytes, head.Length + (status != 204 ? bytes.Length : 0));
            await stream.FlushAsync().ConfigureAwait(false);
        }

        private static string ReasonOf(int status) => status switch
        {
            200 => "OK", 201 => "Created", 204 => "No Content", 400 => "Bad Request", 401 => "Unauthorized", 403 => "Forbidden",
            404 => "Not Found", 429 => "Too Many Requests", 500 => "Internal Server Error", 503 => "Service Unavailable", _ => "Status",
        };

        private (int Status, Dictionary<string, string> Headers, string Body, int Delay) Answer(RecordedRequest request)
        {
            var none = new Dictionary<string, string>();
            if (request.Path.StartsWith("/_control/", StringComparison.Ordinal)) return (200, none, Control(request), 0);
            lock (_gate)
            {
                var fault = _faults.FirstOrDefault(f => request.Path.Contains(f.PathContains, StringComparison.OrdinalIgnoreCase)
                    && request.Body.Contains(f.BodyContains, StringComparison.Ordinal));
                if (fault != null)
                {
                    _faults.Remove(fault);
                    if (fault.PartialErrorMessage != null)
                    {
                        var (status, headers, body, _) = Route(request);
                        var answer = JsonNode.Parse(body)!.AsObject();
                        answer["error"] = new JsonObject { ["code"] = "PartialError", ["message"] = "There were some errors when processing your query.", ["details"] = new JsonArray(new JsonObject { ["code"] = "EngineError", ["message"] = fault.PartialErrorMessage }) };
                        return (status, headers, answer.ToJsonString(), fault.DelayMilliseconds);
                    }

                    return (fault.Status, fault.Headers, fault.Body, fault.DelayMilliseconds);
                }
            }

            string? authorization = request.Header("Authorization");
            bool isHub = request.Path.StartsWith("/devices/", StringComparison.OrdinalIgnoreCase) || request.Path.StartsWith("/twins/", StringComparison.OrdinalIgnoreCase);
            bool authorized = authorization == "Bearer " + BearerToken
                || (isHub && authorization != null && authorization.StartsWith("SharedAccessSignature ", StringComparison.Ordinal));
            if (!authorized)
            {
                return (401, none, Error("AuthorizationRequiredError", "Valid authentication was not provided"), 0);
            }

            try
            {
                lock (_gate) return Route(request);
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException || ex is FormatException)
            {
                return (400, none, Error("BadRequest", "The test server could not read the request: " + ex.Message), 0);
            }
        }

        private static bool IsLogsQuery(RecordedRequest request) =>
            request.Method == "POST" && Regex.IsMatch(request.Path, "^/v1/workspaces/([0-9a-fA-F-]{36})/query$");

        private async Task HoldUntilInFlight(int requests)
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (requests > 1 && Volatile.Read(ref _mostInFlight) < requests && waited.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(10, _stop.Token).ConfigureAwait(false);
        }

        private (int, Dictionary<string, string>, string, int) Route(RecordedRequest request)
        {
            var none = new Dictionary<string, string>();
            string path = request.Path;
            if (IsLogsQuery(request)) return (200, none, LogsQuery(request), QueryDelayMilliseconds);

            if (Regex.IsMatch(path, "/providers/Microsoft.Devices/IotHubs/[^/]+/providers/Microsoft.Insights/metrics$", RegexOptions.IgnoreCase) && request.Method == "GET")
            {
                if (request.QueryValue("api-version") != "2023-10-01") return (400, none, Error("InvalidApiVersion", "api-version 2023-10-01 expected"), 0);
                return (200, none, Metrics(request), 0);
            }

            var setting = Regex.Match(path, "^(?<hub>/subscriptions/.+/providers/Microsoft.Devices/IotHubs/[^/]+)/providers/Microsoft.Insights/diagnosticSettings(/(?<name>[^/]+))?$", RegexOptions.IgnoreCase);
            if (setting.Success)
            {
                if (request.QueryValue("api-version") != "2021-05-01-preview") return (400, none, Error("InvalidApiVersion", "api-version 2021-05-01-preview expected"), 0);
                return DiagnosticSetting(request, setting.Groups["hub"].Value, Uri.UnescapeDataString(setting.Groups["name"].Value));
            }

            var alert = Regex.Match(path, "^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.Insights/metricAlerts/(?<name>[^/]+)$", RegexOptions.IgnoreCase);
            if (alert.Success && request.Method == "PUT")
            {
                if (request.QueryValue("api-version") != "2018-03-01") return (400, none, Error("InvalidApiVersion", "api-version 2018-03-01 expected"), 0);
                var body = JsonNode.Parse(request.Body)!.AsObject();
                body["id"] = path;
                body["name"] = Uri.UnescapeDataString(alert.Groups["name"].Value);
                body["type"] = "Microsoft.Insights/metricAlerts";
                MetricAlerts[path] = body;
                return (201, none, body.ToJsonString(), 0);
            }

            var device = Regex.Match(path, "^/devices/(?<id>[^/]+)$");
            if (device.Success && request.Method == "GET")
            {
                string id = Uri.UnescapeDataString(device.Groups["id"].Value);
                if (Devices.TryGetValue(id, out var identity)) return (200, none, identity.ToJsonString(), 0);
                var headers = new Dictionary<string, string> { ["iothub-errorcode"] = "DeviceNotFound" };
                return (404, headers, "{\"Message\":\"ErrorCode:DeviceNotFound;Device " + JsonEncodedText.Encode(id) + " not registered\",\"ExceptionMessage\":\"Tracking ID:0-TimeStamp:now\"}", 0);
            }

            var method = Regex.Match(path, "^/twins/(?<id>[^/]+)/modules/(?<module>[^/]+)/methods$");
            if (method.Success && request.Method == "POST")
            {
                if (request.QueryValue("api-version") != "2021-04-12") return (400, none, Error("InvalidApiVersion", "api-version 2021-04-12 expected"), 0);
                return EdgeDeviceMethod.Answer(EdgeDevices, Uri.UnescapeDataString(method.Groups["id"].Value), Uri.UnescapeDataString(method.Groups["module"].Value), request.Body);
            }

            return (404, none, Error("NotFound", $"No route for {request.Method} {path} on the test server."), 0);
        }

        private string LogsQuery(RecordedRequest request)
        {
            var body = JsonNode.Parse(request.Body)!.AsObject();
            string kql = (string)body["query"]!;
            if (DeviceSummaryEmulation.Recognises(kql)) return DeviceSummaryEmulation.Answer(kql, ConnectionRows, ServiceRowLimit);
            var span = ((string)body["timespan"]!).Split('/');
            var start = DateTimeOffset.Parse(span[0], CultureInfo.InvariantCulture);
            var end = DateTimeOffset.Parse(span[1], CultureInfo.InvariantCulture);
            var take = Regex.Match(kql, @"\|\s*take\s+(\d+)\s*$");
            int limit = take.Success ? int.Parse(take.Groups[1].Value, CultureInfo.InvariantCulture) : int.MaxValue;
            // The hub filters, as Log Analytics applies them: =~ compares case-insensitively (it stores ids upper-case).
            // The literal is read back with JSON's rules, which KQL's escapes follow.
            var hubFilters = Regex.Matches(kql, @"^\| where (?<column>_ResourceId|Resource) =~ (?<literal>""(?:[^""\\]|\\.)*"")$", RegexOptions.Multiline)
                .Select(m => (Column: m.Groups["column"].Value, Value: JsonNode.Parse(m.Groups["literal"].Value)!.GetValue<string>()))
                .ToList();
            var rows = ConnectionRows
                .Where(r => hubFilters.All(f => string.Equals((string?)r[f.Column], f.Value, StringComparison.OrdinalIgnoreCase)))
                .Where(r => { var t = DateTimeOffset.Parse((string)r["TimeGenerated"]!, CultureInfo.InvariantCulture); return t >= start && t < end; })
                .OrderBy(r => DateTimeOffset.Parse((string)r["TimeGenerated"]!, CultureInfo.InvariantCulture))
                .Take(limit)
                .ToList();
            if (rows.Count == 0) return "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[],\"rows\":[]}]}";
            bool cut = rows.Count > ServiceRowLimit;
            if (cut) rows = rows.Take(ServiceRowLimit).ToList();
            string[] names = { "TimeGenerated", "_ResourceId", "Resource", "OperationName", "Category", "Level", "ResultType", "ResultDescription", "properties_s" };
            var answer = new JsonObject
            {
                ["tables"] = new JsonArray(new JsonObject
                {
                    ["name"] = "PrimaryResult",
                    ["columns"] = new JsonArray(names.Select(n => (JsonNode)new JsonObject { ["name"] = n, ["type"] = n == "TimeGenerated" ? "datetime" : "string" }).ToArray()),
                    ["rows"] = new JsonArray(rows.Select(r => (JsonNode)new JsonArray(names.Select(n => r[n]?.DeepClone()).ToArray())).ToArray()),
                }),
            };
            if (cut)
            {
                answer["error"] = JsonNode.Parse("{\"code\":\"PartialError\",\"message\":\"There were some errors when processing your query.\",\"details\":[{\"code\":\"EngineError\",\"message\":\"Query result set has exceeded the internal record count limit 500000.\"}]}");
            }

            return answer.ToJsonString();
        }

        private string Metrics(RecordedRequest request)
        {
            var span = (request.QueryValue("timespan") ?? string.Empty).Split('/');
            var start = DateTimeOffset.Parse(span[0], CultureInfo.InvariantCulture);
            var end = DateTimeOffset.Parse(span[1], CultureInfo.InvariantCulture);
            var data = MetricPoints.Where(p => { var t = DateTimeOffset.Parse((string)p["timeStamp"]!, CultureInfo.InvariantCulture); return t >= start && t < end; });
            var answer = new JsonObject
            {
                ["cost"] = 0,
                ["timespan"] = request.QueryValue("timespan"),
                ["interval"] = request.QueryValue("interval"),
                ["value"] = new JsonArray(new JsonObject
                {
                    ["id"] = request.Path,
                    ["type"] = "Microsoft.Insights/metrics",
                    ["name"] = new JsonObject { ["value"] = "connectedDeviceCount", ["localizedValue"] = "Connected devices" },
                    ["unit"] = "Count",
                    ["timeseries"] = new JsonArray(new JsonObject { ["metadatavalues"] = new JsonArray(), ["data"] = new JsonArray(data.Select(p => (JsonNode)p.DeepClone()).ToArray()) }),
                }),
            };
            return answer.ToJsonString();
        }

        private (int, Dictionary<string, string>, string, int) DiagnosticSetting(RecordedRequest request, string hub, string name)
        {
            var none = new Dictionary<string, string>();
            if (name.Length == 0 && request.Method == "GET")
            {
                var list = DiagnosticSettings.Where(s => s.Key.StartsWith(hub + "|", StringComparison.OrdinalIgnoreCase)).Select(s => (JsonNode)s.Value.DeepClone()).ToArray();
                return (200, none, new JsonObject { ["value"] = new JsonArray(list) }.ToJsonString(), 0);
            }

            string key = hub + "|" + name;
            if (request.Method == "GET")
            {
                return DiagnosticSettings.TryGetValue(key, out var found)
                    ? (200, none, found.ToJsonString(), 0)
                    : (404, none, Error("ResourceNotFound", $"The diagnostic setting '{name}' doesn't exist."), 0);
            }

            if (request.Method == "PUT")
            {
                var body = JsonNode.Parse(request.Body)!.AsObject();
                body["id"] = hub + "/providers/microsoft.insights/diagnosticSettings/" + name;
                body["name"] = name;
                body["type"] = "Microsoft.Insights/diagnosticSettings";
                DiagnosticSettings[key] = body;
                return (200, none, body.ToJsonString(), 0);
            }

            return (405, none, Error("MethodNotAllowed", request.Method), 0);
        }

        private string Control(RecordedRequest request)
        {
            lock (_gate)
            {
                switch (request.Path)
                {
                    case "/_control/requests":
                        return JsonSerializer.Serialize(_requests.Where(r => !r.Path.StartsWith("/_control", StringComparison.Ordinal)).ToList());
                    case "/_control/clear":
                        _requests.Clear();
                        _faults.Clear();
                        return "{}";
                    case "/_control/fault":
                        _faults.Add(JsonSerializer.Deserialize<Fault>(request.Body)!);
                        return "{}";
                    case "/_control/state":
                        var state = JsonNode.Parse(request.Body)!.AsObject();
                        if (state["connectionRows"] is JsonArray rows) ConnectionRows.AddRange(rows.Select(r => r!.DeepClone().AsObject()));
                        if (state["metricPoints"] is JsonArray points) MetricPoints.AddRange(points.Select(p => p!.DeepClone().AsObject()));
                        if (state["edgeDevices"] is JsonArray edgeDevices)
                        {
                            foreach (var d in edgeDevices)
                            {
                                var device = JsonSerializer.Deserialize<EdgeDevice>(d!.ToJsonString(), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
                                EdgeDevices[device.DeviceId] = device;
                            }
                        }

                        if (state["devices"] is JsonArray devices)
                        {
                            foreach (var d in devices) Devices[(string)d!["deviceId"]!] = d.DeepClone().AsObject();
                        }

                        return "{}";
                    case "/_control/settings":
                        return new JsonObject { ["value"] = new JsonArray(DiagnosticSettings.Values.Select(v => (JsonNode)v.DeepClone()).ToArray()) }.ToJsonString();
                    case "/_control/alerts":
                        return new JsonObject { ["value"] = new JsonArray(MetricAlerts.Values.Select(v => (JsonNode)v.DeepClone()).ToArray()) }.ToJsonString();
                    default:
                        return "{}";
                }
            }
        }

        private static string Error(string code, string message) =>
            new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString();
    }
}
