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
}
