namespace IoTEdgeTroubleshoot.Edge.Logs
{
    /// <summary>Each log's own level words and numbers, on the one <see cref="IoTEdgeLogLevel"/> scale.</summary>
    public static class LogLevels
    {
        /// <summary>The daemons' prefix word (1.0/1.1 iotedged and the 1.2+ aziot services): INFO, WARN, ERR!, DBUG, TRCE.</summary>
        public static IoTEdgeLogLevel FromDaemonWord(string word) => word switch
        {
            "TRCE" or "TRACE" => IoTEdgeLogLevel.Trace,
            "DBUG" or "DEBUG" => IoTEdgeLogLevel.Debug,
            "INFO" => IoTEdgeLogLevel.Information,
            "WARN" => IoTEdgeLogLevel.Warning,
            "ERR!" or "ERROR" => IoTEdgeLogLevel.Error,
            _ => IoTEdgeLogLevel.Unknown,
        };

        /// <summary>The modules' Serilog abbreviations: VRB, DBG, INF, WRN, ERR, FTL.</summary>
        public static IoTEdgeLogLevel FromModuleWord(string word) => word switch
        {
            "VRB" => IoTEdgeLogLevel.Trace,
            "DBG" => IoTEdgeLogLevel.Debug,
            "INF" => IoTEdgeLogLevel.Information,
            "WRN" => IoTEdgeLogLevel.Warning,
            "ERR" => IoTEdgeLogLevel.Error,
            "FTL" => IoTEdgeLogLevel.Critical,
            _ => IoTEdgeLogLevel.Unknown,
        };

        /// <summary>A syslog priority (journald's PRIORITY, the modules' "&lt;6&gt;" prefix): 0-2 critical ... 7 debug.</summary>
        public static IoTEdgeLogLevel FromSyslogPriority(int priority) => priority switch
        {
            0 or 1 or 2 => IoTEdgeLogLevel.Critical,
            3 => IoTEdgeLogLevel.Error,
            4 => IoTEdgeLogLevel.Warning,
            5 or 6 => IoTEdgeLogLevel.Information,
            7 => IoTEdgeLogLevel.Debug,
            _ => IoTEdgeLogLevel.Unknown,
        };

        /// <summary>A Windows event level: 1 critical, 2 error, 3 warning, 4 (and 0, LogAlways) information, 5 verbose.</summary>
        public static IoTEdgeLogLevel FromWindowsEventLevel(int level) => level switch
        {
            1 => IoTEdgeLogLevel.Critical,
            2 => IoTEdgeLogLevel.Error,
            3 => IoTEdgeLogLevel.Warning,
            0 or 4 => IoTEdgeLogLevel.Information,
            5 => IoTEdgeLogLevel.Trace,
            _ => IoTEdgeLogLevel.Unknown,
        };
    }
}
