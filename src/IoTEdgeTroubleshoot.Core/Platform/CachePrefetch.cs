using System;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// Asks the processor to bring a cache line in while other work goes on (x86's PREFETCHT0), where the runtime has
    /// it: .NET Core 3.0 and later on x86 and x64 (System.Runtime.Intrinsics.X86.Sse.Prefetch0, which netstandard2.0
    /// does not name, so it is found once by reflection and called through its address). Elsewhere it does nothing.
    /// A prefetch never faults and never changes memory: a wrong or stale address only wastes it.
    /// </summary>
    internal static unsafe class CachePrefetch
    {
        private static readonly delegate*<void*, void> Prefetch0 = FindPrefetch0();

        /// <summary>Whether <see cref="Lines"/> does anything on this runtime and processor.</summary>
        public static bool IsAvailable => Prefetch0 != null;

        /// <summary>
        /// Starts loading the cache lines that hold <paramref name="value"/> (one, or two when it straddles a line), for a
        /// read soon after. Only the address is taken: a move by the collector meanwhile costs the prefetch, nothing else.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Lines<T>(ref T value)
        {
            var prefetch = Prefetch0;
            if (prefetch == null) return;
            byte* first = (byte*)Unsafe.AsPointer(ref value);
            byte* last = first + Unsafe.SizeOf<T>() - 1;
            prefetch(first);
            if (((ulong)first ^ (ulong)last) >= CacheLineBytes) prefetch(last);
        }

        // x86's cache line.
        private const ulong CacheLineBytes = 64;

        private static delegate*<void*, void> FindPrefetch0()
        {
            try
            {
                // Looked for in the core library itself (no assembly is bound by name, so .NET Framework just finds none).
                var sse = typeof(object).Assembly.GetType("System.Runtime.Intrinsics.X86.Sse", throwOnError: false);
                if (sse == null || !(sse.GetProperty("IsSupported")?.GetValue(null) is bool supported) || !supported) return null;
                var method = sse.GetMethod("Prefetch0", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(void*) }, null);
                return method == null ? null : (delegate*<void*, void>)method.MethodHandle.GetFunctionPointer();
            }
            catch (Exception)
            {
                // Whatever the runtime objects to, the read goes on without prefetching: an exception left here would
                // make the type unusable, and every lookup of a device id with it.
                return null;
            }
        }
    }
}
