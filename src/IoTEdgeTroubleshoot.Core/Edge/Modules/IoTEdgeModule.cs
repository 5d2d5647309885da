namespace IoTEdgeTroubleshoot.Edge.Modules
{
    /// <summary>One module as 'iotedge list' shows it.</summary>
    public sealed class IoTEdgeModule
    {
        public IoTEdgeModule(string name, string status, string description, string config)
        {
            Name = name;
            Status = status;
            Description = description;
            Config = config;
        }

        /// <summary>The module name (edgeAgent, edgeHub, your modules): what Restart-IoTEdgeModule and Get-IoTEdgeModuleLog take.</summary>
        public string Name { get; }

        /// <summary>running, stopped, failed, backoff, dead or unknown.</summary>
        public string Status { get; }

        /// <summary>The runtime's words: "Up 5 minutes", "Stopped 2 hours ago", "Failed (139) 3 minutes ago" ...</summary>
        public string Description { get; }

        /// <summary>The module's image (its config).</summary>
        public string Config { get; }

        public override string ToString() => Name;
    }
}
