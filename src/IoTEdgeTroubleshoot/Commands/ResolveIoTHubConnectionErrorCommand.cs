using System;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Hub;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The guide's error table, automated: per error code, how often, on how many devices,
    /// the root cause and what to do. -PerEvent explains each event instead.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Resolve, "IoTHubConnectionError", DefaultParameterSetName = EventSet)]
    [OutputType(typeof(IoTHubErrorResolution), ParameterSetName = new[] { EventSet, CodeSet })]
    [OutputType(typeof(IoTHubConnectionEvent), ParameterSetName = new[] { EventSet })]
    public sealed class ResolveIoTHubConnectionErrorCommand : TroubleshootCmdlet
    {
        private const string EventSet = "Event";
        private const string CodeSet = "ResultType";

        private readonly ErrorResolver _resolver = new ErrorResolver();
        private int _eventsWithoutCode;

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = EventSet)]
        public IoTHubConnectionEvent[] InputObject { get; set; } = Array.Empty<IoTHubConnectionEvent>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = CodeSet)]
        [ValidateNotNullOrEmpty]
        public string[] ResultType { get; set; } = Array.Empty<string>();

        /// <summary>Attach the explanation to each event (ErrorInfo) and pass the events on.</summary>
        [Parameter(ParameterSetName = EventSet)]
        public SwitchParameter PerEvent { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == CodeSet)
            {
                foreach (var code in ResultType) WriteObject(ErrorResolver.Describe(code.Trim()));
                return;
            }

            foreach (var e in InputObject)
            {
                if (e == null) continue;
                if (PerEvent)
                {
                    if (ErrorResolver.HasErrorCode(e)) e.ErrorInfo = ErrorCatalog.Lookup(e.ResultType, e.ResultDescription);
                    WriteObject(e);
                }
                else if (!_resolver.Add(e))
                {
                    _eventsWithoutCode++;
                }
            }
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == EventSet && !PerEvent)
            {
                if (_eventsWithoutCode > 0) WriteVerbose($"{_eventsWithoutCode} event(s) without an error code were not counted.");
                WriteObject(_resolver.GetResolutions(), enumerateCollection: true);
            }

            base.EndProcessing();
        }
    }
}
