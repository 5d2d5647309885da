using System;
using System.IO;
using System.Text;

namespace IoTEdgeTroubleshoot.Tests.Edge
{
    /// <summary>The config.yaml corpus (Edge/Configs), copied into a temp folder so tests can edit it.</summary>
    internal static class ConfigFiles
    {
        public static string Source(string name) => Path.Combine(AppContext.BaseDirectory, "Edge", "Configs", name);

        public static string Text(string name) => File.ReadAllText(Source(name), new UTF8Encoding(false));

        public static string CopyTo(TempFolder folder, string name, string? as_ = null)
        {
            string target = Path.Combine(folder.Path, as_ ?? name);
            File.Copy(Source(name), target, overwrite: true);
            return target;
        }
    }
}
