using System.Collections.Generic;
using System.Threading;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.Remote
{
    /// <summary>RestartModule {schemaVersion, id}: edgeAgent stops and starts the module; answered with status 200 and no payload.</summary>
    internal static class RemoteModuleRestart
    {
        internal const string MethodName = "RestartModule";

        /// <summary>Restarts each module in turn; the names restarted.</summary>
        public static List<string> Restart(EdgeAgentMethods methods, string deviceId, IReadOnlyList<string> names, IReporter reporter, CancellationToken cancellationToken)
        {
            var restarted = new List<string>();
            foreach (var name in names)
            {
                cancellationToken.ThrowIfCancellationRequested();
                methods.Invoke(deviceId, MethodName, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("schemaVersion", "1.0");
                    writer.WriteString("id", name);
                    writer.WriteEndObject();
                }, cancellationToken);
                reporter.Verbose($"edgeAgent on {deviceId} restarted {name}.");
                restarted.Add(name);
            }

            return restarted;
        }
    }
}
