using System;
using System.Runtime.CompilerServices;

namespace IoTEdgeTroubleshoot.Platform
{
    internal static class JitHints
    {
        /// <summary>
        /// MethodImplOptions.AggressiveOptimization (.NET Core 3.0+), which netstandard2.0 does not name:
        /// compile a method fully optimised at once. For methods called once that loop over every event,
        /// which would otherwise run their single call in the slow first tier. .NET Framework ignores it.
        /// </summary>
        public const MethodImplOptions AggressiveOptimization = (MethodImplOptions)512;
    }

    /// <summary>
    /// On a method marked <see cref="JitHints.AggressiveOptimization"/>: the warm-up (<see cref="HotPathWarmUp"/>) leaves it
    /// to be compiled, fully optimised, at its first call. For the full JSON parse behind the diagnosis' lean scan, which
    /// a storage export of the hub's usual records never reaches: compiled ahead, it took about 16 ms of a core the read
    /// needs on every large read. Inputs that do need it from their first record (JSON documents, Event Hubs batches,
    /// records with text beyond ASCII) have it compiled by the reader thread that meets it first, as before the warm-up.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, Inherited = false)]
    internal sealed class CompiledAtFirstCallAttribute : Attribute
    {
    }
}
