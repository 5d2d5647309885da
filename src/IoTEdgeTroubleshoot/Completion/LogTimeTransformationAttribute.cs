using System;
using System.Management.Automation;
using IoTEdgeTroubleshoot.Edge.Logs;

namespace IoTEdgeTroubleshoot.Completion
{
    /// <summary>
    /// The time parameters of the edge log commands take a date, or how long ago as users type it for
    /// 'iotedge logs --since' ("15m", "2h", "1d 6h") or as a TimeSpan (New-TimeSpan -Minutes 15): that long before now.
    /// A text that is neither, or a bare number (PowerShell reads an unquoted 1d as the decimal 1), is refused
    /// with the forms that work.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class LogTimeTransformationAttribute : ArgumentTransformationAttribute
    {
        private const string Forms = "a date ('2026-07-20T10:00Z'), or how long ago in quotes ('15m', '2h', '1d', '1h30m') or as a TimeSpan";

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case TimeSpan span:
                    return Ago(span.Duration());
                case string text when LogDuration.TryParse(text, out var duration):
                    return Ago(duration);
                case string text:
                    try
                    {
                        return LanguagePrimitives.ConvertTo<DateTime>(text);
                    }
                    catch (PSInvalidCastException)
                    {
                        throw new ArgumentTransformationMetadataException($"'{text}' is neither a date nor a duration: write {Forms}.");
                    }

                case int _:
                case long _:
                case decimal _:
                case double _:
                    throw new ArgumentTransformationMetadataException($"{value} is a number, not a time: write {Forms}. (PowerShell reads an unquoted 1d as the number 1.)");
                default:
                    return inputData;
            }
        }

        private static DateTime Ago(TimeSpan duration) => LogDuration.Before(DateTimeOffset.UtcNow, duration).UtcDateTime;
    }
}
