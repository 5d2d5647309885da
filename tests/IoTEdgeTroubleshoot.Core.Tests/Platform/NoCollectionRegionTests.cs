using System;
using System.Collections.Generic;
using System.Runtime;
using IoTEdgeTroubleshoot.Platform;
using IoTEdgeTroubleshoot.Tests.Hub;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    [Collection(nameof(ProcessMemoryMeasurements))] // alone: the collector's mode is the whole process's
    public class NoCollectionRegionTests
    {
        [Fact]
        public void WithinItsBudget_NothingIsCollected_AndDisposeEndsIt()
        {
            var kept = new List<byte[]>();
            int collections;
            using (var region = NoCollectionRegion.Start(64L << 20))
            {
                Assert.True(region.IsOn);
                Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
                collections = GC.CollectionCount(0);
                for (int i = 0; i < 1000; i++) kept.Add(new byte[16 * 1024]); // 16 MB, several times a young generation's budget
                Assert.Equal(collections, GC.CollectionCount(0));
                Assert.True(region.IsOn);
            }

            Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            GC.KeepAlive(kept);
        }

        [Fact]
        public void PastItsBudget_CollectionsResume_AndDisposeIsQuiet()
        {
            var region = NoCollectionRegion.Start(8L << 20);
            Assert.True(region.IsOn);
            for (int i = 0; i < 2000; i++) GC.KeepAlive(new byte[16 * 1024]); // 32 MB of garbage: four times the budget

            Assert.False(region.IsOn); // the runtime ended it
            region.Dispose();
            region.Dispose();
            Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }

        [Fact]
        public void ASecondRegion_WhileOneIsOn_DoesNotStart_AndLeavesTheFirstOn()
        {
            using var first = NoCollectionRegion.Start(32L << 20);
            using (var second = NoCollectionRegion.Start(32L << 20))
            {
                Assert.True(first.IsOn, "after second start");
                Assert.False(second.IsOn);
            }

            Assert.True(first.IsOn); // the second's Dispose did not end the first's region
        }

        [Fact]
        public void ABudgetBeyondWhatTheRuntimeAllows_StartsNoRegion()
        {
            using var tooLarge = NoCollectionRegion.Start(long.MaxValue);
            Assert.False(tooLarge.IsOn);
            Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }

        [Fact]
        public void ARegionThatRanOut_DoesNotEndTheRegionThatCameAfterIt()
        {
            var first = NoCollectionRegion.Start(8L << 20);
            for (int i = 0; i < 2000; i++) GC.KeepAlive(new byte[16 * 1024]); // past its budget: over
            using var second = NoCollectionRegion.Start(32L << 20); // someone else's, say another runspace's
            Assert.True(second.IsOn);
            Assert.False(first.IsOn);

            first.Dispose();

            Assert.True(second.IsOn);
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }
    }
}
