using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime;
using System.Threading;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using IoTEdgeTroubleshoot.LogGenerator;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub.Diagnosis
{
    /// <summary>
    /// A large read and its analysis run without garbage collections, and the region ends with the analysis, or
    /// with Dispose, or with a failed read. A small input is made "large" here (LargeReadBytes = 0): at 64 MB the
    /// read would also advise the whole heap's pages (CollectorHeapPages), which would change the memory of every
    /// test after this one.
    /// </summary>
    [Collection(nameof(ProcessMemoryMeasurements))] // alone: the collector's mode is the whole process's
    public sealed class LargeReadRegionTests : IDisposable
    {
        private readonly TempFolder _dir = new TempFolder();
        private readonly List<string> _files;

        public LargeReadRegionTests()
        {
            var options = new GeneratorOptions { Devices = 400, Hours = 24, Seed = 5 };
            new ConnectionLogWriter(ConnectionLogScenario.Generate(options), options).WriteStorageTree(_dir.Path);
            _files = ConnectionLogReader.ExpandPath(_dir.Path).ToList();
        }

        public void Dispose() => _dir.Dispose();

        [Fact]
        public void ALargeRead_RunsWithoutCollections_ToTheEndOfItsAnalysis_AndFindsTheSameDiagnoses()
        {
            var small = new DisconnectAnalyzer();
            small.ReadFiles(_files, new ConnectionEventFilter(), new CollectingReporter(), CancellationToken.None);
            Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode); // a small read: collections as usual
            var expected = small.Analyze().Select(DisconnectAnalyzerTests.Describe).ToList();

            using var large = new DisconnectAnalyzer { LargeReadBytes = 0 }; // a failed assertion must not leave the region on
            large.ReadFiles(_files, new ConnectionEventFilter(), new CollectingReporter(), CancellationToken.None);
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode); // still on after the read: its analysis follows
            int collectionsAfterRead = GC.CollectionCount(0);
            long allocatedAfterRead = GC.GetTotalAllocatedBytes(precise: true);

            var found = large.Analyze().Select(DisconnectAnalyzerTests.Describe).ToList();
            AssertNoCollectionSince(collectionsAfterRead, allocatedAfterRead); // none during the analysis
            Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode); // and none kept from after it
            Assert.NotEmpty(found);
            Assert.Equal(expected, found);
        }

        [Fact]
        public void ACallerThatStillHasTheDiagnosesToHandOn_EndsTheRegionItself()
        {
            using var large = new DisconnectAnalyzer { LargeReadBytes = 0 };
            large.ReadFiles(_files, new ConnectionEventFilter(), new CollectingReporter(), CancellationToken.None);
            int collectionsAfterRead = GC.CollectionCount(0);
            long allocatedAfterRead = GC.GetTotalAllocatedBytes(precise: true);

            var found = large.Analyze(endLargeRead: false);
            var written = found.Select(DisconnectAnalyzerTests.Describe).ToList(); // what the cmdlet does before it ends the region
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            AssertNoCollectionSince(collectionsAfterRead, allocatedAfterRead);
            Assert.NotEmpty(written);

            large.Dispose();
            Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }

        [Fact]
        public void ALargeReadWithNoAnalysis_EndsItsRegion_WhenDisposed()
        {
            using var large = new DisconnectAnalyzer { LargeReadBytes = 0 };
            large.ReadFiles(_files, new ConnectionEventFilter(), new CollectingReporter(), CancellationToken.None);
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);

            large.Dispose();
            Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            large.Dispose(); // twice: nothing to end
            Assert.NotEmpty(large.Analyze()); // what was read is still there to analyse
        }

        [Fact]
        public void AReadStoppedMidway_EndsItsRegion()
        {
            using var large = new DisconnectAnalyzer { LargeReadBytes = 0 };
            using var stop = new CancellationTokenSource();
            var stopper = new StopAtFirstProgress(stop);
            Assert.ThrowsAny<OperationCanceledException>(() => large.ReadFiles(_files, new ConnectionEventFilter(), stopper, stop.Token));
            Assert.Equal(GCLatencyMode.NoGCRegion, stopper.ModeWhenStopped); // the region was on when the read was stopped
            Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }

        // Says what the whole process allocated meanwhile when a collection came (the region's budget is 64 MB here: a
        // test of another collection still running in the background could use it up).
        private static void AssertNoCollectionSince(int collections, long allocatedBytes)
        {
            int now = GC.CollectionCount(0);
            Assert.True(now == collections, $"{now - collections} collection(s) after {(GC.GetTotalAllocatedBytes(precise: true) - allocatedBytes) / 1024} KB allocated by the process");
        }

        // Stops the read when the first file is done (as Ctrl+C would), noting the collector's mode then.
        private sealed class StopAtFirstProgress : IReporter
        {
            private readonly CancellationTokenSource _stop;

            public StopAtFirstProgress(CancellationTokenSource stop) => _stop = stop;

            public GCLatencyMode? ModeWhenStopped { get; private set; }

            public void Progress(ProgressReport progress)
            {
                if (ModeWhenStopped != null) return;
                ModeWhenStopped = GCSettings.LatencyMode;
                _stop.Cancel();
            }

            public void Verbose(string message) { }

            public void Warning(string message) { }

            public void Problem(Problem problem) { }
        }
    }
}
