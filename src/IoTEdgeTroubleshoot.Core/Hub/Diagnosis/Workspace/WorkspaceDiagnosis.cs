using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IoTEdgeTroubleshoot.Hub.Cloud;
using IoTEdgeTroubleshoot.Platform;
using static IoTEdgeTroubleshoot.Platform.TextValues;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis.Workspace
{
    /// <summary>
    /// Get-IoTHubDisconnectDiagnosis -WorkspaceId: counts the range's rows and devices, splits the devices into
    /// as many hash partitions as keep each answer well inside the Logs query API's limits, runs the partitions'
    /// summary queries at most <see cref="MaxConcurrentQueries"/> at a time, and feeds each device's summary to a
    /// <see cref="DisconnectAnalyzer"/>. Runs on worker threads: give it a thread-safe reporter (<see cref="QueuedReporter"/>).
    /// </summary>
    public sealed class WorkspaceDiagnosis
    {
        /// <summary>The service runs at most 5 queries of a user at once; more would only queue (and 429 after 3 minutes).</summary>
        internal const int MaxConcurrentQueries = 5;

        private const int ProgressId = 14;
        private readonly object _gate = new object();
        private readonly Dictionary<string, string> _partitionOfDevice = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly List<string> _partial = new List<string>();

        /// <summary>
        /// The budget of one answer: at most this many devices (rows; the API's limit is 500,000) ...
        /// </summary>
        internal int DevicesPerAnswer { get; set; } = 100_000;

        /// <summary>... and about this many bytes (the API's limit is about 100 MB): a third, as dcount is an estimate.</summary>
        internal long BytesPerAnswer { get; set; } = 32L * 1024 * 1024;

        /// <summary>An entry's bytes in the answer ("[86399999999,26214464],"), and a device row's without its entries.</summary>
        internal const int BytesPerEntry = 24;
        internal const int BytesPerDevice = 200;

        /// <summary>Partitions are split (doubled) when an answer is still cut; never beyond this.</summary>
        internal int MostPartitions { get; set; } = 4096;

        public DeviceSummaryQuery Query { get; set; } = new DeviceSummaryQuery();

        /// <summary>What the count query found (rows of the range, distinct devices and modules).</summary>
        public long Rows { get; private set; }

        public long Devices { get; private set; }

        /// <summary>The partitions the devices were first split into.</summary>
        public int Partitions { get; private set; }

        /// <summary>The partitions whose answer came back cut or partial ("partition 3 of 8").</summary>
        public IReadOnlyList<string> PartialPartitions
        {
            get { lock (_gate) return _partial.ToList(); }
        }

        /// <summary>Every query a run sends, for -ShowQuery: the count, then one partition's summary (its predicate differs per partition).</summary>
        public IReadOnlyList<string> Queries(int partitions = 1) => new[] { Query.CountKql(), Query.SummaryKql(partitions, 0) };

        /// <summary>How many partitions keep every answer inside the budget, for this many rows and devices.</summary>
        internal int PartitionsFor(long rows, long devices)
        {
            long entries = Math.Min(rows, devices * (long)DeviceTimeline.MaxEntries);
            long bytes = entries * BytesPerEntry + devices * BytesPerDevice;
            long byRows = (devices + DevicesPerAnswer - 1) / DevicesPerAnswer;
            long byBytes = (bytes + BytesPerAnswer - 1) / BytesPerAnswer;
            return (int)Math.Max(1, Math.Min(MostPartitions, Math.Max(byRows, byBytes)));
        }

        public async Task RunAsync(DisconnectAnalyzer analyzer, AzureConnectionSettings settings, IReporter reporter, CancellationToken cancellationToken)
        {
            // One client for all partitions: the count query builds its pipeline first, the partitions then share it.
            var client = new LogAnalyticsClient(new AzureRestClient(settings, reporter));
            var source = Query.Source;
            reporter.Progress(new ProgressReport(ProgressId, "Diagnosing disconnects in Log Analytics", "Counting rows and devices", 0));
            var counted = await Task.Run(() => client.Query(source.WorkspaceId, Query.CountKql(), source.StartTime, source.EndTime, cancellationToken, "Rows", "Devices"), cancellationToken).ConfigureAwait(false);
            Rows = counted.Rows.Count > 0 ? Number(counted, counted.Rows[0], "Rows") : 0;
            Devices = counted.Rows.Count > 0 ? Number(counted, counted.Rows[0], "Devices") : 0;
            if (Devices == 0)
            {
                reporter.Verbose($"Workspace {source.WorkspaceId:D} holds no connect or disconnect of the hub from {source.StartTime:o} to {source.EndTime:o}.");
                reporter.Progress(new ProgressReport(ProgressId, "Diagnosing disconnects in Log Analytics", "Done", 100, completed: true));
                return;
            }

            Partitions = PartitionsFor(Rows, Devices);
            reporter.Verbose($"{Rows} rows of about {Devices} devices and modules: {Partitions} partition(s) by hash(DeviceId, {Partitions}), "
                + $"at most {MaxConcurrentQueries} queries at once (each answer kept under {DevicesPerAnswer} devices and about {BytesPerAnswer / (1024 * 1024)} MB).");

            using var slots = new SemaphoreSlim(MaxConcurrentQueries);
            int done = 0;
            async Task RunPartition(int partitions, int partition)
            {
                QueryAnswer answer;
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    answer = await Task.Run(() => client.Query(source.WorkspaceId, Query.SummaryKql(partitions, partition), source.StartTime, source.EndTime, cancellationToken, "Key", "Entries"), cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    slots.Release();
                }

                string name = $"partition {partition} of {partitions}";
                if (answer.IsTruncated && partitions * 2 <= MostPartitions)
                {
                    // hash(x, 2n) is hash(x, 2n) mod n plus 0 or n: the two halves hold exactly this partition's devices.
                    reporter.Verbose($"The answer of {name} was cut ({answer.PartialError!.Text}): split in two.");
                    await Task.WhenAll(RunPartition(partitions * 2, partition), RunPartition(partitions * 2, partition + partitions)).ConfigureAwait(false);
                    return;
                }

                if (answer.PartialError != null)
                {
                    reporter.Warning($"Log Analytics answered {name} (hash(DeviceId, {partitions}) == {partition}) only in part: {answer.PartialError.Text} "
                        + "The diagnoses of its devices say so; devices missing from it are not diagnosed.");
                    lock (_gate) _partial.Add(name);
                }

                Add(analyzer, answer, name);
                int finished = Interlocked.Increment(ref done);
                reporter.Progress(new ProgressReport(ProgressId, "Diagnosing disconnects in Log Analytics",
                    $"{name}: {answer.Rows.Count} device(s)", (int)Math.Min(99, 100L * finished / Partitions)));
            }

            await Task.WhenAll(Enumerable.Range(0, Partitions).Select(p => RunPartition(Partitions, p))).ConfigureAwait(false);
            reporter.Progress(new ProgressReport(ProgressId, "Diagnosing disconnects in Log Analytics", "Done", 100, completed: true));
        }

        /// <summary>
        /// Says in the evidence of each diagnosis whose input came back in part which partition that was
        /// (a hub-wide one: that some did).
        /// </summary>
        public void Annotate(IEnumerable<IoTHubDisconnectDiagnosis> diagnoses)
        {
            var partial = PartialPartitions;
            if (partial.Count == 0) return;
            foreach (var diagnosis in diagnoses)
            {
                if (diagnosis.DeviceId.Length == 0)
                {
                    diagnosis.Evidence += $" Log Analytics answered {string.Join(", ", partial)} only in part: devices may be missing from this count.";
                    continue;
                }

                string? partition;
                lock (_gate) _partitionOfDevice.TryGetValue(diagnosis.DeviceId, out partition);
                if (partition != null && partial.Contains(partition))
                {
                    diagnosis.Evidence += $" Log Analytics answered {partition}, which holds this device, only in part: its events may be incomplete.";
                }
            }
        }

        // One answer's devices into the analyzer: parsed here, added under the lock (the analyzer is not thread-safe).
        private void Add(DisconnectAnalyzer analyzer, QueryAnswer answer, string partition)
        {
            long start = Query.Source.StartTime.UtcTicks;
            var devices = new List<(string Key, string? Protocol, string? Sdk, long Dropped, long Connects, List<(long, EntryKind, int, ulong)> Entries)>(answer.Rows.Count);
            foreach (var row in answer.Rows)
            {
                string? key = answer.Text(row, "Key");
                if (string.IsNullOrEmpty(key)) continue;
                var entries = Entries(answer, row, start);
                long total = Number(answer, row, "Total");
                devices.Add((key!, NullIfEmpty(answer.Text(row, "Protocol")), NullIfEmpty(answer.Text(row, "Sdk")),
                    Math.Max(0, total - entries.Count), Number(answer, row, "Connects"), entries));
            }

            lock (_gate)
            {
                foreach (var d in devices)
                {
                    analyzer.AddSummary(d.Key, d.Protocol, d.Sdk, d.Dropped, d.Connects, d.Entries);
                    _partitionOfDevice[d.Key] = partition;
                }
            }
        }

        // The Entries cell: a dynamic column, which the API sends as JSON text (a JSON array is taken too).
        private static List<(long, EntryKind, int, ulong)> Entries(QueryAnswer answer, JsonElement[] row, long startTicks)
        {
            var list = new List<(long, EntryKind, int, ulong)>();
            if (!answer.Columns.TryGetValue("Entries", out int index) || index >= row.Length) return list;
            var cell = row[index];
            JsonDocument? parsed = null;
            try
            {
                if (cell.ValueKind == JsonValueKind.String)
                {
                    parsed = JsonDocument.Parse(cell.GetString() ?? "[]");
                    cell = parsed.RootElement;
                }

                if (cell.ValueKind != JsonValueKind.Array) throw Malformed("an Entries cell is not an array");
                foreach (var entry in cell.EnumerateArray())
                {
                    if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() != 2
                        || entry[0].ValueKind != JsonValueKind.Number || entry[1].ValueKind != JsonValueKind.Number // TryGetInt64 throws on a non-number
                        || !entry[0].TryGetInt64(out long offset) || !entry[1].TryGetInt64(out long packed) || packed < 0)
                    {
                        throw Malformed("an entry is not [ticks, packed code]");
                    }

                    long code = packed / DeviceSummaryQuery.CodeFactor - 1;
                    int address = (int)(packed % DeviceSummaryQuery.CodeFactor / DeviceSummaryQuery.AddressFactor);
                    int kind = (int)(packed % DeviceSummaryQuery.AddressFactor);
                    list.Add((startTicks + offset, (EntryKind)kind, (int)code, (ulong)address)); // the index stands for the address: only distinct counts matter
                }
            }
            catch (JsonException ex)
            {
                throw Malformed("an Entries cell is not JSON: " + ex.Message);
            }
            finally
            {
                parsed?.Dispose();
            }

            return list;
        }

        private static long Number(QueryAnswer answer, JsonElement[] row, string column) =>
            long.TryParse(answer.Text(row, column), NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : 0;

        private static TroubleshootException Malformed(string why) =>
            new TroubleshootException(ErrorIds.AzureResponseMalformed, ProblemKind.InvalidData, "Entries",
                $"The Logs query API's answer to the device summary is not the shape the query asks for: {why}. Check -LogAnalyticsEndpoint.");
    }
}
