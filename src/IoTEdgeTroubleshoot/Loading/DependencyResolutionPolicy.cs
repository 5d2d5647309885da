using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace IoTEdgeTroubleshoot.Loading
{
    /// <summary>
    /// Windows PowerShell 5.1 has one load context for every module, so the module serves its
    /// third-party assemblies (dependencies/) through AppDomain.AssemblyResolve. This class decides
    /// which requests it answers: only for an assembly the module ships, and only when the request
    /// comes from one of the module's own assemblies (the root's or dependencies/'s). Another module
    /// asking for, say, System.Text.Json never gets our copy.
    /// Pure file-name logic with no PowerShell type, so the xunit tests compile it in and test it.
    /// </summary>
    internal sealed class DependencyResolutionPolicy
    {
        public const string DependencyFolderName = "dependencies";

        private readonly string _moduleRoot;
        private readonly string _dependencyFolder;
        private readonly Dictionary<string, string> _shipped; // any spelling -> the file's own

        public DependencyResolutionPolicy(string moduleRoot, IEnumerable<string> shippedAssemblyNames)
        {
            _moduleRoot = TrimSeparator(Path.GetFullPath(moduleRoot));
            _dependencyFolder = Path.Combine(_moduleRoot, DependencyFolderName);
            _shipped = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in shippedAssemblyNames) _shipped[name] = name;
        }

        /// <summary>The policy for an assembled module: what dependencies/ holds is what it ships.</summary>
        public static DependencyResolutionPolicy ForModule(string moduleRoot)
        {
            string folder = Path.Combine(moduleRoot, DependencyFolderName);
            var names = new List<string>();
            if (Directory.Exists(folder))
            {
                foreach (var file in Directory.GetFiles(folder, "*.dll")) names.Add(Path.GetFileNameWithoutExtension(file));
            }

            return new DependencyResolutionPolicy(moduleRoot, names);
        }

        /// <summary>
        /// The file to load for <paramref name="requestedAssembly"/> (a full or simple assembly name),
        /// or null when the request is not ours to answer. <paramref name="requestingAssemblyLocation"/>
        /// is the location of the assembly that asked (null when the runtime does not say: not ours).
        /// Any version is served: this stands in for the binding redirects a binary module cannot ship.
        /// </summary>
        public string? PathFor(string requestedAssembly, string? requestingAssemblyLocation)
        {
            if (string.IsNullOrEmpty(requestingAssemblyLocation) || !IsModuleFile(requestingAssemblyLocation!)) return null;

            string? name;
            try
            {
                name = new AssemblyName(requestedAssembly).Name;
            }
            catch (Exception ex) when (ex is ArgumentException || ex is FileLoadException)
            {
                return null; // not an assembly name the runtime could load anyway
            }

            if (string.IsNullOrEmpty(name) || !_shipped.TryGetValue(name!, out var fileName)) return null;
            return Path.Combine(_dependencyFolder, fileName + ".dll");
        }

        private bool IsModuleFile(string location)
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(location));
            if (folder == null) return false;
            folder = TrimSeparator(folder);
            return string.Equals(folder, _moduleRoot, StringComparison.OrdinalIgnoreCase)
                || string.Equals(folder, _dependencyFolder, StringComparison.OrdinalIgnoreCase);
        }

        private static string TrimSeparator(string path) =>
            path.Length > 1 ? path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) : path;
    }
}
