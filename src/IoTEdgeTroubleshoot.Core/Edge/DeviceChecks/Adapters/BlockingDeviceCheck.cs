using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace IoTEdgeTroubleshoot.Edge.DeviceChecks.Adapters
{
    /// <summary>
    /// A device check over one of the module's existing commands, whose Core work is synchronous (it runs tools and
    /// reads files): the runner already calls it on a worker thread, so it runs there to its end.
    /// </summary>
    public abstract class BlockingDeviceCheck : IDeviceCheck, IDeviceCheckResultIds
    {
        public abstract string Id { get; }

        public abstract string Description { get; }

        public abstract DeviceCheckCategory Category { get; }

        public abstract IReadOnlyList<string> ResultIds { get; }

        public Task<IReadOnlyList<IoTEdgeCheckResult>> RunAsync(DeviceCheckContext context, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<IoTEdgeCheckResult>>(Run(context, cancellationToken).ToList());

        protected abstract IEnumerable<IoTEdgeCheckResult> Run(DeviceCheckContext context, CancellationToken cancellationToken);

        /// <summary>A result under this check's own id (what it says when it has nothing finer to report).</summary>
        protected IoTEdgeCheckResult Own(CheckStatus status, string message, string? remedy = null, string? remedyCommand = null) => new IoTEdgeCheckResult
        {
            CheckId = Id,
            Description = Description,
            Status = status,
            Message = message,
            Remedy = remedy,
            RemedyCommand = remedyCommand,
        };
    }
}
