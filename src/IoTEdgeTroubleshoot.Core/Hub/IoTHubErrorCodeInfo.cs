namespace IoTEdgeTroubleshoot.Hub
{
    /// <summary>What one IoT Hub error code means and what to do about it: one entry of <see cref="ErrorCatalog"/>.</summary>
    public sealed class IoTHubErrorCodeInfo
    {
        public IoTHubErrorCodeInfo(string resultType, string name, string rootCause, string resolution, bool? isTransient, string helpUri, bool isKnown = true)
        {
            ResultType = resultType;
            Name = name;
            RootCause = rootCause;
            Resolution = resolution;
            IsTransient = isTransient;
            HelpUri = helpUri;
            IsKnown = isKnown;
        }

        public string ResultType { get; }

        public string Name { get; }

        public string RootCause { get; }

        public string Resolution { get; }

        /// <summary>True when retrying usually succeeds; null when the code is not in the catalog.</summary>
        public bool? IsTransient { get; }

        public string HelpUri { get; }

        /// <summary>False when the code is not in the catalog and the text comes from the hub's own description.</summary>
        public bool IsKnown { get; }

        public override string ToString() => $"{ResultType} {Name}";
    }
}
