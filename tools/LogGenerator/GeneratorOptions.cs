using System;

namespace IoTEdgeTroubleshoot.LogGenerator
{
    public sealed class GeneratorOptions
    {
        public DateTimeOffset Start { get; set; } = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

        public int Hours { get; set; } = 24;

        public int Devices { get; set; } = 300;

        public int Seed { get; set; } = 42;

        /// <summary>
        /// Share of the periodic devices whose token renewal the hub logs as a refused connect (deviceConnect
        /// 401003) rather than a 401003 disconnect, as large hubs show. 0 keeps the samples' bytes.
        /// </summary>
        public double RefusedRenewalShare { get; set; }

        /// <summary>
        /// A masked address from a random /24 network on every record, as on a large hub whose log holds
        /// almost as many addresses as records. Off: two networks, and the samples' bytes.
        /// </summary>
        public bool DistinctAddresses { get; set; }

        public string SubscriptionId { get; set; } = "0f3c2a5e-7d41-4b8e-9a6c-2d5b8e1f4a70";

        public string ResourceGroup { get; set; } = "IOT-PROD-RG";

        public string HubName { get; set; } = "CONTOSO-IOT-PROD";

        public string Location { get; set; } = "westeurope";

        public string ResourceId =>
            $"/SUBSCRIPTIONS/{SubscriptionId.ToUpperInvariant()}/RESOURCEGROUPS/{ResourceGroup}/PROVIDERS/MICROSOFT.DEVICES/IOTHUBS/{HubName}";

        public DateTimeOffset End => Start.AddHours(Hours);
    }
}
