using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using IoTEdgeTroubleshoot.Edge.Config;

namespace IoTEdgeTroubleshoot.Completion
{
    /// <summary>
    /// -Level of Set-IoTEdgeRuntimeLogLevel: the levels the runtime accepts, from the one list Core's check
    /// and editor use (a ValidateSet here would be a second list, and the two had drifted apart).
    /// </summary>
    public sealed class RuntimeLogLevelCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            ConfigEditor.RuntimeLogLevels
                .Where(level => level.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
                .Select(level => new CompletionResult(level, level, CompletionResultType.ParameterValue, level));
    }

    /// <summary>Refuses a level the runtime does not accept while binding, naming the ones it does.</summary>
    public sealed class ValidateRuntimeLogLevelAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            string? level = arguments as string;
            if (level != null && ConfigEditor.RuntimeLogLevels.Contains(level, StringComparer.OrdinalIgnoreCase)) return;
            throw new ValidationMetadataException($"'{arguments}' is not a log level the IoT Edge runtime accepts. Use one of: {string.Join(", ", ConfigEditor.RuntimeLogLevels)}.");
        }
    }
}
