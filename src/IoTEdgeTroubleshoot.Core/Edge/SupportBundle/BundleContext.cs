using System;
using System.Collections.Generic;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Modules;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.SupportBundle
{
    /// <summary>What the parts of a bundle share while it is written: the request, the zip, the tools, and the record for summary.txt.</summary>
    internal sealed class BundleContext
    {
        private IReadOnlyList<IoTEdgeModule>? _modules;
        private TroubleshootException? _modulesFailure;

        private readonly IReporter _caller;

        public BundleContext(SupportBundleRequest request, BundleArchive archive, IReporter caller)
        {
            Request = request;
            Archive = archive;
            _caller = caller;
            Reporter = new WarningRecorder(caller, Warnings);
            Tool = new NativeTool(request.Processes, Reporter);
        }

        /// <summary>The warnings the tools gave while the parts were collected (journalctl's "not seeing messages from other users"), for summary.txt.</summary>
        public List<string> Warnings { get; } = new List<string>();

        public SupportBundleRequest Request { get; }

        public BundleArchive Archive { get; }

        /// <summary>The caller's reporter, which also notes warnings for summary.txt.</summary>
        public IReporter Reporter { get; }

        public NativeTool Tool { get; }

        /// <summary>What each entry holds, for summary.txt: entry → "12 entries of ...".</summary>
        public List<(string Entry, string What)> Contents { get; } = new List<(string, string)>();

        /// <summary>What could not be collected, and why.</summary>
        public List<SkippedBundlePart> Skipped { get; } = new List<SkippedBundlePart>();

        public void Collected(string entry, string what) => Contents.Add((entry, what));

        /// <summary>Notes a part (or a piece of one) that could not be collected, and warns.</summary>
        public void Skip(string part, string reason)
        {
            Skipped.Add(new SkippedBundlePart(part, SecretMasker.Mask(reason)));
            _caller.Warning($"The support bundle has no {part}: {SecretMasker.Mask(reason)}");
        }

        /// <summary>The modules of <see cref="Modules"/>; null, after noting the part as skipped, when there are none.</summary>
        public IReadOnlyList<IoTEdgeModule>? ModulesFor(string part, CancellationToken cancellationToken)
        {
            var modules = Modules(cancellationToken);
            if (modules.Count > 0) return modules;
            Skip(part, "'iotedge list' shows no modules.");
            return null;
        }

        /// <summary>The modules of 'iotedge list', read once for the module logs and the container settings.</summary>
        public IReadOnlyList<IoTEdgeModule> Modules(CancellationToken cancellationToken)
        {
            if (_modulesFailure != null) throw _modulesFailure;
            if (_modules != null) return _modules;
            try
            {
                return _modules = ModuleList.Read(Tool, cancellationToken);
            }
            catch (TroubleshootException ex)
            {
                _modulesFailure = ex;
                throw;
            }
        }

        private sealed class WarningRecorder : IReporter
        {
            private readonly IReporter _inner;
            private readonly List<string> _warnings;

            public WarningRecorder(IReporter inner, List<string> warnings)
            {
                _inner = inner;
                _warnings = warnings;
            }

            public void Verbose(string message) => _inner.Verbose(message);

            public void Warning(string message)
            {
                _warnings.Add(SecretMasker.Mask(message));
                _inner.Warning(message);
            }

            public void Progress(ProgressReport progress) => _inner.Progress(progress);

            public void Problem(Problem problem)
            {
                _warnings.Add(problem.Message);
                _inner.Problem(problem);
            }
        }
    }
}
