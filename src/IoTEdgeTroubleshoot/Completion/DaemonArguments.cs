using System;
using System.Collections.Generic;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Daemon;

namespace IoTEdgeTroubleshoot.Completion
{
    /// <summary>-Level of Set-IoTEdgeDaemonLogLevel: completed from the one list Core validates against.</summary>
    public sealed class DaemonLogLevelCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => DaemonLogLevel.Levels;
    }

    /// <summary>Refuses a level the daemons do not accept while binding, naming the ones they do.</summary>
    public sealed class ValidateDaemonLogLevelAttribute : ValidateValueListAttribute
    {
        protected override IEnumerable<string> Values => DaemonLogLevel.Levels;

        protected override string WhatItIsNot => "is not a log level the IoT Edge daemon accepts";
    }

    /// <summary>-Generation of the daemon commands: a version (1.1, 1.5); the Generation an IoTEdgeDaemonStatus carries (1.0/1.1, 1.2+) binds too.</summary>
    public sealed class EdgeGenerationCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => EdgeGenerations.Versions;

        protected override string Describe(string value) => "IoT Edge " + value;
    }

    /// <summary>Refuses what is not an IoT Edge version or generation while binding.</summary>
    public sealed class ValidateEdgeGenerationAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            try
            {
                EdgeGenerations.FromVersion(arguments as string ?? string.Empty);
            }
            catch (ArgumentOutOfRangeException)
            {
                throw new ValidationMetadataException($"'{arguments}' is not an IoT Edge version. Use one of: {string.Join(", ", EdgeGenerations.Versions)} (or 1.0/1.1, 1.2+).");
            }
        }
    }
}
