using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace IoTEdgeTroubleshoot.Isolation
{
    /// <summary>
    /// PowerShell 7: the module's own AssemblyLoadContext for third-party assemblies.
    /// The cmdlet assembly and Core sit at the module root and live in the default context,
    /// because PowerShell resolves type names ([IoTEdgeTroubleshoot.Hub.IoTHubConnectionEvent],
    /// format views, -is) only there. When the default context cannot satisfy one of Core's
    /// references (not there, or another module loaded an older version: the runtime raises
    /// Resolving for both), <see cref="Register"/>'s handler loads our copy from dependencies/
    /// into this context. (Resolving does not say who asked, so unlike the 5.1 resolver this one
    /// cannot filter by requester; what it hands out lives in this private context, not the default.)
    /// Assemblies that the runtime itself ships in a version at least as new as the one asked
    /// for (System.Memory, ...) are left to the default context, so framework types stay one.
    /// </summary>
    public sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private static readonly object Gate = new object();
        private static DependencyLoadContext? s_instance;

        private readonly string _folder;
        private readonly Dictionary<string, string> _platformAssemblyPaths;

        private DependencyLoadContext(string folder)
            : base("IoTEdgeTroubleshoot", isCollectible: false)
        {
            _folder = folder;
            _platformAssemblyPaths = ReadPlatformAssemblyPaths();
        }

        /// <summary>Called once per process by the module initializer (by reflection).</summary>
        public static void Register(string folder)
        {
            lock (Gate)
            {
                if (s_instance != null) return;
                s_instance = new DependencyLoadContext(folder);
                Default.Resolving += ResolveFromDependencyFolder;
            }
        }

        private static Assembly? ResolveFromDependencyFolder(AssemblyLoadContext context, AssemblyName name)
        {
            var instance = s_instance;
            if (instance == null || name.Name == null) return null;
            string candidate = Path.Combine(instance._folder, name.Name + ".dll");
            if (!File.Exists(candidate)) return null;
            return instance.LoadFromAssemblyName(name);
        }

        protected override Assembly? Load(AssemblyName name)
        {
            if (name.Name == null) return null;
            if (_platformAssemblyPaths.TryGetValue(name.Name, out var platformPath)
                && (name.Version == null || VersionOf(platformPath) >= name.Version))
            {
                return null; // the runtime's copy serves
            }

            string candidate = Path.Combine(_folder, name.Name + ".dll");
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }

        // Only names and paths here: versions are read for the few names we are asked about.
        private static Dictionary<string, string> ReadPlatformAssemblyPaths()
        {
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is not string list) return result;
            foreach (var path in list.Split(Path.PathSeparator))
            {
                if (path.Length == 0) continue;
                result.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            }

            return result;
        }

        private static Version VersionOf(string path)
        {
            try
            {
                return AssemblyName.GetAssemblyName(path).Version ?? new Version(0, 0);
            }
            catch (Exception ex) when (ex is BadImageFormatException || ex is IOException)
            {
                return new Version(0, 0); // a native file on the list: not a match
            }
        }
    }
}
