using System;
using System.Collections.Generic;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Remote
{
    /// <summary>
    /// The remote edge commands' entry: one edgeAgent direct method use per call, on many devices at once
    /// (<see cref="ThrottleLimit"/> at a time). Outcomes come back on the calling thread, one per device, as
    /// devices finish; <paramref name="reporter"/> gets the progress.
    /// </summary>
    public sealed class RemoteEdgeFleet
    {
        private readonly EdgeAgentConnection _connection;
        private readonly IReporter _reporter;

        public RemoteEdgeFleet(EdgeAgentConnection connection, IReporter reporter)
        {
            _connection = connection;
            _reporter = reporter;
        }

        public int ThrottleLimit { get; set; } = 8;

        /// <summary>GetModuleLogs on each device: its entries (DeviceId set), parsed as the local command parses them.</summary>
        public IEnumerable<DeviceOutcome<IoTEdgeLogEntry>> GetModuleLogs(IReadOnlyList<string> deviceIds, ModuleLogQuery query, CancellationToken cancellationToken) =>
            Run(deviceIds, "Getting module logs through IoT Hub",
                (methods, device, reporter, token) => RemoteModuleLogs.Read(methods, device, query, reporter, token), cancellationToken);

        /// <summary>RestartModule of each name on each device: the names restarted.</summary>
        public IEnumerable<DeviceOutcome<string>> RestartModules(IReadOnlyList<string> deviceIds, IReadOnlyList<string> names, CancellationToken cancellationToken) =>
            Run(deviceIds, "Restarting modules through IoT Hub",
                (methods, device, reporter, token) => RemoteModuleRestart.Restart(methods, device, names, reporter, token), cancellationToken);

        /// <summary>UploadSupportBundle on each device, then GetTaskStatus until it ends (unless NoWait). The SAS URL is checked first.</summary>
        public IEnumerable<DeviceOutcome<IoTEdgeSupportBundleUpload>> ExportSupportBundle(IReadOnlyList<string> deviceIds, SupportBundleUploadRequest request, CancellationToken cancellationToken)
        {
            var sasUrl = RemoteSupportBundle.CheckSasUrl(request.SasUrl);
            return Run(deviceIds, "Uploading support bundles through IoT Hub",
                (methods, device, reporter, token) => new[] { RemoteSupportBundle.Export(methods, device, request, sasUrl, reporter, token) }, cancellationToken);
        }

        private IEnumerable<DeviceOutcome<T>> Run<T>(IReadOnlyList<string> deviceIds, string activity, Func<EdgeAgentMethods, string, IReporter, CancellationToken, IReadOnlyList<T>> work, CancellationToken cancellationToken) =>
            DeviceFanOut.Run(deviceIds, ThrottleLimit, reporter => new EdgeAgentMethods(_connection, reporter), work, _reporter, activity, cancellationToken);
    }
}
