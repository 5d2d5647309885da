using System;
using System.Globalization;
using System.Security;
using System.Text.Json;
using System.Threading;
using IoTEdgeTroubleshoot.Hub.Cloud;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Remote
{
    /// <summary>One device's support bundle upload: where it went (the container, never its SAS) and how it ended.</summary>
    public sealed class IoTEdgeSupportBundleUpload
    {
        public string HubName { get; set; } = string.Empty;

        public string DeviceId { get; set; } = string.Empty;

        /// <summary>GetTaskStatus's id for the upload.</summary>
        public string CorrelationId { get; set; } = string.Empty;

        /// <summary>NotStarted, Running, Completed, Failed, Cancelled or Unknown, as edgeAgent says it.</summary>
        public string Status { get; set; } = string.Empty;

        public string? Message { get; set; }

        /// <summary>The blob container URL without its query: the SAS is a secret.</summary>
        public string Destination { get; set; } = string.Empty;

        public override string ToString() => $"{DeviceId} {Status} {CorrelationId}";
    }

    /// <summary>What Export-IoTEdgeSupportBundle -HubName asks edgeAgent for.</summary>
    public sealed class SupportBundleUploadRequest
    {
        /// <summary>A blob container's SAS URL the device may write to (sp=w or racwl).</summary>
        public SecureString? SasUrl { get; set; }

        public DateTimeOffset? Since { get; set; }

        public DateTimeOffset? Until { get; set; }

        public bool EdgeRuntimeOnly { get; set; }

        /// <summary>Return once the upload started (status NotStarted or Running), without polling.</summary>
        public bool NoWait { get; set; }

        /// <summary>The first GetTaskStatus comes after this; each wait doubles, up to <see cref="PollInterval"/>.</summary>
        public TimeSpan FirstPoll { get; set; } = TimeSpan.FromSeconds(1);

        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

        public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMinutes(10);
    }

    /// <summary>
    /// UploadSupportBundle {schemaVersion, sasUrl, since, until, edgeRuntimeOnly}, answered {status, message,
    /// correlationId}; then GetTaskStatus {schemaVersion, correlationId} every PollInterval until the task ends or
    /// PollTimeout passes (Ctrl+C ends the wait). The SAS URL goes into the request body only.
    /// </summary>
    internal static class RemoteSupportBundle
    {
        internal const string UploadMethod = "UploadSupportBundle";
        internal const string StatusMethod = "GetTaskStatus";

        /// <summary>The URL as the user gave it, checked: https with a SAS query. Refused without echoing the query.</summary>
        public static Uri CheckSasUrl(SecureString? sasUrl)
        {
            string text = sasUrl == null ? string.Empty : StaticTokenCredential.PlainText(sasUrl).Trim();
            // A blob SAS URL has no user info: one given would be a password, sent to the device and shown in Destination.
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.UserInfo.Length > 0
                || !HasSignature(uri.Query))
            {
                throw new TroubleshootException(ErrorIds.InvalidSasUrl, ProblemKind.InvalidArgument, "-SasUrl",
                    "-SasUrl must be the https URL of a blob container with a shared access signature that allows writing "
                    + "(https://<account>.blob.core.windows.net/<container>?sv=<version>&sp=w...&sig=<signature>); the URL given is not one. Nothing was sent.");
            }

            return uri;
        }

        // A sig parameter of its own with a value: not xsig=, not an empty sig=, not one in the fragment.
        private static bool HasSignature(string query)
        {
            foreach (var pair in query.TrimStart('?').Split('&'))
            {
                if (pair.StartsWith("sig=", StringComparison.OrdinalIgnoreCase) && pair.Length > "sig=".Length) return true;
            }

            return false;
        }

        /// <summary>The URL without its query, safe to show.</summary>
        public static string Destination(Uri sasUrl) => sasUrl.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

        public static IoTEdgeSupportBundleUpload Export(EdgeAgentMethods methods, string deviceId, SupportBundleUploadRequest request, Uri sasUrl, IReporter reporter, CancellationToken cancellationToken)
        {
            var started = methods.Invoke(deviceId, UploadMethod, writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("schemaVersion", "1.0");
                writer.WriteString("sasUrl", sasUrl.OriginalString); // as given: its signature's escapes must reach the device unchanged
                if (request.Since is DateTimeOffset since) writer.WriteString("since", RemoteModuleLogs.Rfc3339(since));
                if (request.Until is DateTimeOffset until) writer.WriteString("until", RemoteModuleLogs.Rfc3339(until));
                writer.WriteBoolean("edgeRuntimeOnly", request.EdgeRuntimeOnly);
                writer.WriteEndObject();
            }, cancellationToken);
            var upload = Read(started.Payload, methods.HubName, deviceId, sasUrl);
            if (upload.CorrelationId.Length == 0)
            {
                throw new TroubleshootException(ErrorIds.AzureResponseMalformed, ProblemKind.InvalidData, deviceId,
                    $"edgeAgent on '{deviceId}' answered {UploadMethod} without a correlationId to follow.");
            }

            reporter.Verbose($"edgeAgent on {deviceId} took the support bundle upload to {upload.Destination}: task {upload.CorrelationId}, {upload.Status}.");
            if (request.NoWait) return upload;

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var wait = request.FirstPoll < request.PollInterval ? request.FirstPoll : request.PollInterval;
            while (!IsFinal(upload.Status))
            {
                if (clock.Elapsed >= request.PollTimeout)
                {
                    throw new TroubleshootException(ErrorIds.SupportBundleUploadTimedOut, ProblemKind.OperationTimeout, deviceId,
                        $"The support bundle upload of '{deviceId}' was still {upload.Status} after {request.PollTimeout.TotalMinutes:0.#} min; it may still finish. "
                        + $"Its task is {upload.CorrelationId} (edgeAgent's GetTaskStatus).");
                }

                if (cancellationToken.WaitHandle.WaitOne(wait)) cancellationToken.ThrowIfCancellationRequested();
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, request.PollInterval.Ticks));
                string correlationId = upload.CorrelationId;
                var answer = methods.Invoke(deviceId, StatusMethod, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("schemaVersion", "1.0");
                    writer.WriteString("correlationId", correlationId);
                    writer.WriteEndObject();
                }, cancellationToken);
                upload = Read(answer.Payload, methods.HubName, deviceId, sasUrl, correlationId);
                reporter.Verbose($"Support bundle of {deviceId}: {upload.Status} after {clock.Elapsed.TotalSeconds:0} s.");
            }

            if (upload.Status == "Failed" || upload.Status == "Cancelled")
            {
                throw new TroubleshootException(ErrorIds.SupportBundleUploadFailed, ProblemKind.InvalidOperation, deviceId,
                    $"The support bundle upload of '{deviceId}' ended {upload.Status}{(string.IsNullOrWhiteSpace(upload.Message) ? "." : ": " + upload.Message)} "
                    + "Check that the SAS URL has not expired and allows writing to the container, and that the device reaches the storage account.");
            }

            return upload;
        }

        private static bool IsFinal(string status) => status == "Completed" || status == "Failed" || status == "Cancelled";

        private static IoTEdgeSupportBundleUpload Read(JsonElement payload, string hubName, string deviceId, Uri sasUrl, string? knownCorrelationId = null)
        {
            if (payload.ValueKind != JsonValueKind.Object)
            {
                throw new TroubleshootException(ErrorIds.AzureResponseMalformed, ProblemKind.InvalidData, deviceId,
                    $"edgeAgent on '{deviceId}' answered without the task's status.");
            }

            string? message = JsonValues.String(payload, "message");
            return new IoTEdgeSupportBundleUpload
            {
                HubName = hubName,
                DeviceId = deviceId,
                CorrelationId = JsonValues.String(payload, "correlationId") ?? knownCorrelationId ?? string.Empty,
                Status = StatusOf(payload),
                Message = string.IsNullOrWhiteSpace(message) ? null : SecretMasker.Mask(message!.Length > 1000 ? message.Substring(0, 1000) + "…" : message),
                Destination = Destination(sasUrl),
            };
        }

        // edgeAgent's status is a name ("Running"); some versions send the enum's number.
        private static string StatusOf(JsonElement payload)
        {
            if (!payload.TryGetProperty("status", out var status)) return "Unknown";
            if (status.ValueKind == JsonValueKind.String) return status.GetString() ?? "Unknown";
            if (status.ValueKind == JsonValueKind.Number && status.TryGetInt32(out int number))
            {
                string[] names = { "NotStarted", "Running", "Completed", "Failed", "Cancelled" };
                return number >= 0 && number < names.Length ? names[number] : number.ToString(CultureInfo.InvariantCulture);
            }

            return "Unknown";
        }
    }
}
