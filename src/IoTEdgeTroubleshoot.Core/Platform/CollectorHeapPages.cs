using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// Asks Linux to back the garbage collector's heap with 2 MB pages (madvise MADV_HUGEPAGE over the address range
    /// the collector reserved at start-up), before each large read. A large read fills a hundred megabytes or more of
    /// fresh heap with objects it keeps (device ids, timelines, tables), and the first write to each fresh 4 KB page is
    /// a page fault (13.6 µs on the benchmark machine, a virtual machine), where one fault brings in a whole 2 MB page
    /// (<see cref="HugePages"/>). On 160,000 devices the whole pwsh process took 26,900 faults fewer, 1.2 s less
    /// processor time.
    /// <para>
    /// Only where transparent huge pages are on request ("madvise"; with "always" the heap has them already, with
    /// "never" it cannot), on a runtime whose collector works in regions inside one reservation of a known size
    /// (.NET 7 and later: <c>GCRegionRange</c>), and only when that reservation is found in /proc/self/maps
    /// (<see cref="FindReservation"/>). Anything else leaves the process as it is. The advice is on the mappings as
    /// they are now, for the rest of the process (the PowerShell session): memory the collector gives back and takes
    /// again is mapped anew without it, which is why every large read asks again. What it costs: a first write in a
    /// 2 MB window that lies wholly inside an advised mapping takes a whole 2 MB page, so memory the heap commits
    /// grows in 2 MB steps, and so may the stacks of threads and the C library's arenas that sit right against it.
    /// </para>
    /// </summary>
    internal static class CollectorHeapPages
    {
        private const string HugePageSetting = "/sys/kernel/mm/transparent_hugepage/enabled";

        /// <summary>The stretch advised, or null when there was nothing to advise here (see the class).</summary>
        public static AddressRange? Advise()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return null;
            try
            {
                if (!File.Exists(HugePageSetting) || !File.ReadAllText(HugePageSetting).Contains("[madvise]")) return null;
                ulong range = s_regionRange.Value;
                if (range == 0) return null;
                var reservation = FindReservation(File.ReadLines("/proc/self/maps"), AddressOfAnObject(), range);
                if (reservation is not AddressRange found || !HugePages.AdviseRange(found.Start, found.Length)) return null;
                return found;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is FormatException)
            {
                return null; // no /proc or /sys to read: leave the heap as it is
            }
        }

        /// <summary>
        /// The stretch to advise in a /proc/self/maps listing: the back-to-back anonymous mappings (no file, no name)
        /// around <paramref name="probe"/>, the address of an object on the heap. The collector reserves
        /// <paramref name="range"/> bytes in one piece and splits it into committed and reserved mappings, all anonymous;
        /// mappings that sit right against it without a gap (its own bookkeeping, a thread's stack, the C library's
        /// arenas) cannot be told apart from it and are advised with it. Null unless the stretch is about the
        /// reservation's size: from 64 MB less (the alignment of its ends) to an eighth more (in pwsh on the benchmark
        /// machine the stretch was 1.2% longer than the reservation). A probe outside such a reservation, or a listing
        /// not understood, advises nothing.
        /// </summary>
        internal static AddressRange? FindReservation(IEnumerable<string> mapsLines, ulong probe, ulong range)
        {
            var mappings = new List<Mapping>();
            foreach (var line in mapsLines)
            {
                if (Mapping.TryParse(line, out var mapping)) mappings.Add(mapping);
            }

            int holder = mappings.FindIndex(m => m.Start <= probe && probe < m.End);
            if (holder < 0 || !mappings[holder].Anonymous) return null;
            int first = holder, last = holder;
            while (first > 0 && mappings[first - 1].Anonymous && mappings[first - 1].End == mappings[first].Start) first--;
            while (last + 1 < mappings.Count && mappings[last + 1].Anonymous && mappings[last + 1].Start == mappings[last].End) last++;

            ulong start = mappings[first].Start, length = mappings[last].End - start;
            const ulong EndsAlignment = 64 << 20;
            if (length + EndsAlignment < range || (length > range && length - range > range / 8)) return null;
            return new AddressRange(start, length);
        }

        // Looked up once per process: the reflection it takes costs 20 to 30 ms the first time (finding the method on GC
        // fills the runtime's cache of that type's members), so the warm-up of a read asks for it on its own thread
        // (LookUpRegionRange) while the command resolves its paths; Advise then finds it there, or waits for it. Never
        // throws (a failure is 0: no advice), so that nothing is kept of a failure on the warm-up's thread.
        private static readonly Lazy<ulong> s_regionRange = new Lazy<ulong>(RegionRange, System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);

        /// <summary>Looks up the collector's reservation size now, for a later <see cref="Advise"/> (any thread).</summary>
        public static void LookUpRegionRange()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) _ = s_regionRange.Value;
        }

        // GC.GetConfigurationVariables() (.NET 7 and later; this assembly targets .NET Standard 2.0): "GCRegionRange",
        // the bytes the collector reserved for its regions; 0 when the runtime has no such setting (older runtimes,
        // the .NET Framework, a collector in segments).
        private static ulong RegionRange()
        {
            try
            {
                var method = typeof(GC).GetMethod("GetConfigurationVariables", Type.EmptyTypes);
                if (method?.Invoke(null, null) is not IReadOnlyDictionary<string, object> settings) return 0;
                if (!settings.TryGetValue("GCRegionRange", out var value) || value == null) return 0;
                return Convert.ToUInt64(value, CultureInfo.InvariantCulture);
            }
            catch (Exception)
            {
                return 0; // not a number, reflection refused, or the runtime failed to answer: no advice
            }
        }

        private static unsafe ulong AddressOfAnObject()
        {
            var probe = new byte[1];
            fixed (byte* address = probe)
            {
                return (ulong)address;
            }
        }

        /// <summary>One line of /proc/self/maps: "start-end perms offset device inode [path]" (hexadecimal addresses).</summary>
        private readonly struct Mapping
        {
            private Mapping(ulong start, ulong end, bool anonymous)
            {
                Start = start;
                End = end;
                Anonymous = anonymous;
            }

            public ulong Start { get; }

            public ulong End { get; }

            /// <summary>No path: neither a file nor a named area such as [heap] or [stack].</summary>
            public bool Anonymous { get; }

            public static bool TryParse(string line, out Mapping mapping)
            {
                mapping = default;
                var fields = line.Split((char[]?)null, 6, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 5) return false;
                int dash = fields[0].IndexOf('-');
                if (dash <= 0
                    || !ulong.TryParse(fields[0].Substring(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong start)
                    || !ulong.TryParse(fields[0].Substring(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong end)
                    || end <= start)
                {
                    return false;
                }

                mapping = new Mapping(start, end, fields.Length < 6 || fields[5].Trim().Length == 0);
                return true;
            }
        }
    }

    /// <summary>A stretch of the process's address space.</summary>
    internal readonly struct AddressRange
    {
        public AddressRange(ulong start, ulong length)
        {
            Start = start;
            Length = length;
        }

        public ulong Start { get; }

        public ulong Length { get; }

        public override string ToString() => $"0x{Start:x}, {Length >> 20} MB";
    }
}
