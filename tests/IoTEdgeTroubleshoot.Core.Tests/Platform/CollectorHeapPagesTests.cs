using System;
using System.Linq;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    /// <summary>
    /// Where the collector's heap is found in /proc/self/maps, on a listing recorded from pwsh 7.6.9 (.NET 10) on the
    /// benchmark machine. The advice itself is tried in a pwsh of its own (DisconnectDiagnosis.Tests.ps1): in this
    /// process it would change the memory of every test after it (HugePagesTests tells advised memory from plain).
    /// </summary>
    public class CollectorHeapPagesTests
    {
        private const ulong RegionRange = 50_551_906_304; // GCRegionRange in that process: 47 GB

        // The heap's neighbourhood in pwsh: a thread's stack and the collector's bookkeeping below, the reservation
        // (first regions committed), the C library's arenas above; then a gap and a file. Added to what was recorded:
        // a named mapping right against each end (a file with spaces in its name, an anonymous mapping named with
        // prctl), which must end the run.
        private static readonly string[] RecordedMaps =
        {
            "55e7b1a4e000-55e7b1a50000 r--p 00000000 fd:00 1841913                    /usr/share/dotnet/dotnet",
            "7fdd0e000000-7fdd0e021000 rw-p 00000000 00:00 0 ",
            "7fdd0e021000-7fdd0e800000 ---p 00000000 00:00 0 ",
            "7fdd0f060000-7fdd0f080000 rw-s 00000000 00:01 4096                       /memfd:doublemapper (deleted)",
            "7fdd0f080000-7fdd0f081000 ---p 00000000 00:00 0 ",
            "7fdd0f081000-7fdd0f881000 rw-p 00000000 00:00 0 ",
            "7fdd0f881000-7fdd0f895000 rw-p 00000000 00:00 0 ",
            "7fdd0f895000-7fdd1100b000 ---p 00000000 00:00 0 ",
            "7fdd1100b000-7fdd1101f000 rw-p 00000000 00:00 0 ",
            "7fdd1101f000-7fdd2b000000 ---p 00000000 00:00 0 ",
            "7fdd2b000000-7fdd2b011000 rw-p 00000000 00:00 0 ",
            "7fdd2b011000-7fdd2d000000 ---p 00000000 00:00 0 ",
            "7fdd2d000000-7fdd2d0c1000 rw-p 00000000 00:00 0 ",
            "7fdd2d0c1000-7fdd2fc00000 ---p 00000000 00:00 0 ",
            "7fdd2fc00000-7fdd2ff21000 rw-p 00000000 00:00 0 ",
            "7fdd2ff21000-7fe8f0000000 ---p 00000000 00:00 0 ",
            "7fe8f0000000-7fe8f0021000 rw-p 00000000 00:00 0 ",
            "7fe8f0021000-7fe8f4000000 ---p 00000000 00:00 0 ",
            "7fe8f4000000-7fe8f4021000 rw-p 00000000 00:00 0 ",
            "7fe8f4021000-7fe8f8000000 ---p 00000000 00:00 0 ",
            "7fe8f8000000-7fe8f8200000 rw-p 00000000 00:00 0                          [anon:a name given with prctl]",
            "7fe8f8800000-7fe8f8a00000 rw-p 00000000 00:00 0 ",
            "7fe8fa000000-7fe8fa1c4000 r--p 00000000 fd:00 2228321                    /usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.0/System.Private.CoreLib.dll",
            "7fe8fa1c4000-7fe8fa1c5000 rw-p 001c4000 fd:00 2228321                    /usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.0/System.Private.CoreLib.dll",
            "7fe8fa1c5000-7fe8fa1c6000 rw-p 00000000 00:00 0 ",
            "7ffc8a1f0000-7ffc8a211000 rw-p 00000000 00:00 0                          [stack]",
        };

        private const ulong ObjectOnTheHeap = 0x7fdd2fd0ced8;

        [Fact]
        public void TheRunOfAnonymousMappingsAroundAnObject_IsAdvised_FromItsFirstToItsLast()
        {
            var found = CollectorHeapPages.FindReservation(RecordedMaps, ObjectOnTheHeap, RegionRange);

            Assert.NotNull(found);
            Assert.Equal(0x7fdd0f080000UL, found!.Value.Start); // the stack's guard page, not the file right before it
            Assert.Equal(0x7fe8f8000000UL - 0x7fdd0f080000UL, found.Value.Length); // up to the last arena, not the named mapping after it
        }

        [Fact]
        public void AnObjectOutsideAnyMapping_OrInAFile_OrInTheMainHeap_AdvisesNothing()
        {
            Assert.Null(CollectorHeapPages.FindReservation(RecordedMaps, 0x7fe8f9000000, RegionRange)); // in the gap
            Assert.Null(CollectorHeapPages.FindReservation(RecordedMaps, 0x7fe8fa000100, RegionRange)); // CoreLib's file
            Assert.Null(CollectorHeapPages.FindReservation(RecordedMaps, 0x7ffc8a1f0100, RegionRange)); // [stack]
            Assert.Null(CollectorHeapPages.FindReservation(RecordedMaps, 0x7fe8f8900000, RegionRange)); // a small anonymous mapping alone
        }

        [Fact]
        public void ARunFarFromTheReservationsSize_AdvisesNothing()
        {
            ulong run = 0x7fe8f8000000UL - 0x7fdd0f080000UL;
            Assert.NotNull(CollectorHeapPages.FindReservation(RecordedMaps, ObjectOnTheHeap, run + (64 << 20))); // the ends' alignment
            Assert.Null(CollectorHeapPages.FindReservation(RecordedMaps, ObjectOnTheHeap, run + (64 << 20) + 4096)); // the reservation cannot be in it
            Assert.NotNull(CollectorHeapPages.FindReservation(RecordedMaps, ObjectOnTheHeap, run - run / 16)); // a few neighbours
            Assert.Null(CollectorHeapPages.FindReservation(RecordedMaps, ObjectOnTheHeap, run - run / 8)); // more than an eighth besides the reservation: not understood
            Assert.Null(CollectorHeapPages.FindReservation(RecordedMaps, ObjectOnTheHeap, run / 2));
        }

        [Fact]
        public void LinesNotUnderstood_AreSkipped_AMissingMappingEndsTheRun()
        {
            var damaged = RecordedMaps.ToList();
            damaged.Insert(5, "not a mapping at all");
            damaged.Insert(9, "7fdd0f895000-zzzz ---p 00000000 00:00 0 ");
            damaged.Insert(2, string.Empty);
            Assert.Equal(0x7fdd0f080000UL, CollectorHeapPages.FindReservation(damaged, ObjectOnTheHeap, RegionRange)!.Value.Start);

            // A mapping missing from the middle (a line lost) leaves a gap: the run is then too short to hold the reservation.
            var gap = RecordedMaps.Where(line => !line.StartsWith("7fdd2ff21000")).ToArray();
            Assert.Null(CollectorHeapPages.FindReservation(gap, ObjectOnTheHeap, RegionRange));
        }
    }
}
