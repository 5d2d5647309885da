using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace IoTEdgeTroubleshoot.Loading
{
    /// <summary>
    /// The manifest's nested module, imported before the root module. On PowerShell 7 it has
    /// IoTEdgeTroubleshoot.Isolation load the ReadyToRun image of Core for this platform
    /// (ReadyToRunImage), before the cmdlet assembly binds to Core. Windows PowerShell 5.1:
    /// nothing, the IL at the module root serves as before. A failure here never fails the import.
    /// </summary>
    public sealed class ReadyToRunLoader : IModuleAssemblyInitializer
    {
        private const string IsolationAssembly = "IoTEdgeTroubleshoot.Isolation";

        private static readonly string ModuleRoot =
            Path.GetDirectoryName(typeof(ReadyToRunLoader).Assembly.Location) ?? ".";

        /// <summary>
        /// What the last import did: "ReadyToRun: &lt;image&gt;", or "IL: &lt;why&gt;".
        /// [IoTEdgeTroubleshoot.Loading.ReadyToRunLoader]::Status in a session.
        /// </summary>
        public static string Status { get; private set; } = "not imported";

        private static bool IsPowerShellCore =>
            typeof(object).Assembly.GetName().Name == "System.Private.CoreLib";

        public void OnImport()
        {
            if (!IsPowerShellCore)
            {
                Status = "IL: Windows PowerShell";
                return;
            }

            try
            {
                var isolation = Assembly.LoadFrom(Path.Combine(ModuleRoot, IsolationAssembly + ".dll"));
                Status = (string)isolation.GetType(IsolationAssembly + ".ReadyToRunImage", throwOnError: true)!
                    .GetMethod("Load", BindingFlags.Public | BindingFlags.Static)!
                    .Invoke(null, new object[] { ModuleRoot })!;
            }
            catch (Exception ex) when (ex is TargetInvocationException || ex is IOException || ex is BadImageFormatException || ex is TypeLoadException)
            {
                Status = "IL: " + (ex.InnerException ?? ex).Message;
            }
        }
    }
}
