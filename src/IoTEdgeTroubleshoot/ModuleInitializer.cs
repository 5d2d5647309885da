using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// Loads Core and its third-party dependencies from the module's dependencies/ folder.
    /// On PowerShell 7 the third-party assemblies go into a private AssemblyLoadContext
    /// (IoTEdgeTroubleshoot.Isolation), so another module that loaded other versions of the
    /// same assemblies (Az.Accounts and Azure.Core, say) does not break this one; Core joins
    /// the cmdlets in the default context, where PowerShell can see its types. On Windows PowerShell 5.1, where there is only
    /// one context, an AssemblyResolve handler serves the folder's assemblies by name.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private const string IsolationAssembly = "IoTEdgeTroubleshoot.Isolation";

        private static readonly string DependencyFolder = Path.Combine(
            Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "dependencies");

        private static bool IsPowerShellCore =>
            typeof(object).Assembly.GetName().Name == "System.Private.CoreLib";

        public void OnImport()
        {
            if (IsPowerShellCore)
            {
                var isolation = Assembly.LoadFrom(Path.Combine(DependencyFolder, IsolationAssembly + ".dll"));
                isolation.GetType(IsolationAssembly + ".DependencyLoadContext", throwOnError: true)!
                    .GetMethod("Register", BindingFlags.Public | BindingFlags.Static)!
                    .Invoke(null, new object[] { DependencyFolder });
            }
            else
            {
                AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDependencyFolder;
            }
        }

        public void OnRemove(PSModuleInfo module)
        {
            if (!IsPowerShellCore) AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromDependencyFolder;
        }

        // Windows PowerShell 5.1: serve our dependencies by simple name, whatever version was asked for
        // (this stands in for the binding redirects a binary module cannot ship).
        private static Assembly? ResolveFromDependencyFolder(object? sender, ResolveEventArgs args)
        {
            string name = new AssemblyName(args.Name).Name ?? string.Empty;
            string candidate = Path.Combine(DependencyFolder, name + ".dll");
            return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
        }
    }
}
