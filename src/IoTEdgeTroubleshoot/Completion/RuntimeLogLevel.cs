using System.Collections.Generic;
using IoTEdgeTroubleshoot.Edge.Config;

namespace IoTEdgeTroubleshoot.Completion
{
    /// <summary>
    /// -Level of Set-IoTEdgeRuntimeLogLevel: the levels the runtime accepts, from the one list Core's check
    /// and editor use (a ValidateSet here would be a second list, and the two had drifted apart).
    /// </summary>
    public sealed class RuntimeLogLevelCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => ConfigEditor.RuntimeLogLevels;
    }

    /// <summary>Refuses a level the runtime does not accept while binding, naming the ones it does.</summary>
    public sealed class ValidateRuntimeLogLevelAttribute : ValidateValueListAttribute
    {
        protected override IEnumerable<string> Values => ConfigEditor.RuntimeLogLevels;

        protected override string WhatItIsNot => "is not a log level the IoT Edge runtime accepts";
    }
}
