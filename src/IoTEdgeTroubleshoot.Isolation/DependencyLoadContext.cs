using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace IoTEdgeTroubleshoot.Isolation
{
    /// <summary>
    /// PowerShell 7: the module's own AssemblyLoadContext. The cmdlet assembly lives in the
    /// default context and references IoTEdgeTroubleshoot.Core; when the default context cannot
    /// find Core, <see cref="Register"/>'s handler loads it here, and Core's dependencies are
    /// then resolved from the dependencies/ folder inside this context. Assemblies that the
    /// runtime itself ships in a version at least as new as the one asked for (System.Text.Json
    /// on .NET 8+, System.Memory, ...) are left to the default context, so framework types stay one.
    /// </summary>
    public sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private const string CoreAssembly = "IoTEdgeTroubleshoot.Core";
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
                Default.Resolving += ResolveCoreIntoThisContext;
            }
        }

        private static Assembly? ResolveCoreIntoThisContext(AssemblyLoadContext context, AssemblyName name)
        {
            if (!string.Equals(name.Name, CoreAssembly, StringComparison.Ordinal)) return null;
            return s_instance?.LoadFromAssemblyName(name);
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
