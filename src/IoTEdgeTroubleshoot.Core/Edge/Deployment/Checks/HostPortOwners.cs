namespace IoTEdgeTroubleshoot.Edge.Deployment.Checks
{
    /// <summary>Which local process listens on a TCP port of this machine (the guide's "port is already allocated").</summary>
    public interface IHostPortOwners
    {
        /// <summary>Why no lookup can be made here, or null when <see cref="OwnerOf"/> answers.</summary>
        string? Unavailable { get; }

        /// <summary>The process that listens on <paramref name="port"/> (a name, and its id when known), or null when none does.</summary>
        string? OwnerOf(int port);
    }

    /// <summary>The lookup when none is wired in: the port check says it is skipped and how to run it.</summary>
    public sealed class NoHostPortLookup : IHostPortOwners
    {
        public string? Unavailable => "which process holds a port is looked up by Test-IoTEdgeFirewall -Local; run it on the device";

        public string? OwnerOf(int port) => null;
    }
}
