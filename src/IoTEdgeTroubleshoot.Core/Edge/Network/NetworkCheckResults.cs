namespace IoTEdgeTroubleshoot.Edge.Network
{
    /// <summary>The steps of a connection probe, in order; a failed probe names the one that failed.</summary>
    public enum ProbeStage
    {
        /// <summary>Resolving the name (of the target, or of the proxy when the probe goes through one).</summary>
        Dns,

        /// <summary>The TCP connection (to the target, or to the proxy).</summary>
        Tcp,

        /// <summary>The proxy's answer to HTTP CONNECT (only through a proxy).</summary>
        Proxy,

        /// <summary>The TLS handshake, with the target's name as SNI.</summary>
        Tls,

        /// <summary>The validation of the certificate the target presented.</summary>
        Certificate,
    }

    /// <summary>
    /// One connection probe of Test-IoTEdgeFirewall: a check result plus where it went and how far it got.
    /// Every property is a plain value, so ConvertTo-Json and Export-Csv write it as it is shown.
    /// </summary>
    public sealed class IoTEdgeNetworkCheckResult : IoTEdgeCheckResult
    {
        /// <summary>The name probed: the hub, the DPS endpoint or the parent device.</summary>
        public string Host { get; set; } = string.Empty;

        public int Port { get; set; }

        /// <summary>What the port carries: MQTT, AMQP, HTTPS/WebSocket (or what the guide says of another port).</summary>
        public string Protocol { get; set; } = string.Empty;

        /// <summary>What the host is to the device: IoTHub, DPS or Parent.</summary>
        public string Role { get; set; } = string.Empty;

        /// <summary>The address connected to (of the proxy when <see cref="ViaProxy"/>); null when none was reached.</summary>
        public string? Address { get; set; }

        /// <summary>Null when the probe got through every stage.</summary>
        public ProbeStage? FailedStage { get; set; }

        /// <summary>The failed stage ran out of the probe's time rather than being refused.</summary>
        public bool TimedOut { get; set; }

        /// <summary>From the start of the probe to its end (success or failure), in milliseconds; null when it was not run.</summary>
        public long? LatencyMs { get; set; }

        /// <summary>The probe went through the agent's https_proxy (HTTP CONNECT), as the agent does.</summary>
        public bool ViaProxy { get; set; }

        /// <summary>The proxy used, with any password masked.</summary>
        public string? Proxy { get; set; }

        /// <summary>The issuer of the certificate the host presented (a TLS-inspecting proxy shows here).</summary>
        public string? CertificateIssuer { get; set; }
    }

    /// <summary>One port edgeHub binds on the host (-Local), and the process already listening there, if any.</summary>
    public sealed class IoTEdgePortCheckResult : IoTEdgeCheckResult
    {
        public int Port { get; set; }

        /// <summary>The address the listener is bound to (0.0.0.0 and :: are every address); null when the port is free.</summary>
        public string? LocalAddress { get; set; }

        /// <summary>The listening process's name; null when the port is free or the process cannot be seen (another user's, without root).</summary>
        public string? ProcessName { get; set; }

        public int? ProcessId { get; set; }
    }
}
