using System;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    /// <summary>
    /// The warm-up compiles what a read from files and its analysis would otherwise compile at their first calls: every
    /// method of the module marked to be optimised at once (but for those left to their first call), the read's
    /// per-record methods first.
    /// </summary>
    public class HotPathWarmUpTests
    {
        private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

        [Fact]
        public void EveryMethodMarkedToBeOptimisedAtOnce_IsWarmedUp()
        {
            // A new hot type that is not in the list would be compiled at its first call again: this names it.
            var warmed = HotPathWarmUp.MethodsToPrepare(DisconnectAnalyzer.HotPathTypes).Select(Describe).ToHashSet();
            var marked = typeof(DisconnectAnalyzer).Assembly.GetTypes()
                .Where(type => !type.ContainsGenericParameters)
                .SelectMany(type => type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
                .Where(method => (method.MethodImplementationFlags & (MethodImplAttributes)JitHints.AggressiveOptimization) != 0 && !method.ContainsGenericParameters)
                .Where(method => !method.IsDefined(typeof(CompiledAtFirstCallAttribute), false))
                .Select(Describe)
                .ToList();

            Assert.True(marked.Count > 40, $"only {marked.Count} marked methods found");
            var missing = marked.Where(method => !warmed.Contains(method)).ToList();
            Assert.True(missing.Count == 0, "not warmed up: " + string.Join(", ", missing));
        }

        [Fact]
        public void OnlyMarkedMethods_AreWarmedUp_TheReadsPerRecordMethodsBeforeTheAnalysis()
        {
            var methods = HotPathWarmUp.MethodsToPrepare(DisconnectAnalyzer.HotPathTypes).ToList();
            Assert.All(methods, method => Assert.NotEqual((MethodImplAttributes)0, method.MethodImplementationFlags & (MethodImplAttributes)JitHints.AggressiveOptimization));
            Assert.DoesNotContain(methods, method => method.ContainsGenericParameters);
            Assert.Equal(methods.Count, methods.Distinct().Count());

            int Place(Type type, string name) => methods.FindIndex(method => method.DeclaringType == type && method.Name == name);
            int scanRecord = Place(typeof(ConnectionRecordParser), nameof(ConnectionRecordParser.TryScanLeanRecord));
            int scanProperties = Place(typeof(LeanPropertiesScanner), "TryScan");
            int readLine = Place(typeof(Utf8LineReader), nameof(Utf8LineReader.TryReadLine));
            int diagnose = Place(typeof(DisconnectAnalyzer), "Diagnose");
            int period = Place(typeof(IoTEdgeTroubleshoot.Hub.Diagnosis.Patterns.Periodicity), "Of");
            Assert.All(new[] { scanRecord, scanProperties, readLine, diagnose, period }, place => Assert.True(place >= 0));
            Assert.True(readLine < diagnose && scanRecord < diagnose && scanProperties < diagnose && scanRecord < period, "the read's methods come before the analysis'");
        }

        [Fact]
        public void TheFullParseBehindTheLeanScan_IsLeftToItsFirstCall()
        {
            var warmed = HotPathWarmUp.MethodsToPrepare(DisconnectAnalyzer.HotPathTypes).ToList();
            var parser = typeof(ConnectionRecordParser);
            var left = parser.GetMethods(Declared).Where(method => method.IsDefined(typeof(CompiledAtFirstCallAttribute), false)).ToList();
            Assert.Contains(left, method => method.Name == nameof(ConnectionRecordParser.ParseValue));
            Assert.Contains(left, method => method.Name == "ReadRecord");
            Assert.DoesNotContain(warmed, method => left.Contains(method));

            // Still compiled optimised at once when a record needs them; the lean scan's own methods are warmed up.
            Assert.All(left, method => Assert.NotEqual((MethodImplAttributes)0, method.MethodImplementationFlags & (MethodImplAttributes)JitHints.AggressiveOptimization));
            Assert.Contains(warmed, method => method.DeclaringType == parser && method.Name == nameof(ConnectionRecordParser.TryScanLeanRecord));
            Assert.Contains(warmed, method => method.DeclaringType == parser && method.Name == "FieldOfName");

            // The attribute alone keeps a marked method out.
            Assert.Equal(new[] { nameof(MarkedMethods.Sum), nameof(MarkedMethods.Nested.Twice) }, HotPathWarmUp.MethodsToPrepare(new[] { typeof(MarkedMethods) }).Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray());
        }

        [Fact]
        public void TheWarmUpRunsOnABackgroundThread_AndEnds()
        {
            // Asked on the thread itself: it may be over before the test could ask it from outside.
            bool? background = null;
            var thread = HotPathWarmUp.Start(new[] { typeof(MarkedMethods), typeof(string) }, first: () => background = Thread.CurrentThread.IsBackground);
            Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
            Assert.True(background); // never keeps a process alive
            Assert.Equal(7, new MarkedMethods().Sum(3, 4)); // and the method still runs as written
            Assert.Equal(new[] { nameof(MarkedMethods.Sum), nameof(MarkedMethods.Nested.Twice) }, HotPathWarmUp.MethodsToPrepare(new[] { typeof(MarkedMethods) }).Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray());
        }

        [Fact]
        public void AFirstStep_RunsBeforeTheCompilation_AndItsFailureStopsNothing()
        {
            bool ran = false;
            var thread = HotPathWarmUp.Start(new[] { typeof(MarkedMethods) }, first: () => ran = true);
            Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
            Assert.True(ran);

            // An exception left on a thread of its own would end the whole process (the test host with it).
            var failing = HotPathWarmUp.Start(new[] { typeof(MarkedMethods) }, first: () => throw new InvalidOperationException("no"));
            Assert.True(failing.Join(TimeSpan.FromSeconds(30)));
        }

        private static string Describe(MethodBase method) => $"{method.DeclaringType!.FullName}.{method}";

        private sealed class MarkedMethods
        {
            [MethodImpl(JitHints.AggressiveOptimization)]
            public int Sum(int a, int b) => a + b;

            public int NotMarked(int a) => a;

            [MethodImpl(JitHints.AggressiveOptimization)]
            [CompiledAtFirstCall]
            public int LeftToItsFirstCall(int a) => a + 1;

            [MethodImpl(JitHints.AggressiveOptimization)]
            public T Generic<T>(T value) => value;

            public static class Nested
            {
                [MethodImpl(JitHints.AggressiveOptimization)]
                public static int Twice(int a) => a * 2;
            }
        }
    }
}
