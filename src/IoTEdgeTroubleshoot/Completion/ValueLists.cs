using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace IoTEdgeTroubleshoot.Completion
{
    /// <summary>Completes a parameter from one list of values that Core owns (the same list validates it).</summary>
    public abstract class ValueListCompleter : IArgumentCompleter
    {
        /// <summary>The values, in the order they are offered.</summary>
        protected abstract IEnumerable<string> Values { get; }

        /// <summary>The tooltip of a value.</summary>
        protected virtual string Describe(string value) => value;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Values
                .Where(value => value.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
                .Select(value => new CompletionResult(value, value, CompletionResultType.ParameterValue, Describe(value)));
    }

    /// <summary>Refuses, while binding, a value that is not in Core's list, naming the ones that are (case ignored).</summary>
    public abstract class ValidateValueListAttribute : ValidateArgumentsAttribute
    {
        protected abstract IEnumerable<string> Values { get; }

        /// <summary>"is not a log level the IoT Edge daemon accepts": what the refused value is not.</summary>
        protected abstract string WhatItIsNot { get; }

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            if (arguments is string value && Values.Contains(value, StringComparer.OrdinalIgnoreCase)) return;
            throw new ValidationMetadataException($"'{arguments}' {WhatItIsNot}. Use one of: {string.Join(", ", Values)}.");
        }
    }
}
