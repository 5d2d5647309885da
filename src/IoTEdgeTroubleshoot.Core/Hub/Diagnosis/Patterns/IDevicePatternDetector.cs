namespace IoTEdgeTroubleshoot.Hub.Diagnosis.Patterns
{
    /// <summary>One pattern of one device: a class each, so adding a pattern touches one place.</summary>
    internal interface IDevicePatternDetector
    {
        DisconnectPattern Pattern { get; }

        /// <summary>The diagnosis, or null when the device does not show the pattern (or shows too little of it).</summary>
        IoTHubDisconnectDiagnosis? Detect(DeviceEvidence evidence);
    }

    internal static class HelpLinks
    {
        public const string DeviceConnectionClosedRemotely = ErrorCatalog.ErrorCodesPage + "#404104-deviceconnectionclosedremotely";
        public const string IoTHubUnauthorized = ErrorCatalog.ErrorCodesPage + "#401003-iothubunauthorized";
        public const string LinkCreationConflict = ErrorCatalog.ErrorCodesPage + "#409002-linkcreationconflict";
        public const string DeviceNotFound = ErrorCatalog.ErrorCodesPage + "#404001-devicenotfound";
        public const string ServerError = ErrorCatalog.ErrorCodesPage + "#500001-servererror";
    }
}
