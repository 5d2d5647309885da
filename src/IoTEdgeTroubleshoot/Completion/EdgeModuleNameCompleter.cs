using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using IoTEdgeTroubleshoot.Edge.Modules;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Completion
{
    /// <summary>
    /// Completes a -Name that takes IoT Edge module names (Restart-IoTEdgeModule, Get-IoTEdgeModuleLog) from
    /// 'iotedge list' on this device. Completion must never fail or hang the prompt: without iotedge, or when it
    /// refuses or takes over a few seconds, it offers nothing.
    /// </summary>
    public sealed class EdgeModuleNameCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            IReadOnlyList<IoTEdgeModule> modules;
            try
            {
                modules = ModuleList.Read(new NativeTool(), CancellationToken.None, Timeout);
            }
            catch (TroubleshootException)
            {
                return Array.Empty<CompletionResult>();
            }

            return Complete(modules, wordToComplete);
        }

        /// <summary>The modules whose name starts with the word typed (quotes around it ignored), quoted where a name needs it.</summary>
        public static IEnumerable<CompletionResult> Complete(IEnumerable<IoTEdgeModule> modules, string? wordToComplete)
        {
            string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var pattern = WildcardPattern.Get(typed + "*", WildcardOptions.IgnoreCase);
            return modules
                .Where(m => pattern.IsMatch(m.Name))
                .OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
                .Select(m => new CompletionResult(Quote(m.Name), m.Name, CompletionResultType.ParameterValue, $"{m.Name}: {m.Status}, {m.Description} ({m.Config})"))
                .ToList();
        }

        private static string Quote(string name) =>
            name.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';', ',', '(', ')', '{', '}', '@', '#', '&', '|', '<', '>' }) < 0 ? name : "'" + name.Replace("'", "''") + "'";
    }

    /// <summary>-Name of the module commands: refuses, while binding, what iotedge would read as an option or no module has.</summary>
    public sealed class ValidateModuleNameAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            foreach (object? item in arguments is string one ? new object[] { one } : arguments as IEnumerable ?? new[] { arguments })
            {
                if (ModuleName.WhyNot((item is PSObject wrapped ? wrapped.BaseObject : item) as string) is string why) throw new ValidationMetadataException(why);
            }
        }
    }
}
