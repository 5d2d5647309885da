using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// Compiles a hot path's methods before their first call, on a thread of its own. The methods marked
    /// <see cref="JitHints.AggressiveOptimization"/> are not in the ReadyToRun image (the runtime does not take
    /// precompiled code for them), so a fresh process compiles each when it is first called: a large read's twenty-odd
    /// per-record methods at the very start of the read, where every reader thread waits for the same methods and the
    /// other core has nothing to do. Started while the command still resolves its paths and plans its parts, the
    /// compilation runs on that idle core instead. A method the read reaches first is compiled there, as it would have
    /// been; nothing is compiled twice. Any failure here only leaves the compilation to the first call.
    /// </summary>
    internal static class HotPathWarmUp
    {
        private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

        /// <summary>
        /// Starts, on a thread of its own, <paramref name="first"/> (other slow first steps of the same work, if any), then
        /// compiling in the order given the methods of <paramref name="types"/> (and of their nested types) that are marked
        /// <see cref="JitHints.AggressiveOptimization"/>, but for those marked <see cref="CompiledAtFirstCallAttribute"/>.
        /// Returns the thread (tests wait for it).
        /// </summary>
        public static Thread Start(IReadOnlyList<Type> types, Action? first = null)
        {
            var thread = new Thread(() =>
            {
                RunQuietly(first);
                PrepareAll(types);
            })
            { IsBackground = true, Name = "IoTEdgeTroubleshoot warm-up" };
            thread.Start();
            return thread;
        }

        private static void RunQuietly(Action? step)
        {
            try
            {
                step?.Invoke();
            }
            catch (Exception)
            {
                // Only a head start: whoever needs the step's result does it again and sees the failure there.
            }
        }

        /// <summary>The methods <see cref="Start"/> compiles, in its order: not generic, with a body, marked to be optimised at once and not left to their first call.</summary>
        internal static IEnumerable<MethodBase> MethodsToPrepare(IReadOnlyList<Type> types)
        {
            foreach (var type in types)
            {
                foreach (var method in MethodsOf(type)) yield return method;
            }
        }

        private static IEnumerable<MethodBase> MethodsOf(Type type)
        {
            if (type.ContainsGenericParameters) yield break;
            foreach (var method in type.GetMethods(Declared))
            {
                if (IsToPrepare(method)) yield return method;
            }

            foreach (var constructor in type.GetConstructors(Declared))
            {
                if (IsToPrepare(constructor)) yield return constructor;
            }

            foreach (var nested in type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic))
            {
                foreach (var method in MethodsOf(nested)) yield return method;
            }
        }

        private static bool IsToPrepare(MethodBase method) =>
            (method.MethodImplementationFlags & (MethodImplAttributes)JitHints.AggressiveOptimization) != 0
            && !method.ContainsGenericParameters && !method.IsAbstract
            && !method.IsDefined(typeof(CompiledAtFirstCallAttribute), inherit: false);

        private static void PrepareAll(IReadOnlyList<Type> types)
        {
            foreach (var type in types)
            {
                try
                {
                    foreach (var method in MethodsOf(type))
                    {
                        try
                        {
                            RuntimeHelpers.PrepareMethod(method.MethodHandle);
                        }
                        catch (Exception)
                        {
                            // One method the runtime will not compile ahead (it compiles it at its first call): go on.
                        }
                    }
                }
                catch (Exception)
                {
                    // Reflection refused this type (a trimmed or restricted runtime): its first calls compile it; go on.
                }
            }
        }
    }
}
