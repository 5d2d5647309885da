using System;
using System.IO;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace IoTEdgeTroubleshoot.Isolation
{
    /// <summary>
    /// PowerShell 7: loads the ReadyToRun image of Core for this platform (runtimes/&lt;rid&gt;/) into the
    /// default load context before the cmdlet assembly is loaded, so that its reference to Core binds to
    /// the image (PowerShell lays out the cmdlet types, parameters of Core's enums included, as soon as
    /// the root module loads: the module's own initializer comes too late). Called by reflection from
    /// the Loader, the manifest's nested module. Anything amiss (no image for this platform or runtime,
    /// the file missing, not an assembly, not the very Core at the root) loads nothing: the IL serves.
    /// </summary>
    public static class ReadyToRunImage
    {
        private const string CoreAssemblyName = "IoTEdgeTroubleshoot.Core";

        /// <summary>Loads the image when it can, and says what it did ("ReadyToRun: ..." or "IL: why").</summary>
        public static string Load(string moduleRoot)
        {
            foreach (var loaded in AssemblyLoadContext.Default.Assemblies)
            {
                // Imported before in this process (Import-Module -Force, or removed and imported again).
                if (loaded.GetName().Name != CoreAssemblyName) continue;
                // <module>/runtimes/<rid>/IoTEdgeTroubleshoot.Core.dll, of this copy of the module or another.
                bool isImage = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(loaded.Location))) == ReadyToRunImageSelection.RuntimesFolderName;
                return (isImage ? "ReadyToRun: " : "IL: ") + "Core already loaded from " + loaded.Location;
            }

            string? image = ReadyToRunImageSelection.ImagePathFor(
                moduleRoot, ReadyToRunImageSelection.CurrentOS(), RuntimeInformation.ProcessArchitecture, Environment.Version, out string reason);
            if (image == null) return "IL: " + reason;
            if (!File.Exists(image)) return "IL: " + image + " is missing";

            try
            {
                // The cmdlet assembly binds to whatever Core is loaded: only the very build at the root will do.
                Guid expected = ModuleVersionId(Path.Combine(moduleRoot, ReadyToRunImageSelection.CoreFileName));
                Guid found = ModuleVersionId(image);
                if (found != expected) return "IL: " + image + " is another build of Core than the module root's";
                AssemblyLoadContext.Default.LoadFromAssemblyPath(image);
                return "ReadyToRun: " + image;
            }
            catch (Exception ex) when (ex is BadImageFormatException || ex is FileLoadException || ex is IOException || ex is UnauthorizedAccessException || ex is InvalidOperationException)
            {
                return "IL: " + image + " could not be loaded (" + ex.Message + ")";
            }
        }

        // An image keeps its IL's metadata, module id included: the same id is the same compilation.
        private static Guid ModuleVersionId(string path)
        {
            using var stream = File.OpenRead(path);
            using var reader = new PEReader(stream);
            if (!reader.HasMetadata) throw new BadImageFormatException("no .NET metadata", path);
            var metadata = reader.GetMetadataReader();
            return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
        }
    }
}
