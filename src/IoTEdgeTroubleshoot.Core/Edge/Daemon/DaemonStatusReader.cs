using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Daemon
{
    /// <summary>
    /// The guide's "systemctl status iotedge" / "Get-Service iotedge" as objects: on Linux one 'systemctl show'
    /// for every unit (and the sockets of the socket-activated ones); without a generation asked for, the units of
    /// both generations are asked and the one installed is kept. On Windows, the iotedge service.
    /// </summary>
    public sealed class DaemonStatusReader
    {
        private readonly NativeTool _tool;
        private readonly IReporter _reporter;
        private readonly bool _windows;
        private readonly IServiceControl _services;
        private readonly Func<EdgeGeneration?> _installed;

        public DaemonStatusReader(IProcessRunner? runner = null, IReporter? reporter = null, bool? windows = null, IServiceControl? services = null, Func<EdgeGeneration?>? installed = null)
        {
            _reporter = reporter ?? NullReporter.Instance;
            _tool = new NativeTool(runner, _reporter);
            _windows = windows ?? RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            _services = services ?? new ScServiceControl(_tool);
            _installed = installed ?? EdgeInstallation.Detect;
        }

        /// <summary>The 'systemctl show' command for the units of <paramref name="generations"/> and their sockets.</summary>
        public static NativeCommand ShowCommand(IEnumerable<EdgeGeneration> generations)
        {
            var services = generations.SelectMany(DaemonUnits.For).Distinct().ToList();
            var units = services.Select(s => s + ".service")
                .Concat(services.Where(DaemonUnits.IsSocketActivated).Select(s => s + ".socket"));
            return new NativeCommand("systemctl", new[] { "show" }.Concat(units).Concat(new[] { "--property=" + string.Join(",", SystemctlShow.Properties), "--no-pager" }), TimeSpan.FromSeconds(30))
            {
                WhatToTry = "Run 'systemctl status " + string.Join(" ", services) + "' to see what systemd says.",
            };
        }

        public IReadOnlyList<IoTEdgeDaemonStatus> Read(EdgeGeneration? requested, CancellationToken cancellationToken)
        {
            if (_windows)
            {
                if (requested == EdgeGeneration.V1_2)
                {
                    _reporter.Warning("IoT Edge 1.2 and later run on Windows inside EFLOW's Linux VM; this reads the Windows 'iotedge' service of 1.0/1.1. For EFLOW: Invoke-EflowVmCommand 'sudo iotedge system status'.");
                }

                return new[] { DaemonStatusRules.FromWindows(DaemonUnits.WindowsService, _services.Query(DaemonUnits.WindowsService, cancellationToken)) };
            }

            var byId = Show(requested != null ? new[] { requested.Value } : BothGenerations, cancellationToken);
            var generation = requested ?? Choose(byId);
            var statuses = DaemonUnits.For(generation).Select(unit => DaemonStatusRules.FromSystemd(unit, generation, byId)).ToList();
            if (statuses.All(s => s.Health == DaemonHealth.NotInstalled))
            {
                _reporter.Warning(requested == null
                    ? "IoT Edge is not installed here: systemd knows neither aziot-edged (1.2 and later) nor iotedge (1.0/1.1)."
                    : $"IoT Edge {generation.Name()} is not installed here: systemd does not know {string.Join(", ", DaemonUnits.For(generation))}.");
            }

            return statuses;
        }

        /// <summary>
        /// The generation the other daemon commands act on when none is asked for, decided as <see cref="Read"/> decides
        /// it: the one whose daemon systemd has loaded. Where systemd cannot be asked (no systemctl, no systemd in a
        /// container), the daemon binaries and config files installed decide; Windows runs only 1.0/1.1 natively.
        /// </summary>
        public EdgeGeneration Installed(CancellationToken cancellationToken)
        {
            if (_windows) return EdgeGeneration.V1_1;
            try
            {
                return Choose(Show(BothGenerations, cancellationToken));
            }
            catch (TroubleshootException ex)
            {
                var fromFiles = _installed() ?? EdgeGeneration.V1_2;
                _reporter.Verbose($"systemd could not say which IoT Edge is installed ({ex.Message}); the files installed say {fromFiles.Name()}.");
                return fromFiles;
            }
        }

        private static readonly EdgeGeneration[] BothGenerations = { EdgeGeneration.V1_2, EdgeGeneration.V1_1 };

        // One 'systemctl show' for the generations' units, by unit id.
        private Dictionary<string, IReadOnlyDictionary<string, string>> Show(IEnumerable<EdgeGeneration> generations, CancellationToken cancellationToken)
        {
            var byId = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
            foreach (var unit in SystemctlShow.Parse(_tool.Run(ShowCommand(generations), cancellationToken).StandardOutput))
            {
                if (unit.TryGetValue("Id", out var id) && id.Length > 0) byId[id] = unit;
            }

            return byId;
        }

        // The generation whose daemon systemd has loaded; both (an upgrade that left 1.1 behind): the active one, else 1.2+.
        private EdgeGeneration Choose(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> byId)
        {
            bool Loaded(EdgeGeneration g) => byId.TryGetValue(DaemonUnits.DaemonFor(g) + ".service", out var u) && u.TryGetValue("LoadState", out var s) && s == "loaded";
            bool Active(EdgeGeneration g) => byId.TryGetValue(DaemonUnits.DaemonFor(g) + ".service", out var u) && u.TryGetValue("ActiveState", out var s) && s == "active";
            bool v12 = Loaded(EdgeGeneration.V1_2), v11 = Loaded(EdgeGeneration.V1_1);
            if (v12 && v11)
            {
                var chosen = Active(EdgeGeneration.V1_1) && !Active(EdgeGeneration.V1_2) ? EdgeGeneration.V1_1 : EdgeGeneration.V1_2;
                _reporter.Warning($"Both IoT Edge generations are installed as services (iotedge and aziot-edged); showing {chosen.Name()}. Use -Generation for the other.");
                return chosen;
            }

            if (v12) return EdgeGeneration.V1_2;
            if (v11) return EdgeGeneration.V1_1;
            return _installed() ?? EdgeGeneration.V1_2;
        }
    }
}
