using System;
using System.Collections.Generic;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks
{
    /// <summary>
    /// The checks' tools with <see cref="DeviceCheckContext.Timeout"/> as the most any call may take: the readers the
    /// adapters reuse give their commands limits made for their own cmdlets (systemctl show 30 s, journalctl 30 min).
    /// </summary>
    internal sealed class TimeLimitedProcessRunner : IProcessRunner
    {
        private readonly IProcessRunner _inner;
        private readonly TimeSpan _limit;

        public TimeLimitedProcessRunner(IProcessRunner inner, TimeSpan limit)
        {
            _inner = inner;
            _limit = limit;
        }

        public string? Find(string executable) => _inner.Find(executable);

        public ProcessResult Run(string executable, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default, Action<string>? outputLine = null)
        {
            if (timeout <= _limit) return _inner.Run(executable, arguments, timeout, cancellationToken, outputLine);
            try
            {
                return _inner.Run(executable, arguments, _limit, cancellationToken, outputLine);
            }
            catch (TimeoutException ex) when (!(ex is ToolTimeLimitException))
            {
                throw new ToolTimeLimitException(_limit, ex);
            }
        }
    }
}
