using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using IoTEdgeTroubleshoot.Hub.Diagnosis.Workspace;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The 404104 guide's three symptoms (periodic, random, hub-wide) and the patterns of the error
    /// table (duplicate identity, never reconnected, failing authentication, unknown device), found
    /// in a hub's connection logs: from piped events, from files read on the fast path, or from per-device
    /// summaries that a Log Analytics workspace computes (-WorkspaceId).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "IoTHubDisconnectDiagnosis", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(IoTHubDisconnectDiagnosis))]
    [OutputType(typeof(string), ParameterSetName = new[] { WorkspaceSet })]
    public sealed class GetIoTHubDisconnectDiagnosisCommand : ConnectionWorkspaceCommandBase, IDisposable
    {
        private const string InputObjectSet = "InputObject";

        private readonly DisconnectAnalyzer _analyzer = new DisconnectAnalyzer();
        private ConnectionEventFilter? _filter;
        private WorkspaceDiagnosis? _workspace;

        /// <summary>Events from Get-IoTHubConnectionEvent (connects and disconnects: reconnect times need both).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        public IoTHubConnectionEvent[] InputObject { get; set; } = Array.Empty<IoTHubConnectionEvent>();

        /// <summary>Connected-device metric points: any objects with Timestamp and Minimum (connectedDeviceCount, Minimum aggregation).</summary>
        [Parameter]
        public PSObject[] Metric { get; set; } = Array.Empty<PSObject>();

        [Parameter]
        public DisconnectPattern[] Pattern { get; set; } = Array.Empty<DisconnectPattern>();

        /// <summary>Leave out diagnoses below this confidence (an enum: tab completion offers Low, Medium, High).</summary>
        [Parameter]
        public DiagnosisConfidence MinimumConfidence { get; set; } = DiagnosisConfidence.Low;

        protected override void ProcessRecord()
        {
            _filter ??= BuildFilter();
            if (ParameterSetName == WorkspaceSet)
            {
                DiagnoseWorkspace();
                return;
            }

            if (ParameterSetName == InputObjectSet)
            {
                foreach (var e in InputObject)
                {
                    if (e != null && _filter.Accepts(e)) _analyzer.Add(e);
                }

                return;
            }

            DisconnectAnalyzer.WarmUp(); // the read's hot methods compile on another core while the paths resolve
            Invoke(() => _analyzer.ReadFiles(ResolveInputFiles(), _filter, Reporter, CancellationToken));
        }

        // The heavy part runs in Log Analytics, on worker threads; what they report is written here, on the pipeline thread.
        private void DiagnoseWorkspace()
        {
            var diagnosis = new WorkspaceDiagnosis { Query = new DeviceSummaryQuery { Source = WorkspaceQuery() } };
            if (ShowQuery)
            {
                foreach (var kql in diagnosis.Queries()) WriteObject(kql);
                return;
            }

            var queue = new QueuedReporter();
            Invoke(() =>
            {
                var work = diagnosis.RunAsync(_analyzer, WorkspaceSettings(), queue, CancellationToken);
                queue.Pump(work, Reporter);
                Await(work);
            });
            _workspace = diagnosis;
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == WorkspaceSet && ShowQuery)
            {
                base.EndProcessing();
                return;
            }

            foreach (var point in Metric.Select(ToMetricPoint))
            {
                if (point != null) _analyzer.AddMetric(point);
            }

            WriteVerbose($"Analysing {_analyzer.EventCount} events of {_analyzer.DeviceCount} devices and modules.");
            IReadOnlyList<IoTHubDisconnectDiagnosis> results = Array.Empty<IoTHubDisconnectDiagnosis>();
            Invoke(() => results = _analyzer.Analyze(Reporter, endLargeRead: false));
            _workspace?.Annotate(results);
            WriteDiagnoses(results);
            _analyzer.Dispose(); // a large read's region without collections ends once its diagnoses are out

            base.EndProcessing();
        }

        // A loop over every diagnosis (24,000 on a large hub's day) in a method of its own, optimised at its first call
        // (MethodImplOptions.AggressiveOptimization, which netstandard2.0 does not name): inside EndProcessing it ran at
        // the first JIT tier until the runtime compiled the whole of EndProcessing again in the middle of it (6 ms).
        [MethodImpl((MethodImplOptions)512)]
        private void WriteDiagnoses(IReadOnlyList<IoTHubDisconnectDiagnosis> results)
        {
            foreach (var diagnosis in results)
            {
                if (Pattern.Length > 0 && Array.IndexOf(Pattern, diagnosis.Pattern) < 0) continue;
                if (diagnosis.Confidence < MinimumConfidence) continue;
                WriteObject(diagnosis);
            }
        }

        /// <summary>
        /// PowerShell disposes the command when its pipeline ends, finished or stopped: a large read whose analysis never
        /// came (Ctrl+C, an error) ends its region without collections here (<see cref="DisconnectAnalyzer.Dispose"/>).
        /// </summary>
        public void Dispose() => _analyzer.Dispose();

        // Any object with Timestamp and Minimum: Get-IoTHubConnectedDeviceMetric's points, Import-Csv rows, hashtables.
        private ConnectedDeviceMetricPoint? ToMetricPoint(PSObject? point)
        {
            if (point == null) return null;
            object? time = Property(point, "Timestamp") ?? Property(point, "TimeStamp") ?? Property(point, "TimeGenerated");
            object? minimum = Property(point, "Minimum");
            if (time == null || minimum == null) return Skip(point, "it has no Timestamp or no Minimum");
            try
            {
                var timestamp = time switch
                {
                    DateTimeOffset offset => offset,
                    DateTime dateTime => new DateTimeOffset(dateTime.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dateTime, DateTimeKind.Utc) : dateTime),
                    _ => DateTimeOffset.Parse(time.ToString()!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal),
                };
                double value = Convert.ToDouble(minimum, System.Globalization.CultureInfo.InvariantCulture);
                return new ConnectedDeviceMetricPoint(timestamp.ToUniversalTime(), value);
            }
            catch (Exception ex) when (ex is FormatException || ex is InvalidCastException || ex is OverflowException)
            {
                return Skip(point, ex.Message);
            }
        }

        private ConnectedDeviceMetricPoint? Skip(PSObject point, string why)
        {
            WriteError(ErrorRecordFor(new Problem(ErrorIds.InvalidMetricPoint, ProblemKind.InvalidArgument, point,
                $"A -Metric point was skipped: {why}. Give objects with a Timestamp and a Minimum: points of the hub's connectedDeviceCount metric (Minimum aggregation), from Azure Monitor or a CSV of them.")));
            return null;
        }

        private static object? Property(PSObject point, string name)
        {
            if (point.BaseObject is System.Collections.IDictionary dictionary && dictionary.Contains(name)) return Unwrap(dictionary[name]);
            return Unwrap(point.Properties[name]?.Value);
        }

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
    }
}
