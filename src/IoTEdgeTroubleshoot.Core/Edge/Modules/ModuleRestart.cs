using System;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Modules
{
    /// <summary>The guide's 'iotedge restart &lt;module&gt;': the name is one argument, never shell text.</summary>
    public sealed class ModuleRestart
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
        private readonly NativeTool _tool;

        public ModuleRestart(IProcessRunner? runner = null, IReporter? reporter = null) => _tool = new NativeTool(runner, reporter);

        public static NativeCommand CommandFor(string name) => new NativeCommand("iotedge", new[] { "restart", name }, Timeout)
        {
            WhatToTry = "List the modules and their state with 'iotedge list' (the name is case-sensitive).",
        };

        public void Restart(string name, CancellationToken cancellationToken) => _tool.Run(CommandFor(name), cancellationToken);

        /// <summary>The modules after the restarts, for -PassThru.</summary>
        public System.Collections.Generic.IReadOnlyList<IoTEdgeModule> List(CancellationToken cancellationToken) => ModuleList.Read(_tool, cancellationToken);
    }
}
