using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace IoTEdgeTroubleshoot.Loading
{
    /// <summary>
    /// The module's own assemblies (the cmdlets, Core, Isolation) sit at the module root, where the
    /// runtime finds them beside the cmdlet assembly, so PowerShell can lay out the cmdlet types
    /// (parameters of Core's enums included) before this runs. Third-party assemblies live in
    /// dependencies/ and are served here:
    /// - PowerShell 7: into a private AssemblyLoadContext (IoTEdgeTroubleshoot.Isolation), so another
    ///   module that loaded other versions of them (Az.Accounts and Azure.Core, say) does not break
    ///   this one, nor this one that module.
    /// - Windows PowerShell 5.1, where there is one context: an AssemblyResolve handler that answers
    ///   only for what dependencies/ ships and only for requests from the module's own assemblies
    ///   (<see cref="DependencyResolutionPolicy"/>).
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private const string IsolationAssembly = "IoTEdgeTroubleshoot.Isolation";

        private static readonly string ModuleRoot =
            Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";

        private static DependencyResolutionPolicy? s_policy;

        private static bool IsPowerShellCore =>
            typeof(object).Assembly.GetName().Name == "System.Private.CoreLib";

        public void OnImport()
        {
            string dependencies = Path.Combine(ModuleRoot, DependencyResolutionPolicy.DependencyFolderName);
            if (IsPowerShellCore)
            {
                var isolation = Assembly.LoadFrom(Path.Combine(ModuleRoot, IsolationAssembly + ".dll"));
                isolation.GetType(IsolationAssembly + ".DependencyLoadContext", throwOnError: true)!
                    .GetMethod("Register", BindingFlags.Public | BindingFlags.Static)!
                    .Invoke(null, new object[] { dependencies });
            }
            else
            {
                s_policy = DependencyResolutionPolicy.ForModule(ModuleRoot);
                AppDomain.CurrentDomain.AssemblyResolve += ResolveForOurAssemblies;
            }
        }

        public void OnRemove(PSModuleInfo module)
        {
            if (!IsPowerShellCore) AppDomain.CurrentDomain.AssemblyResolve -= ResolveForOurAssemblies;
        }

        private static Assembly? ResolveForOurAssemblies(object? sender, ResolveEventArgs args)
        {
            // A dynamic assembly has no location (and throws when asked): it is not one of ours.
            string? requester = args.RequestingAssembly is { IsDynamic: false } requesting ? requesting.Location : null;
            string? path = s_policy?.PathFor(args.Name, requester);
            return path != null && File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
